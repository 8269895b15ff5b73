// Composition root: builds the session, registers views, commands and the status bar.
import * as vscode from 'vscode';
import { LoyalSession } from './session';
import { LtvService } from './ltv/ltvService';
import { registerFileCommands } from './commands/fileCommands';
import { registerCustomerCommands } from './commands/customerCommands';
import { registerFollowUpCommands } from './commands/followUpCommands';
import { registerIncidentCommands } from './commands/incidentCommands';
import { registerNoteCommands } from './commands/noteCommands';
import { registerCsvCommands } from './commands/csvCommands';
import { registerTeamSharingCommands } from './commands/teamSharingCommands';
import { registerPanels } from './panels/registerPanels';
import { forgetMorningReview, maybeShowMorningReview } from './morningReview';
import type { LoyalViews } from './views/loyalViews';
import { activeStep } from './commands/inputs';
import { registerMcpProvider, type AgentAccessState } from './agents/mcpProvider';
import { registerAgentCommands } from './commands/agentCommands';
import { ContextKeys, type ContextLog } from './views/contextKeys';
import { createViews } from './views/createViews';
import { DueIndicator } from './views/dueIndicator';
import { BrokenFileDiagnostics } from './views/brokenFileDiagnostics';
import { SidebarSnapshotController } from './views/snapshotController';
import { Renderer } from './views/renderer';
import { OpenSequence, type LoyalTimings } from './views/openSequence';

export type { ContextLog } from './views/contextKeys';
export type { LoyalTimings } from './views/openSequence';

export interface LoyalApi {
  session: LoyalSession;
  views: LoyalViews;
  /** The status bar item with the number of follow-ups due. */
  status: vscode.StatusBarItem;
  /** The multi-step input box on screen, if any (tests fill and accept it). */
  activeStep: { box: vscode.InputBox | undefined };
  /** The context keys Loyal set, in order (tests: which welcome showed, and when). */
  contextLog: ContextLog;
  /** Resolves once the views are populated and the first lifetime values are in (tests, bench). */
  ready: Promise<void>;
  /** From activate() to the views populated, and to the lifetime values estimated (bench). */
  timings: LoyalTimings;
  /** Loyal's MCP server as offered to the editor's agent mode (where the host has the API). */
  agentAccess: AgentAccessState;
}

export function activate(context: vscode.ExtensionContext): LoyalApi {
  const started = performance.now();
  const contextKeys = new ContextKeys();
  const ltvService = new LtvService(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const session = new LoyalSession(ltvService);
  context.subscriptions.push(session, { dispose: () => ltvService.dispose() });
  const views = createViews(session, contextKeys, context.subscriptions);
  const due = new DueIndicator(views.todayView);
  const diagnostics = new BrokenFileDiagnostics();
  const snapshots = new SidebarSnapshotController(context, session, views);
  const timings: LoyalTimings = {};
  const renderer = new Renderer({ session, views, contextKeys, due, diagnostics, snapshots, timings });
  const opening = new OpenSequence({ session, views, contextKeys, due, snapshots, renderer, timings });
  context.subscriptions.push(
    due,
    diagnostics,
    session.onDidChange(() => renderer.render()),
    snapshots,
  );

  registerFileCommands(context, session, views);
  registerCustomerCommands(context, session, views);
  registerFollowUpCommands(context, session, views);
  registerIncidentCommands(context, session, views);
  registerNoteCommands(context, session, views);
  registerCsvCommands(context, session);
  const teamSharing = registerTeamSharingCommands(context, session);
  registerPanels(context, session, views);
  const agentAccess = registerMcpProvider(context, session);
  registerAgentCommands(context, session, agentAccess);
  context.subscriptions.push(
    // Internal: lets the integration tests run the once-a-day check without a new window.
    vscode.commands.registerCommand('loyal.morningReview.check', async (options?: { forgetToday?: boolean }) => {
      if (options?.forgetToday) await forgetMorningReview(context);
      return maybeShowMorningReview(context, session);
    }),
    ...session.followWorkspace(),
    // Internal (tests, bench): what the next window would do, without reloading this one.
    // With `untilShown`, it returns as soon as the views show something; `api.ready` then
    // resolves when the book and its values are in. `save: false` keeps the saved sidebar.
    vscode.commands.registerCommand('loyal.sidebar.reopen', async (options?: { untilShown?: boolean; save?: boolean }) => {
      snapshots.cancel();
      const saved = options?.save === false ? false : await snapshots.save();
      api.ready = opening.start(performance.now());
      await (options?.untilShown ? Promise.race([api.ready, opening.shown]) : api.ready);
      return { saved, timings: { ...timings } };
    }),
  );

  const api: LoyalApi = {
    session,
    views,
    status: due.status,
    contextLog: contextKeys.log,
    activeStep,
    ready: opening.start(started).then(() => {
      void maybeShowMorningReview(context, session);
      void teamSharing.offer();
      void teamSharing.offerCopies();
    }),
    timings,
    agentAccess,
  };
  return api;
}

export function deactivate(): void {
  // The session is disposed with the context's subscriptions; pending writes were awaited by the store.
}
