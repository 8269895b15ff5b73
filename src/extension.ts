// Composition root: builds the session, registers views, commands and the status bar.
import * as vscode from 'vscode';
import { LoyalSession } from './session';
import { LtvService } from './ltv/ltvService';
import { TodayProvider } from './views/todayView';
import { CustomersProvider } from './views/customersView';
import { NotesProvider } from './views/notesView';
import { IncidentsProvider } from './views/incidentsView';
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
import { captureView, SIDEBAR_VIEWS, SidebarSnapshotStore, SidebarView, type SidebarSnapshotData, type SnapshotKeyParts } from './views/sidebarSnapshot';
import { dataFilePath, readSettings } from './settings';
import type { DataFileProblem } from './store/errors';
import { activeStep } from './commands/inputs';
import { plural } from './views/words';
import { registerMcpProvider, type AgentAccessState } from './agents/mcpProvider';
import { registerAgentCommands } from './commands/agentCommands';

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
  readMs?: number;
}

/** Every `setContext` Loyal made in this window, oldest first (what the welcome views and menus see). */
export type ContextLog = Array<{ key: string; value: unknown }>;

/** After a change, how long the book must stay unchanged before the sidebar is saved. */
const SNAPSHOT_DELAY_MS = 2000;

export function activate(context: vscode.ExtensionContext): LoyalApi {
  const started = performance.now();
  const contextLog: ContextLog = [];
  const contextValues = new Map<string, unknown>();
  const setContext = (key: string, value: unknown): void => {
    if (contextValues.has(key) && contextValues.get(key) === value) return;
    contextValues.set(key, value);
    if (contextLog.length > 500) contextLog.splice(0, 100);
    contextLog.push({ key, value });
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const ltvService = new LtvService(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const session = new LoyalSession(ltvService);
  context.subscriptions.push(session, { dispose: () => ltvService.dispose() });

  const today = new TodayProvider(session);
  const customers = new CustomersProvider(session);
  const notes = new NotesProvider(session);
  const incidents = new IncidentsProvider(session);
  // A view's empty-state welcome shows only once that view has answered from the book read:
  // VS Code shows a welcome as soon as the state key says 'ok' and the tree it has is empty,
  // which, on a new window, is the tree asked before the book was read.
  const emptyKnown = (name: string) => (empty: boolean): void => setContext(`loyal.${name}Empty`, empty && session.state === 'ok');
  const sidebar = {
    today: new SidebarView(today, emptyKnown('today')),
    customers: new SidebarView(customers, emptyKnown('customers')),
    notes: new SidebarView(notes, emptyKnown('notes')),
    incidents: new SidebarView(incidents, emptyKnown('incidents')),
  };
  const todayView = vscode.window.createTreeView('loyal.today', { treeDataProvider: sidebar.today, showCollapseAll: true });
  const customersView = vscode.window.createTreeView('loyal.customers', { treeDataProvider: sidebar.customers });
  const notesView = vscode.window.createTreeView('loyal.notes', { treeDataProvider: sidebar.notes, showCollapseAll: true });
  const incidentsView = vscode.window.createTreeView('loyal.incidents', { treeDataProvider: sidebar.incidents, showCollapseAll: true });
  const views: LoyalViews = { today, customers, notes, incidents, todayView, customersView, notesView, incidentsView, sidebar };
  context.subscriptions.push(todayView, customersView, notesView, incidentsView);

  const status = vscode.window.createStatusBarItem('loyal.due', vscode.StatusBarAlignment.Left, 50);
  status.name = vscode.l10n.t('Loyal follow-ups due');
  status.command = 'loyal.showToday';
  context.subscriptions.push(status);

  const timings: LoyalTimings = {};
  /** The version of the book read while the saved sidebar was showing: any other is a change. */
  let snapshotVersion: number | undefined;
  let snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  const showDue = (due: number): void => {
    const dueWords = plural(due, vscode.l10n.t('{0} follow-up due today or overdue', due), vscode.l10n.t('{0} follow-ups due today or overdue', due));
    todayView.badge = due > 0 ? { value: due, tooltip: dueWords } : undefined;
    status.text = due > 0 ? `$(bell-dot) ${vscode.l10n.t('{0} due', due)}` : `$(bell) ${vscode.l10n.t('Nothing due')}`;
    status.tooltip = due > 0 ? vscode.l10n.t('Loyal: {0}. Click to open Today.', dueWords) : vscode.l10n.t('Loyal: nothing is due today. Click to open Today.');
    status.backgroundColor = undefined;
    status.command = 'loyal.showToday';
    status.show();
  };
  const diagnostics = vscode.languages.createDiagnosticCollection('loyal');
  context.subscriptions.push(diagnostics);
  const render = (): void => {
    const renderStarted = performance.now();
    const broken = session.state === 'broken' && session.store?.state.kind === 'broken' ? session.store.state.error : undefined;
    // A broken file shows the welcome of Today (what is wrong, and the buttons that fix it):
    // a view's message would hide it, so no view has one.
    setContext('loyal.brokenKind', broken?.kind ?? '');
    setContext('loyal.state', session.state);
    for (const view of [todayView, customersView, notesView, incidentsView]) view.message = undefined;
    diagnostics.clear();
    if (broken && session.store) {
      // Where the file is broken, in the Problems panel and in the editor.
      diagnostics.set(vscode.Uri.file(session.store.path), brokenFileDiagnostics(broken.problems));
    }
    today.refresh();
    customers.refresh();
    notes.refresh();
    incidents.refresh();
    // Computes the morning review for this version of the book (cached for the views).
    const due = today.dueCount();
    timings.lastRenderMs = performance.now() - renderStarted;
    timings.rendersMs = [...(timings.rendersMs ?? []).slice(-19), timings.lastRenderMs];
    // The saved sidebar gives way once the lifetime values of the book are in (the live views
    // then list the same items in the same order), or at once if the book is not as saved.
    if (sidebar.today.showingSnapshot && snapshotVersion === undefined && session.state === 'ok') snapshotVersion = session.store?.version;
    if (session.state !== 'ok' || session.valuesReady || session.store?.version !== snapshotVersion) {
      for (const name of SIDEBAR_VIEWS) sidebar[name].goLive();
    }
    // The walkthrough's steps tick from what the book holds, not from a command being run
    // (a cancelled "Add customer" is no customer).
    const file = session.state === 'ok' ? session.file : undefined;
    setContext('loyal.hasCustomers', !!file?.customers.length);
    setContext('loyal.hasIncidents', !!file?.incidents.length);
    setContext('loyal.hasResolvedIncident', !!file?.incidents.some((i) => i.resolvedAt));
    if (session.state === 'ok') {
      showDue(due);
      if (session.valuesReady) scheduleSnapshot();
    } else if (broken) {
      todayView.badge = undefined;
      const conflicts = broken.kind === 'conflict-markers';
      status.text = `$(error) ${vscode.l10n.t('Loyal file unreadable')}`;
      // The status item leads to the fix: the merge for conflict markers, else the broken line.
      status.command = conflicts ? 'loyal.fixMergeConflicts' : 'loyal.openDataFile';
      status.tooltip = `${vscode.l10n.t('The data file cannot be read: {0}', broken.message)}\n\n${
        conflicts ? vscode.l10n.t('Click to merge both sides record by record.') : vscode.l10n.t('Click to open the data file where it is broken.')
      }`;
      status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      status.show();
    } else if (session.state === 'restricted') {
      // Today's welcome offers to trust the workspace; the status item says where the file is.
      todayView.badge = undefined;
      status.text = `$(shield) ${vscode.l10n.t('Loyal: restricted mode')}`;
      status.tooltip = session.refusedPath
        ? vscode.l10n.t('Restricted mode: the data file is really at {0}, outside this workspace, so Loyal does not open it until you trust the workspace.', session.refusedPath)
        : undefined;
      status.command = 'workbench.trust.manage';
      status.backgroundColor = undefined;
      status.show();
    } else {
      todayView.badge = undefined;
      status.hide();
    }
  };
  context.subscriptions.push(session.onDidChange(render));

  // The sidebar of the last window, shown at once when the book has not changed since.
  const snapshots = new SidebarSnapshotStore(context.storageUri?.scheme === 'file' ? context.storageUri.fsPath : undefined, String(context.extension.packageJSON.version));
  context.subscriptions.push({ dispose: () => snapshotTimer && clearTimeout(snapshotTimer) });
  const snapshotKey = (): SnapshotKeyParts | undefined => {
    const settings = readSettings();
    const dataFile = dataFilePath(settings);
    return dataFile ? { dataFile, settings, viewState: JSON.stringify([today.mineOnly, customers.viewState]) } : undefined;
  };
  const saveSnapshot = async (): Promise<boolean> => {
    const signature = session.store?.savedSignature;
    const parts = snapshotKey();
    if (!signature || !parts || session.state !== 'ok' || !session.valuesReady || sidebar.today.showingSnapshot) return false;
    const saved: SidebarSnapshotData['views'] = { today: captureView(today), customers: captureView(customers), notes: captureView(notes), incidents: captureView(incidents) };
    return snapshots.save(parts, signature, saved, today.dueCount()).catch(() => false);
  };
  function scheduleSnapshot(): void {
    if (snapshotTimer) clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(() => {
      snapshotTimer = undefined;
      void saveSnapshot();
    }, SNAPSHOT_DELAY_MS);
  }
  const showSnapshot = async (from: number): Promise<boolean> => {
    const parts = snapshotKey();
    const saved = parts ? await snapshots.load(parts).catch(() => undefined) : undefined;
    if (!saved) return false;
    for (const name of SIDEBAR_VIEWS) sidebar[name].showSnapshot(saved.views[name]);
    setContext('loyal.state', 'ok');
    showDue(saved.due);
    timings.viewsReadyMs = performance.now() - from;
    timings.fromSnapshot = true;
    // Reading a big book keeps the extension host busy for a while: let the visible views
    // fetch the saved items first (they ask within a few milliseconds).
    const visible = SIDEBAR_VIEWS.filter((name) => views[`${name}View`].visible);
    for (let waited = 0; waited < 300 && visible.some((name) => sidebar[name].servedAt === undefined); waited += 10) await new Promise((r) => setTimeout(r, 10));
    const served = visible.map((name) => sidebar[name].servedAt).filter((at): at is number => at !== undefined);
    if (served.length) timings.snapshotServedMs = Math.max(...served) - from;
    return true;
  };
  /** What a new window does: the saved sidebar if it still holds, then the book, then the values. */
  const start = async (from: number): Promise<void> => {
    for (const key of Object.keys(timings) as Array<keyof LoyalTimings>) delete timings[key];
    snapshotVersion = undefined;
    const shown = await showSnapshot(from);
    // Reading a big book takes a moment: say so rather than show empty views.
    if (!shown && snapshotKey()) for (const view of [todayView, customersView, notesView, incidentsView]) view.message = vscode.l10n.t('Reading the Loyal book…');
    // The views are populated by the first render of the book (session.open fires it, before
    // the keep-in-touch follow-ups are planned and saved, which the views need not wait for).
    const readStarted = performance.now();
    timings.beforeReadMs = readStarted - from;
    const firstRender = shown
      ? undefined
      : session.onDidChange(() => {
          if (session.state === 'noWorkspace') return;
          const now = performance.now();
          timings.viewsReadyMs ??= now - from;
          timings.readMs ??= now - readStarted - (timings.lastRenderMs ?? 0);
          firstRender?.dispose();
        });
    await session.open();
    firstRender?.dispose();
    render();
    if (!shown) timings.viewsReadyMs ??= performance.now() - from;
    await session.settled();
    timings.valuesReadyMs = performance.now() - from;
    render();
  };

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
  // Internal: lets the integration tests run the once-a-day check without a new window.
  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.morningReview.check', async (options?: { forgetToday?: boolean }) => {
      if (options?.forgetToday) await forgetMorningReview(context);
      return maybeShowMorningReview(context, session);
    }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('loyal.dataFile')) void session.open();
      else if (e.affectsConfiguration('loyal.user')) void session.userChanged();
      else if (e.affectsConfiguration('loyal')) session.settingsChanged();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void session.open()),
    // Restricted mode ends: the workspace's own loyal.dataFile and git's user.name now count.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void session.open()),
  );

  // Internal (tests, bench): what the next window would do, without reloading this one.
  context.subscriptions.push(
    // With `untilShown`, it returns as soon as the views show something; `api.ready` then
    // resolves when the book and its values are in. `save: false` keeps the saved sidebar.
    vscode.commands.registerCommand('loyal.sidebar.reopen', async (options?: { untilShown?: boolean; save?: boolean }) => {
      if (snapshotTimer) {
        clearTimeout(snapshotTimer);
        snapshotTimer = undefined;
      }
      const saved = options?.save === false ? false : await saveSnapshot();
      const from = performance.now();
      api.ready = start(from);
      if (options?.untilShown) {
        while (timings.viewsReadyMs === undefined) await Promise.race([api.ready, new Promise((r) => setTimeout(r, 5))]);
      } else {
        await api.ready;
      }
      return { saved, timings: { ...timings } };
    }),
  );

  const api: LoyalApi = {
    session,
    views,
    status,
    contextLog,
    activeStep,
    ready: start(started).then(() => {
      void maybeShowMorningReview(context, session);
      void teamSharing.offer();
      void teamSharing.offerCopies();
    }),
    timings,
    agentAccess,
  };
  return api;
}

/** Where the file is broken, one diagnostic per problem. */
function brokenFileDiagnostics(problems: DataFileProblem[]): vscode.Diagnostic[] {
  return problems.map((p) => {
    const line = Math.max(0, (p.line ?? 1) - 1);
    const column = Math.max(0, (p.column ?? 1) - 1);
    const where = p.path ? `${p.path}: ` : '';
    const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), `${where}${p.message}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Loyal';
    return diagnostic;
  });
}

export function deactivate(): void {
  // The session is disposed with the context's subscriptions; pending writes were awaited by the store.
}
