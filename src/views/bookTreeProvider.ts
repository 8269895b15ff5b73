// What the four sidebar trees (Today, Customers, Notes, Incidents) share: the change event
// VS Code listens to, the open-book check, the figures of the book version shown, and the
// capture of the items for the saved sidebar (docs/ARCHITECTURE.md, "A render"). Each view
// says only which nodes it lists; each node makes its own tree item.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { BookFigures } from '../figures';
import { captureView, type SnapshotItemData } from './sidebarSnapshot';

/** One row of a Loyal tree. */
export interface BookNode {
  toTreeItem(): vscode.TreeItem;
}

/**
 * A tree over the open book. Its answers are synchronous, so every row of one answer comes
 * from one version of the book; while no book is open (missing, broken, restricted...) it
 * lists nothing and the view's welcome shows instead.
 */
export abstract class BookTreeProvider<T extends BookNode> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(protected readonly session: LoyalSession) {}

  /** The top level of the tree, from the figures of the current version of the book. */
  protected abstract roots(figures: BookFigures): T[];

  /** What a row expands to; nothing unless the view says otherwise. */
  protected children(_node: T, _figures: BookFigures): T[] {
    return [];
  }

  /** Asks VS Code to list the tree again (after any change of the book or of the view's options). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: T): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: T): T[] {
    const figures = this.openFigures;
    if (!figures) return [];
    return node === undefined ? this.roots(figures) : this.children(node, figures);
  }

  /** The figures of the version of the book shown, or nothing while no book is open. */
  protected get openFigures(): BookFigures | undefined {
    return this.session.state === 'ok' ? this.session.figures : undefined;
  }

  /** The rows shown now, as the saved sidebar keeps them. */
  capture(): SnapshotItemData[] {
    return captureView(this);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
