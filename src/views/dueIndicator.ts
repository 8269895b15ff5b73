// The status bar item and the badge of Today: the follow-ups due, or what keeps the book
// from showing (a broken file, restricted mode), each leading to what to do next.
import * as vscode from 'vscode';
import type { DataFileError } from '../store/errors';
import { plural } from './words';

export class DueIndicator implements vscode.Disposable {
  /** The status bar item with the number of follow-ups due. */
  readonly status = vscode.window.createStatusBarItem('loyal.due', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly todayView: vscode.TreeView<unknown>) {
    this.status.name = vscode.l10n.t('Loyal follow-ups due');
    this.status.command = 'loyal.showToday';
  }

  /** The book is open: the follow-ups due today or overdue, in the badge and the status bar. */
  showDue(due: number): void {
    const { status } = this;
    const dueWords = plural(due, vscode.l10n.t('{0} follow-up due today or overdue', due), vscode.l10n.t('{0} follow-ups due today or overdue', due));
    this.todayView.badge = due > 0 ? { value: due, tooltip: dueWords } : undefined;
    status.text = due > 0 ? `$(bell-dot) ${vscode.l10n.t('{0} due', due)}` : `$(bell) ${vscode.l10n.t('Nothing due')}`;
    status.tooltip = due > 0 ? vscode.l10n.t('Loyal: {0}. Click to open Today.', dueWords) : vscode.l10n.t('Loyal: nothing is due today. Click to open Today.');
    status.backgroundColor = undefined;
    status.command = 'loyal.showToday';
    status.show();
  }

  /** The data file cannot be read: no badge, and the status item leads to the fix. */
  showBroken(broken: DataFileError): void {
    const { status } = this;
    this.todayView.badge = undefined;
    const conflicts = broken.kind === 'conflict-markers';
    status.text = `$(error) ${vscode.l10n.t('Loyal file unreadable')}`;
    // The merge for conflict markers, else the broken line.
    status.command = conflicts ? 'loyal.fixMergeConflicts' : 'loyal.openDataFile';
    status.tooltip = `${vscode.l10n.t('The data file cannot be read: {0}', broken.message)}\n\n${
      conflicts ? vscode.l10n.t('Click to merge both sides record by record.') : vscode.l10n.t('Click to open the data file where it is broken.')
    }`;
    status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    status.show();
  }

  /** Restricted mode: Today's welcome offers to trust the workspace; the status item says where the file is. */
  showRestricted(refusedPath: string | undefined): void {
    const { status } = this;
    this.todayView.badge = undefined;
    status.text = `$(shield) ${vscode.l10n.t('Loyal: restricted mode')}`;
    status.tooltip = refusedPath
      ? vscode.l10n.t('Restricted mode: the data file is really at {0}, outside this workspace, so Loyal does not open it until you trust the workspace.', refusedPath)
      : undefined;
    status.command = 'workbench.trust.manage';
    status.backgroundColor = undefined;
    status.show();
  }

  /** No book (no folder, no data file yet): neither badge nor status item. */
  hide(): void {
    this.todayView.badge = undefined;
    this.status.hide();
  }

  dispose(): void {
    this.status.dispose();
  }
}
