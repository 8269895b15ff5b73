// Incidents: open ones and the recently resolved, with tags, recovery progress and outlook.
import * as vscode from 'vscode';
import type { Incident } from '../domain/records';
import type { BookFigures } from '../figures';
import type { RecoveryOutlook, RecoveryProgress } from '../domain/recovery';
import { BookTreeProvider } from './bookTreeProvider';
import { escapeMarkdown, userTextTooltip } from './tooltips';
import { relativePast } from './words';
import { isRecentlyResolved } from '../domain/windows';

export class IncidentGroupNode {
  constructor(
    readonly open: boolean,
    readonly incidents: Incident[],
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.open ? vscode.l10n.t('Open') : vscode.l10n.t('Recently resolved'),
      this.open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `incidents:${this.open ? 'open' : 'resolved'}`;
    item.description = String(this.incidents.length);
    item.iconPath = new vscode.ThemeIcon(this.open ? 'issues' : 'issue-closed');
    return item;
  }
}

export function stepWords(progress: RecoveryProgress): string {
  const steps: Array<[boolean, string]> = [
    [progress.acknowledged, vscode.l10n.t('acknowledged')],
    [progress.understood, vscode.l10n.t('understood')],
    [progress.resolved, vscode.l10n.t('resolved')],
    [progress.followedUp, vscode.l10n.t('followed up')],
  ];
  return steps.map(([done, word]) => `${done ? '✓' : '○'} ${word}`).join('  ');
}

export function outlookReasonWord(reason: string): string {
  switch (reason) {
    case 'repeat-failure':
      return vscode.l10n.t('second problem within the repeat window');
    case 'severe':
      return vscode.l10n.t('major or critical');
    case 'preventable':
      return vscode.l10n.t('preventable');
    default:
      return reason;
  }
}

export class IncidentNode {
  constructor(
    readonly incident: Incident,
    readonly customerName: string,
    private readonly progress: RecoveryProgress,
    private readonly outlook: RecoveryOutlook,
    private readonly ageDays: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const i = this.incident;
    const title = i.summary || vscode.l10n.t('(no summary)');
    // The customer, then the recovery progress: at 260 px the end of the row is cut, and the
    // summary is what can go (it is in the tooltip).
    const item = new vscode.TreeItem(this.customerName, vscode.TreeItemCollapsibleState.None);
    item.id = `incident:${i.id}`;
    const done = [this.progress.acknowledged, this.progress.understood, this.progress.resolved, this.progress.followedUp].filter(Boolean).length;
    item.description = [`${done}/4`, title, i.tags.map((t) => `#${t}`).join(' '), relativePast(this.ageDays)].filter(Boolean).join(' · ');
    item.contextValue = i.resolvedAt ? 'incident.resolved' : 'incident.open';
    const atRisk = this.outlook.outlook === 'at-risk';
    item.iconPath = new vscode.ThemeIcon(atRisk ? 'flame' : 'heart', new vscode.ThemeColor(atRisk ? 'list.errorForeground' : 'charts.green'));
    const tooltip = userTextTooltip();
    tooltip.appendMarkdown(`**${escapeMarkdown(this.customerName)}**: ${escapeMarkdown(title)}\n\n`);
    tooltip.appendMarkdown(`${escapeMarkdown([i.category, i.severity, i.channel, i.component, i.staff].filter(Boolean).join(' · '))}\n\n`);
    tooltip.appendMarkdown(`${escapeMarkdown(stepWords(this.progress))}\n\n`);
    tooltip.appendMarkdown(
      atRisk
        ? escapeMarkdown(vscode.l10n.t('Outlook: at risk ({0})', this.outlook.reasons.map(outlookReasonWord).join(', ')))
        : escapeMarkdown(vscode.l10n.t('Outlook: favorable (a first, minor, unforeseeable problem, well recovered, can build loyalty)')),
    );
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${this.customerName}, ${title}, ${vscode.l10n.t('{0} of 4 recovery steps done', done)}${atRisk ? `, ${vscode.l10n.t('at risk')}` : ''}` };
    item.command = { command: 'loyal.incident.edit', title: vscode.l10n.t('Edit Incident'), arguments: [this] };
    return item;
  }
}

export type IncidentsViewNode = IncidentGroupNode | IncidentNode;

export class IncidentsProvider extends BookTreeProvider<IncidentsViewNode> {
  protected roots(figures: BookFigures): IncidentsViewNode[] {
    const open: Incident[] = [];
    const resolved: Incident[] = [];
    for (const i of this.session.file.incidents) {
      if (!i.resolvedAt) open.push(i);
      else if (isRecentlyResolved(i, figures.asOf)) resolved.push(i);
    }
    open.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    resolved.sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
    const groups: IncidentsViewNode[] = [];
    if (open.length) groups.push(new IncidentGroupNode(true, open));
    if (resolved.length) groups.push(new IncidentGroupNode(false, resolved));
    return groups;
  }

  protected override children(node: IncidentsViewNode, figures: BookFigures): IncidentsViewNode[] {
    if (!(node instanceof IncidentGroupNode)) return [];
    return node.incidents
      .slice(0, 500)
      .map((i) => new IncidentNode(i, figures.customerName(i.customerId), figures.recoveryProgress(i), figures.outlook(i), figures.daysBetween(i.openedAt.slice(0, 10), figures.asOf)));
  }
}
