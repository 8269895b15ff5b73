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
import { registerPanels } from './panels/registerPanels';
import { forgetMorningReview, maybeShowMorningReview } from './morningReview';
import type { LoyalViews } from './views/loyalViews';

export interface LoyalApi {
  session: LoyalSession;
  views: LoyalViews;
  /** The status bar item with the number of follow-ups due. */
  status: vscode.StatusBarItem;
  /** Resolves once the views are populated and the first lifetime values are in (tests, bench). */
  ready: Promise<void>;
  /** From activate() to the views populated, and to the lifetime values estimated (bench). */
  timings: { viewsReadyMs?: number; valuesReadyMs?: number; lastRenderMs?: number };
}

export function activate(context: vscode.ExtensionContext): LoyalApi {
  const started = performance.now();
  const ltvService = new LtvService(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const session = new LoyalSession(ltvService);
  context.subscriptions.push(session, { dispose: () => ltvService.dispose() });

  const today = new TodayProvider(session);
  const customers = new CustomersProvider(session);
  const notes = new NotesProvider(session);
  const incidents = new IncidentsProvider(session);
  const todayView = vscode.window.createTreeView('loyal.today', { treeDataProvider: today, showCollapseAll: true });
  const customersView = vscode.window.createTreeView('loyal.customers', { treeDataProvider: customers });
  const notesView = vscode.window.createTreeView('loyal.notes', { treeDataProvider: notes, showCollapseAll: true });
  const incidentsView = vscode.window.createTreeView('loyal.incidents', { treeDataProvider: incidents, showCollapseAll: true });
  const views: LoyalViews = { today, customers, notes, incidents, todayView, customersView, notesView, incidentsView };
  context.subscriptions.push(todayView, customersView, notesView, incidentsView);

  const status = vscode.window.createStatusBarItem('loyal.due', vscode.StatusBarAlignment.Left, 50);
  status.name = vscode.l10n.t('Loyal follow-ups due');
  status.command = 'loyal.showToday';
  context.subscriptions.push(status);

  const timings: LoyalApi['timings'] = {};
  const diagnostics = vscode.languages.createDiagnosticCollection('loyal');
  context.subscriptions.push(diagnostics);
  const render = (): void => {
    const renderStarted = performance.now();
    void vscode.commands.executeCommand('setContext', 'loyal.state', session.state);
    const broken = session.state === 'broken' && session.store?.state.kind === 'broken' ? session.store.state.error : undefined;
    const brokenMessage = broken ? vscode.l10n.t('The data file cannot be read: {0}', broken.message) : undefined;
    for (const view of [todayView, customersView, notesView, incidentsView]) view.message = brokenMessage;
    diagnostics.clear();
    if (broken && session.store) {
      // Where the file is broken, in the Problems panel and in the editor.
      diagnostics.set(
        vscode.Uri.file(session.store.path),
        broken.problems.map((p) => {
          const line = Math.max(0, (p.line ?? 1) - 1);
          const column = Math.max(0, (p.column ?? 1) - 1);
          const where = p.path ? `${p.path}: ` : '';
          const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), `${where}${p.message}`, vscode.DiagnosticSeverity.Error);
          diagnostic.source = 'Loyal';
          return diagnostic;
        }),
      );
    }
    today.refresh();
    customers.refresh();
    notes.refresh();
    incidents.refresh();
    // Computes the morning review for this version of the book (cached for the views).
    const due = today.dueCount();
    timings.lastRenderMs = performance.now() - renderStarted;
    todayView.badge = due > 0 ? { value: due, tooltip: vscode.l10n.t('{0} follow-ups due today or overdue', due) } : undefined;
    if (session.state === 'ok') {
      status.text = due > 0 ? `$(bell-dot) ${vscode.l10n.t('{0} due', due)}` : `$(bell) ${vscode.l10n.t('Nothing due')}`;
      status.tooltip = vscode.l10n.t('Loyal: {0} follow-ups due today or overdue. Click to open Today.', due);
      status.backgroundColor = undefined;
      status.show();
    } else if (session.state === 'broken') {
      status.text = `$(error) ${vscode.l10n.t('Loyal file unreadable')}`;
      status.tooltip = brokenMessage;
      status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      status.show();
    } else {
      status.hide();
    }
  };
  context.subscriptions.push(session.onDidChange(render));

  registerFileCommands(context, session, views);
  registerCustomerCommands(context, session, views);
  registerFollowUpCommands(context, session, views);
  registerIncidentCommands(context, session, views);
  registerNoteCommands(context, session, views);
  registerCsvCommands(context, session);
  registerPanels(context, session, views);
  // Internal: lets the integration tests run the once-a-day check without a new window.
  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.morningReview.check', async (options?: { forgetToday?: boolean }) => {
      if (options?.forgetToday) await forgetMorningReview(context);
      return maybeShowMorningReview(context, session);
    }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('loyal.dataFile') || e.affectsConfiguration('loyal.user')) void session.open();
      else if (e.affectsConfiguration('loyal')) session.settingsChanged();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void session.open()),
  );

  const ready = session.open().then(async () => {
    render();
    timings.viewsReadyMs = performance.now() - started;
    await session.settled();
    timings.valuesReadyMs = performance.now() - started;
    void maybeShowMorningReview(context, session);
  });
  return { session, views, status, ready, timings };
}

export function deactivate(): void {
  // The session is disposed with the context's subscriptions; pending writes were awaited by the store.
}
