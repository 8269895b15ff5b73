// Customers: the owner's ranked book. Sort and filter from the title bar; pages of 200 so
// the first render stays fast on books of tens of thousands of customers.
import * as vscode from 'vscode';
import type { Customer } from '../domain/records';
import type { BookFigures, CustomerValue } from '../figures';
import { BookTreeProvider } from './bookTreeProvider';
import { escapeMarkdown, userTextTooltip } from './tooltips';
import { explainValue } from './valueWords';
import { relativePast, wholeMoney } from './words';

export type CustomerSort = 'value' | 'name' | 'lastContact' | 'risk';
const PAGE = 200;

export class CustomerNode {
  constructor(
    readonly customer: Customer,
    private readonly value: CustomerValue | undefined,
    private readonly flags: { atRisk: string[]; quiet: boolean; topValue: boolean; lastActivityDays?: number },
    private readonly currency: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const c = this.customer;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = `customer:${c.id}`;
    const parts: string[] = [];
    if (this.value) parts.push(`${vscode.l10n.t('LTV')} ${wholeMoney(this.value.ltvCents, this.currency)}`);
    if (this.value) parts.push(`${vscode.l10n.t('paid')} ${wholeMoney(this.value.historicalCents, this.currency)}`);
    if (c.company) parts.push(c.company);
    if (c.archived) parts.push(vscode.l10n.t('archived'));
    item.description = parts.join(' · ');
    item.contextValue = c.archived ? 'customer.archived' : 'customer';
    const flagWords: string[] = [];
    if (this.flags.atRisk.length) {
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground'));
      flagWords.push(vscode.l10n.t('at risk'));
    } else if (this.flags.quiet) {
      item.iconPath = new vscode.ThemeIcon('mute', new vscode.ThemeColor('list.warningForeground'));
      flagWords.push(vscode.l10n.t('gone quiet'));
    } else if (this.flags.topValue) {
      item.iconPath = new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow'));
    } else {
      item.iconPath = new vscode.ThemeIcon('account');
    }
    if (this.flags.topValue) flagWords.push(vscode.l10n.t('top 20% by value'));
    if (this.flags.atRisk.length && this.flags.quiet) flagWords.push(vscode.l10n.t('gone quiet'));
    const tooltip = userTextTooltip();
    tooltip.appendMarkdown(`**${escapeMarkdown(c.name)}**${c.company ? ` · ${escapeMarkdown(c.company)}` : ''}\n\n`);
    if (flagWords.length) tooltip.appendMarkdown(`${escapeMarkdown(flagWords.join(', '))}\n\n`);
    if (this.flags.lastActivityDays !== undefined) tooltip.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Last purchase or contact: {0}', relativePast(this.flags.lastActivityDays)))}\n\n`);
    if (this.value) tooltip.appendMarkdown(explainValue(this.value, this.currency).map(escapeMarkdown).join('\n\n'));
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: [c.name, ...parts, ...flagWords].join(', ') };
    item.command = { command: 'loyal.customer.open', title: vscode.l10n.t('Open Customer'), arguments: [this] };
    return item;
  }
}

export class MoreCustomersNode {
  constructor(
    readonly shown: number,
    readonly total: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Show more ({0} of {1} shown)', this.shown, this.total));
    item.id = `more:${this.shown}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'loyal.customers.showMore', title: vscode.l10n.t('Show more') };
    return item;
  }
}

export type CustomersViewNode = CustomerNode | MoreCustomersNode;

export class CustomersProvider extends BookTreeProvider<CustomersViewNode> {
  sort: CustomerSort = 'value';
  filter = '';
  showArchived = false;
  private limit = PAGE;

  /** Sort, filter and page: what, beside the book, decides what the view lists. */
  get viewState(): string {
    return JSON.stringify([this.sort, this.filter, this.showArchived, this.limit]);
  }

  showMore(): void {
    this.limit += PAGE;
    this.refresh();
  }

  setSort(sort: CustomerSort): void {
    this.sort = sort;
    this.limit = PAGE;
    this.refresh();
  }

  setFilter(filter: string): void {
    this.filter = filter.trim();
    this.limit = PAGE;
    void vscode.commands.executeCommand('setContext', 'loyal.customers.filtered', this.filter.length > 0);
    this.refresh();
  }

  /** The customers in view order, after filter and sort. */
  orderedCustomers(): Customer[] {
    const figures = this.session.figures;
    const needle = this.filter.toLocaleLowerCase();
    const tagFilter = needle.startsWith('#') ? needle.slice(1) : undefined;
    const customers = this.session.file.customers.filter((c) => {
      if (c.archived && !this.showArchived) return false;
      if (!needle) return true;
      if (tagFilter !== undefined) return c.tags.some((t) => t.toLocaleLowerCase() === tagFilter);
      return (
        c.name.toLocaleLowerCase().includes(needle) ||
        (c.company ?? '').toLocaleLowerCase().includes(needle) ||
        (c.email ?? '').toLocaleLowerCase().includes(needle) ||
        c.tags.some((t) => t.toLocaleLowerCase().includes(needle))
      );
    });
    const collator = new Intl.Collator(vscode.env.language);
    // Sort keys computed once per customer, not once per comparison: the first render of
    // a book of tens of thousands of customers must stay well under a frame budget.
    const keyed = customers.map((customer) => ({ customer, value: figures.ltvOf(customer.id), key: 0, text: '' }));
    const byName = (a: (typeof keyed)[number], b: (typeof keyed)[number]): number => collator.compare(a.customer.name, b.customer.name);
    switch (this.sort) {
      case 'value':
        keyed.sort((a, b) => b.value - a.value || byName(a, b));
        break;
      case 'name':
        keyed.sort(byName);
        break;
      case 'lastContact':
        // Longest silence first: the morning question is "who have we not talked to?"
        for (const k of keyed) k.text = figures.lastActivityDay(k.customer.id) ?? '';
        keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) || byName(a, b));
        break;
      case 'risk':
        for (const k of keyed) k.key = (figures.riskReasons(k.customer.id).length ? 2 : 0) + (figures.quiet(k.customer.id) ? 1 : 0);
        keyed.sort((a, b) => b.key - a.key || b.value - a.value || byName(a, b));
        break;
    }
    return keyed.map((k) => k.customer);
  }

  protected roots(figures: BookFigures): CustomersViewNode[] {
    const ordered = this.orderedCustomers();
    const today = figures.asOf;
    const nodes: CustomersViewNode[] = ordered.slice(0, this.limit).map((c) => {
      const last = figures.lastActivityDay(c.id);
      return new CustomerNode(
        c,
        figures.value(c.id),
        {
          atRisk: figures.riskReasons(c.id),
          quiet: figures.quiet(c.id) !== undefined,
          topValue: figures.isTopValue(c.id),
          lastActivityDays: last ? figures.daysBetween(last, today) : undefined,
        },
        this.session.settings.currency,
      );
    });
    if (ordered.length > this.limit) nodes.push(new MoreCustomersNode(this.limit, ordered.length));
    return nodes;
  }
}
