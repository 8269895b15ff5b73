// Today: follow-ups grouped Overdue / Today / This week / Later, highest value at stake first.
import * as vscode from 'vscode';
import type { BookFigures } from '../figures';
import type { ReviewFollowUp } from '../domain/review';
import { BookTreeProvider } from './bookTreeProvider';
import { followUpKindLabel, relativeDue, shortDue, wholeMoney } from './words';
import { escapeMarkdown, userTextTooltip } from './tooltips';

type GroupKey = 'overdue' | 'today' | 'thisWeek' | 'later';

export class FollowUpGroupNode {
  constructor(
    readonly key: GroupKey,
    readonly followUps: ReviewFollowUp[],
  ) {}

  toTreeItem(): vscode.TreeItem {
    const labels: Record<GroupKey, string> = {
      overdue: vscode.l10n.t('Overdue'),
      today: vscode.l10n.t('Today'),
      thisWeek: vscode.l10n.t('This week'),
      later: vscode.l10n.t('Later'),
    };
    const item = new vscode.TreeItem(labels[this.key], this.key === 'later' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${this.key}`;
    item.description = String(this.followUps.length);
    item.contextValue = 'followUpGroup';
    item.iconPath = new vscode.ThemeIcon(
      this.key === 'overdue' ? 'warning' : this.key === 'today' ? 'calendar' : 'clock',
      this.key === 'overdue' ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    return item;
  }
}

export class FollowUpNode {
  constructor(
    readonly followUp: ReviewFollowUp,
    private readonly currency: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const f = this.followUp;
    const item = new vscode.TreeItem(f.customerName, vscode.TreeItemCollapsibleState.None);
    item.id = `followUp:${f.followUpId}`;
    // The urgent part first: a narrow sidebar cuts the end of the row, never "17 d overdue".
    const parts = [shortDue(f.daysUntilDue), f.title || followUpKindLabel(f.kind)];
    if (f.assignee) parts.push(f.assignee);
    item.description = parts.join(' · ');
    item.contextValue = 'followUp';
    item.iconPath = new vscode.ThemeIcon(
      f.kind === 'satisfaction-check' ? 'smiley' : f.kind === 'handwritten-note' ? 'mail' : f.kind === 'keep-in-touch' ? 'comment' : 'bell',
      f.customerAtRisk ? new vscode.ThemeColor('list.errorForeground') : undefined,
    );
    const tooltip = userTextTooltip();
    tooltip.appendMarkdown(`**${escapeMarkdown(f.customerName)}**\n\n`);
    tooltip.appendMarkdown(`${escapeMarkdown(f.title || followUpKindLabel(f.kind))}, ${escapeMarkdown(relativeDue(f.daysUntilDue))} (${f.due})\n\n`);
    if (f.assignee) tooltip.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Assigned to {0}', f.assignee))}\n\n`);
    tooltip.appendMarkdown(escapeMarkdown(vscode.l10n.t('Value at stake: {0}', wholeMoney(f.valueAtStakeCents, this.currency))));
    if (f.customerAtRisk) tooltip.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(vscode.l10n.t('This customer is at risk.'))}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: [f.customerName, relativeDue(f.daysUntilDue), f.title || followUpKindLabel(f.kind), f.assignee].filter(Boolean).join(', ') };
    item.command = { command: 'loyal.followUp.openCustomer', title: vscode.l10n.t('Open Customer'), arguments: [this] };
    return item;
  }
}

export type TodayNode = FollowUpGroupNode | FollowUpNode;

export class TodayProvider extends BookTreeProvider<TodayNode> {
  mineOnly = false;

  protected roots(figures: BookFigures): TodayNode[] {
    const review = figures.followUpGroups(this.mineOnly);
    return (['overdue', 'today', 'thisWeek', 'later'] as const).filter((key) => review[key].length > 0).map((key) => new FollowUpGroupNode(key, review[key]));
  }

  protected override children(node: TodayNode): TodayNode[] {
    return node instanceof FollowUpGroupNode ? node.followUps.map((f) => new FollowUpNode(f, this.session.settings.currency)) : [];
  }

  /** Follow-ups overdue or due today, for the badge and the status bar. */
  dueCount(): number {
    const review = this.openFigures?.followUpGroups(this.mineOnly);
    return review ? review.overdue.length + review.today.length : 0;
  }
}
