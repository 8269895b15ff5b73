// One render of the window after the book or its state changed: the context keys the welcome
// views and menus read, the four views, the Problems panel, the status item and the badge.
// See docs/ARCHITECTURE.md, "A render".
import type { LoyalSession } from '../session';
import type { BrokenFileDiagnostics } from './brokenFileDiagnostics';
import type { ContextKeys } from './contextKeys';
import { treeViews } from './createViews';
import type { DueIndicator } from './dueIndicator';
import type { LoyalViews } from './loyalViews';
import type { LoyalTimings } from './openSequence';
import type { SidebarSnapshotController } from './snapshotController';

export interface RendererParts {
  session: LoyalSession;
  views: LoyalViews;
  contextKeys: ContextKeys;
  due: DueIndicator;
  diagnostics: BrokenFileDiagnostics;
  snapshots: SidebarSnapshotController;
  /** Where each render's duration is kept (bench). */
  timings: LoyalTimings;
}

export class Renderer {
  constructor(private readonly parts: RendererParts) {}

  render(): void {
    const { session, views, contextKeys, due: indicator, diagnostics, snapshots, timings } = this.parts;
    const renderStarted = performance.now();
    const broken = session.state === 'broken' && session.store?.state.kind === 'broken' ? session.store.state.error : undefined;
    // A broken file shows the welcome of Today (what is wrong, and the buttons that fix it):
    // a view's message would hide it, so no view has one.
    contextKeys.set('loyal.brokenKind', broken?.kind ?? '');
    contextKeys.set('loyal.state', session.state);
    for (const view of treeViews(views)) view.message = undefined;
    diagnostics.show(session.store?.path, broken);
    views.today.refresh();
    views.customers.refresh();
    views.notes.refresh();
    views.incidents.refresh();
    // Computes the morning review for this version of the book (cached for the views).
    const due = views.today.dueCount();
    timings.lastRenderMs = performance.now() - renderStarted;
    timings.rendersMs = [...(timings.rendersMs ?? []).slice(-19), timings.lastRenderMs];
    snapshots.rendered();
    // The walkthrough's steps tick from what the book holds, not from a command being run
    // (a cancelled "Add customer" is no customer).
    const file = session.state === 'ok' ? session.file : undefined;
    contextKeys.set('loyal.hasCustomers', !!file?.customers.length);
    contextKeys.set('loyal.hasIncidents', !!file?.incidents.length);
    contextKeys.set('loyal.hasResolvedIncident', !!file?.incidents.some((i) => i.resolvedAt));
    if (session.state === 'ok') {
      indicator.showDue(due);
      if (session.valuesReady) snapshots.schedule();
    } else if (broken) {
      indicator.showBroken(broken);
    } else if (session.state === 'restricted') {
      indicator.showRestricted(session.refusedPath);
    } else {
      indicator.hide();
    }
  }
}
