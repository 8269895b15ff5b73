// Handwritten notes: To write / To post / Sent, each with the address and the suggested text.
import * as vscode from 'vscode';
import type { BookFigures } from '../figures';
import type { HandwrittenNote, NoteStatus } from '../domain/records';
import { BookTreeProvider } from './bookTreeProvider';
import { escapeMarkdown, userTextTooltip } from './tooltips';
import { noteStatusLabel, shortDue } from './words';

const STATUSES: NoteStatus[] = ['to-write', 'to-post', 'sent'];
/** Sent notes older than this drop out of the view; they stay in the file. */
const SENT_SHOWN_DAYS = 60;

export class NoteGroupNode {
  constructor(
    readonly status: NoteStatus,
    readonly notes: HandwrittenNote[],
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(noteStatusLabel(this.status), this.status === 'sent' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = `notes:${this.status}`;
    item.description = String(this.notes.length);
    item.iconPath = new vscode.ThemeIcon(this.status === 'to-write' ? 'edit' : this.status === 'to-post' ? 'mail' : 'check-all');
    return item;
  }
}

export class NoteNode {
  constructor(
    readonly note: HandwrittenNote,
    readonly customerName: string,
    private readonly daysUntilDue: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const n = this.note;
    const item = new vscode.TreeItem(this.customerName, vscode.TreeItemCollapsibleState.None);
    item.id = `note:${n.id}`;
    const firstLine = (n.address ?? '').split(/\r?\n|,/)[0]?.trim();
    item.description = [n.status === 'sent' ? n.sentAt?.slice(0, 10) : shortDue(this.daysUntilDue), firstLine || vscode.l10n.t('no address')].filter(Boolean).join(' · ');
    item.contextValue = `note.${n.status}`;
    item.iconPath = new vscode.ThemeIcon(
      n.status === 'to-write' ? 'edit' : n.status === 'to-post' ? 'mail' : 'pass',
      this.daysUntilDue < 0 && n.status !== 'sent' ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    const tooltip = userTextTooltip();
    tooltip.appendMarkdown(`**${escapeMarkdown(this.customerName)}**\n\n`);
    tooltip.appendMarkdown(
      `${escapeMarkdown(vscode.l10n.t('Address'))}:\n\n${n.address ? escapeMarkdown(n.address).replace(/\n/g, '  \n') : escapeMarkdown(vscode.l10n.t('No postal address on file.'))}\n\n`,
    );
    tooltip.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Suggested text'))}:\n\n> ${escapeMarkdown(n.text).replace(/\n/g, '  \n> ')}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${this.customerName}, ${noteStatusLabel(n.status)}, ${item.description}` };
    item.command = { command: 'loyal.note.editText', title: vscode.l10n.t('Edit Note Text'), arguments: [this] };
    return item;
  }
}

export type NotesViewNode = NoteGroupNode | NoteNode;

export class NotesProvider extends BookTreeProvider<NotesViewNode> {
  protected roots(figures: BookFigures): NotesViewNode[] {
    const cutoff = figures.addDays(figures.asOf, -SENT_SHOWN_DAYS);
    const byStatus = new Map<NoteStatus, HandwrittenNote[]>(STATUSES.map((s) => [s, []]));
    for (const note of this.session.file.notes) {
      if (note.status === 'sent' && (note.sentAt ?? '').slice(0, 10) < cutoff) continue;
      byStatus.get(note.status)!.push(note);
    }
    const notesOf = (s: NoteStatus): HandwrittenNote[] => byStatus.get(s)!.sort((a, b) => (s === 'sent' ? (b.sentAt ?? '').localeCompare(a.sentAt ?? '') : a.due.localeCompare(b.due)));
    return STATUSES.filter((s) => byStatus.get(s)!.length > 0).map((s) => new NoteGroupNode(s, notesOf(s)));
  }

  protected override children(node: NotesViewNode, figures: BookFigures): NotesViewNode[] {
    if (!(node instanceof NoteGroupNode)) return [];
    return node.notes.map((n) => new NoteNode(n, figures.customerName(n.customerId), figures.daysBetween(figures.asOf, n.due)));
  }
}
