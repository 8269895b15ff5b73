import type * as vscode from 'vscode';
import type { TodayNode, TodayProvider } from './todayView';
import type { CustomersProvider, CustomersViewNode } from './customersView';
import type { NotesProvider, NotesViewNode } from './notesView';
import type { IncidentsProvider, IncidentsViewNode } from './incidentsView';

/** The four sidebar views, handed to commands that refresh or reveal them. */
export interface LoyalViews {
  today: TodayProvider;
  customers: CustomersProvider;
  notes: NotesProvider;
  incidents: IncidentsProvider;
  todayView: vscode.TreeView<TodayNode>;
  customersView: vscode.TreeView<CustomersViewNode>;
  notesView: vscode.TreeView<NotesViewNode>;
  incidentsView: vscode.TreeView<IncidentsViewNode>;
}
