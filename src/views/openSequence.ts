// What a new window does, with its timings (read by the bench and the integration tests):
// the saved sidebar if it still holds, then the book, then its lifetime values.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import { dataFilePath, readSettings } from '../settings';
import { treeViews } from './createViews';
import type { DueIndicator } from './dueIndicator';
import type { ContextKeys } from './contextKeys';
import type { LoyalViews } from './loyalViews';
import type { Renderer } from './renderer';
import type { SidebarSnapshotController } from './snapshotController';

export interface LoyalTimings {
  viewsReadyMs?: number;
  valuesReadyMs?: number;
  lastRenderMs?: number;
  /** True when the views first showed the sidebar saved by the last window (file unchanged since). */
  fromSnapshot?: boolean;
  /** From the start to the first saved items handed to VS Code (only when a view asked for them). */
  snapshotServedMs?: number;
  /** How long each of the last renders of the views took (status bar, badge, review), oldest first. */
  rendersMs?: number[];
  /** From the start to reading the book (activation, the saved-sidebar check), then the read itself. */
  beforeReadMs?: number;
  /** Of beforeReadMs: activate() up to this sequence, then the saved-sidebar check. */
  activationMs?: number;
  snapshotCheckMs?: number;
  readMs?: number;
  /**
   * The processor time the extension host used from reading the book to the views populated
   * (its threads together): beside readMs, how much of the read the host waited for the processor.
   */
  readCpuMs?: number;
  /**
   * Bench only (LOYAL_BENCH_FLOOR_AT_OPEN): readFile + JSON.parse of the same file, timed right
   * after the views were populated, so that a first window's open and its floor see the
   * machine in the same state (a starting workbench shares the processor with it).
   */
  floorAtOpenMs?: number;
  /**
   * Bench only (LOYAL_BENCH_FLOOR_FIRST): readFile + JSON.parse of the same file as the very
   * first thing a new window does, before its own read: the floor in the state a first
   * window's read meets (a heap that has held no book yet, which the first parse must grow).
   * The window's own open is then not measured: it follows a read of the same file.
   */
  floorFirstMs?: number;
}

/**
 * The bench's floor under opening a book: its bytes read as text and JSON.parse of that
 * text, nothing checked; the median of `runs`, timed next to the figure it divides.
 */
export function readFloorMs(path: string, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    JSON.parse(readFileSync(path, 'utf8'));
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** How long a new window waits for the visible views to fetch the saved items before reading the book. */
const SERVE_WAIT_MS = 300;

export interface OpenSequenceParts {
  session: LoyalSession;
  views: LoyalViews;
  contextKeys: ContextKeys;
  due: DueIndicator;
  snapshots: SidebarSnapshotController;
  renderer: Renderer;
  timings: LoyalTimings;
}

export class OpenSequence {
  private viewsShown: Promise<void> = Promise.resolve();

  constructor(private readonly parts: OpenSequenceParts) {}

  /** Resolves once the views of the last `start` show something (the saved sidebar or the book). */
  get shown(): Promise<void> {
    return this.viewsShown;
  }

  /** Opens the book as a new window does, timed from `from` (performance.now()). */
  start(from: number): Promise<void> {
    let resolveShown!: () => void;
    this.viewsShown = new Promise<void>((resolve) => (resolveShown = resolve));
    const { timings } = this.parts;
    const viewsReady = (now = performance.now()): void => {
      timings.viewsReadyMs ??= now - from;
      resolveShown();
    };
    return this.run(from, viewsReady);
  }

  private async run(from: number, viewsReady: (now?: number) => void): Promise<void> {
    const { session, views, contextKeys, due, snapshots, renderer, timings } = this.parts;
    for (const key of Object.keys(timings) as Array<keyof LoyalTimings>) delete timings[key];
    if (process.env.LOYAL_BENCH_FLOOR_FIRST) {
      // One run: only the first read in this host meets the heap a first window's read does.
      const path = dataFilePath(readSettings());
      if (path !== undefined) timings.floorFirstMs = readFloorMs(path, 1);
    }
    const checkStarted = performance.now();
    timings.activationMs = checkStarted - from;
    const saved = await snapshots.show();
    timings.snapshotCheckMs = performance.now() - checkStarted;
    if (saved) {
      contextKeys.set('loyal.state', 'ok');
      due.showDue(saved.due);
      viewsReady();
      timings.fromSnapshot = true;
      // Reading a big book keeps the extension host busy for a while: let the visible views
      // fetch the saved items first (they ask within a few milliseconds).
      const servedAt = await snapshots.served(SERVE_WAIT_MS);
      if (servedAt !== undefined) timings.snapshotServedMs = servedAt - from;
    }
    const shown = saved !== undefined;
    // Reading a big book takes a moment: say so rather than show empty views.
    if (!shown && snapshots.key()) for (const view of treeViews(views)) view.message = vscode.l10n.t('Reading the Loyal book…');
    // The views are populated by the first render of the book (session.open fires it, before
    // the keep-in-touch follow-ups are planned and saved, which the views need not wait for).
    const readStarted = performance.now();
    const cpuAtRead = process.cpuUsage();
    timings.beforeReadMs = readStarted - from;
    const firstRender = shown
      ? undefined
      : session.onDidChange(() => {
          if (session.state === 'noWorkspace') return;
          const now = performance.now();
          viewsReady(now);
          timings.readMs ??= now - readStarted - (timings.lastRenderMs ?? 0);
          if (timings.readCpuMs === undefined) {
            const used = process.cpuUsage(cpuAtRead);
            timings.readCpuMs = (used.user + used.system) / 1000 - (timings.lastRenderMs ?? 0);
          }
          firstRender?.dispose();
        });
    await session.open();
    firstRender?.dispose();
    renderer.render();
    if (!shown) viewsReady();
    if (!shown && process.env.LOYAL_BENCH_FLOOR_AT_OPEN && session.store && session.state === 'ok') timings.floorAtOpenMs = readFloorMs(session.store.path);
    await session.settled();
    timings.valuesReadyMs = performance.now() - from;
    renderer.render();
  }
}
