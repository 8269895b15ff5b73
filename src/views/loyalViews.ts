import type * as vscode from 'vscode';
import type { TodayNode, TodayProvider } from './todayView';
import type { CustomersProvider, CustomersViewNode } from './customersView';
import type { NotesProvider, NotesViewNode } from './notesView';
import type { IncidentsProvider, IncidentsViewNode } from './incidentsView';
import type { SidebarView, SnapshotNode } from './sidebarSnapshot';

/** The four sidebar views, handed to commands that refresh or reveal them. */
export interface LoyalViews {
  today: TodayProvider;
  customers: CustomersProvider;
  notes: NotesProvider;
  incidents: IncidentsProvider;
  todayView: vscode.TreeView<TodayNode | SnapshotNode>;
  customersView: vscode.TreeView<CustomersViewNode | SnapshotNode>;
  notesView: vscode.TreeView<NotesViewNode | SnapshotNode>;
  incidentsView: vscode.TreeView<IncidentsViewNode | SnapshotNode>;
  /** What VS Code asks: the saved sidebar while the book is read, then the providers above. */
  sidebar: {
    today: SidebarView<TodayNode>;
    customers: SidebarView<CustomersViewNode>;
    notes: SidebarView<NotesViewNode>;
    incidents: SidebarView<IncidentsViewNode>;
  };
}
