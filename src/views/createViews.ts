// The four sidebar views: their providers, the saved-sidebar wrapper VS Code asks first, and
// the tree views made on them.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import { TodayProvider } from './todayView';
import { CustomersProvider } from './customersView';
import { NotesProvider } from './notesView';
import { IncidentsProvider } from './incidentsView';
import { SidebarView } from './sidebarSnapshot';
import type { LoyalViews } from './loyalViews';
import type { ContextKeys } from './contextKeys';

export function createViews(session: LoyalSession, contextKeys: ContextKeys, subscriptions: vscode.Disposable[]): LoyalViews {
  const today = new TodayProvider(session);
  const customers = new CustomersProvider(session);
  const notes = new NotesProvider(session);
  const incidents = new IncidentsProvider(session);
  // A view's empty-state welcome shows only once that view has answered from the book read:
  // VS Code shows a welcome as soon as the state key says 'ok' and the tree it has is empty,
  // which, on a new window, is the tree asked before the book was read.
  const emptyKnown =
    (name: string) =>
    (empty: boolean): void =>
      contextKeys.set(`loyal.${name}Empty`, empty && session.state === 'ok');
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
  subscriptions.push(todayView, customersView, notesView, incidentsView);
  return { today, customers, notes, incidents, todayView, customersView, notesView, incidentsView, sidebar };
}

/** The four tree views, in the order of the sidebar. */
export function treeViews(views: LoyalViews): Array<vscode.TreeView<unknown>> {
  return [views.todayView, views.customersView, views.notesView, views.incidentsView];
}
