// The sidebar of the last window (src/views/sidebarSnapshot.ts) in this one: shown at once
// when the book has not changed since, live again once the book and its values are in, and
// saved a while after the book last changed.
import type * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import { dataFilePath, readSettings } from '../settings';
import type { LoyalViews } from './loyalViews';
import { SIDEBAR_VIEWS, SidebarSnapshotStore, type SidebarSnapshotData, type SnapshotKeyParts } from './sidebarSnapshot';

/** After a change, how long the book must stay unchanged before the sidebar is saved. */
const SNAPSHOT_DELAY_MS = 2000;

export class SidebarSnapshotController implements vscode.Disposable {
  private readonly snapshots: SidebarSnapshotStore;
  /** The version of the book read while the saved sidebar was showing: any other is a change. */
  private snapshotVersion: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly session: LoyalSession,
    private readonly views: LoyalViews,
  ) {
    this.snapshots = new SidebarSnapshotStore(context.storageUri?.scheme === 'file' ? context.storageUri.fsPath : undefined, String(context.extension.packageJSON.version));
  }

  /** What the saved sidebar is keyed by besides the file; undefined when there is no data file. */
  key(): SnapshotKeyParts | undefined {
    const settings = readSettings();
    const dataFile = dataFilePath(settings);
    return dataFile ? { dataFile, settings, viewState: JSON.stringify([this.views.today.mineOnly, this.views.customers.viewState]) } : undefined;
  }

  /**
   * A new window: puts the saved sidebar in the views when it still holds (same file, day,
   * settings and view state), and says how many follow-ups it had due; undefined when none holds.
   */
  async show(): Promise<{ due: number } | undefined> {
    this.snapshotVersion = undefined;
    const parts = this.key();
    const saved = parts ? this.snapshots.load(parts) : undefined;
    if (!saved) return undefined;
    for (const name of SIDEBAR_VIEWS) this.views.sidebar[name].showSnapshot(saved.views[name]);
    return { due: saved.due };
  }

  /**
   * When the visible views have fetched the saved items (the latest of them, ms by
   * performance.now()), waiting at most `timeoutMs` for them to ask; undefined when none did.
   */
  async served(timeoutMs: number): Promise<number | undefined> {
    const visible = SIDEBAR_VIEWS.filter((name) => this.views[`${name}View`].visible).map((name) => this.views.sidebar[name]);
    const waiting = (): boolean => visible.some((view) => view.servedAt === undefined);
    if (waiting()) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          for (const listener of listeners) listener.dispose();
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        const listeners = visible.map((view) => view.onDidServeSnapshot(() => !waiting() && done()));
      });
    }
    const served = visible.map((view) => view.servedAt).filter((at): at is number => at !== undefined);
    return served.length ? Math.max(...served) : undefined;
  }

  /**
   * After a render: the saved sidebar gives way once the lifetime values of the book are in
   * (the live views then list the same items in the same order), or at once if the book is
   * not as saved; once the values are in, the sidebar is saved a while after the last change.
   */
  rendered(): void {
    const { session, views } = this;
    if (views.sidebar.today.showingSnapshot && this.snapshotVersion === undefined && session.state === 'ok') this.snapshotVersion = session.store?.version;
    if (session.state !== 'ok' || session.valuesReady || session.store?.version !== this.snapshotVersion) {
      for (const name of SIDEBAR_VIEWS) views.sidebar[name].goLive();
    }
  }

  /** Saves the sidebar once the book has stayed unchanged for a while. */
  schedule(): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SNAPSHOT_DELAY_MS);
  }

  /** The save waiting for the book to stay unchanged is dropped. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Saves the live sidebar of the book as its file is on disk; false when it cannot be (not read, values not in, file changed). */
  async save(): Promise<boolean> {
    const { session, views } = this;
    const signature = session.store?.savedSignature;
    const parts = this.key();
    if (!signature || !parts || session.state !== 'ok' || !session.valuesReady || views.sidebar.today.showingSnapshot) return false;
    const saved: SidebarSnapshotData['views'] = { today: views.today.capture(), customers: views.customers.capture(), notes: views.notes.capture(), incidents: views.incidents.capture() };
    return this.snapshots.save(parts, signature, saved, views.today.dueCount()).catch(() => false);
  }

  dispose(): void {
    this.cancel();
  }
}
