// The customer page: contact details edited in place, value and its explanation, flags,
// a timeline of everything recorded about the customer, quick actions, and a small
// purchase form. One tab per customer; it follows the book as it changes.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { Customer, Incident } from '../domain/records';
import { toCents } from '../domain/money';
import { getById } from '../store/transaction';
import { ValidationError } from '../store/errors';
import { pickCustomer } from '../commands/inputs';
import { outlookReasonWord } from '../views/incidentsView';
import { displayLocale, followUpKindLabel, money, noteStatusLabel } from '../views/words';
import { backtestWords, explainValue } from '../views/valueWords';
import { checkCustomerForm, checkPurchaseForm, customerFormValuesOf, CUSTOMER_FIELDS, type CustomerField, type CustomerFormValues, type EditableCustomer, type FieldErrorCode } from './forms';
import { CustomerWebviewMessage, type CustomerAction, type CustomerHostMessage, type CustomerPageData, type TimelineEntry } from './protocol';
import { customerPageStrings } from './strings';
import { translatedErrors, WebviewBase } from './webviewBase';
import type { PanelDeps } from './incidentPanel';

/** Sections longer than this show their newest entries only, so a decades-old customer still opens at once. */
const TIMELINE_LIMIT = 300;

const ACTION_COMMANDS: Record<CustomerAction, string> = {
  recordPurchase: 'loyal.purchase.record',
  recordSubscription: 'loyal.subscription.record',
  logContact: 'loyal.contact.log',
  logIncident: 'loyal.incident.openForm',
  addFollowUp: 'loyal.followUp.add',
  archive: 'loyal.customer.archive',
  unarchive: 'loyal.customer.unarchive',
};

function dayText(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(displayLocale(), { year: 'numeric', month: 'short', day: 'numeric' });
}

function instantText(instant: string): string {
  return new Date(instant).toLocaleString(displayLocale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function channelWord(channel: string): string {
  switch (channel) {
    case 'email':
      return vscode.l10n.t('Email');
    case 'phone':
      return vscode.l10n.t('Phone');
    case 'in-person':
      return vscode.l10n.t('In person');
    case 'chat':
      return vscode.l10n.t('Chat');
    case 'social':
      return vscode.l10n.t('Social media');
    default:
      return vscode.l10n.t('Other');
  }
}

function modelWord(model: string): string {
  switch (model) {
    case 'subscription':
      return vscode.l10n.t('Subscription');
    case 'bg-nbd':
      return vscode.l10n.t('BG/NBD + Gamma-Gamma');
    case 'simple':
      return vscode.l10n.t('Simple rule');
    default:
      return vscode.l10n.t('None');
  }
}

/** Who added or last changed a record, and when: the audit fields, in words. */
function changedLine(record: { createdAt: string; createdBy: string; updatedAt: string; updatedBy: string }): string | undefined {
  const changed = record.updatedAt !== record.createdAt || record.updatedBy !== record.createdBy;
  const by = (changed ? record.updatedBy : record.createdBy).trim();
  const at = changed ? record.updatedAt : record.createdAt;
  if (!by) return changed ? vscode.l10n.t('Changed {0}', instantText(at)) : vscode.l10n.t('Added {0}', instantText(at));
  return changed ? vscode.l10n.t('Changed by {0}, {1}', by, instantText(at)) : vscode.l10n.t('Added by {0}, {1}', by, instantText(at));
}

function newestFirst(entries: TimelineEntry[]): TimelineEntry[] {
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, TIMELINE_LIMIT);
}

export class CustomerPanel extends WebviewBase<CustomerWebviewMessage, CustomerHostMessage> {
  static readonly viewType = 'loyal.customerPage';
  private static readonly open = new Map<string, CustomerPanel>();

  static current(customerId: string): CustomerPanel | undefined {
    return CustomerPanel.open.get(customerId);
  }

  /** Reveals the customer's tab, or opens one. */
  static show(deps: PanelDeps, customerId: string): CustomerPanel {
    const existing = CustomerPanel.open.get(customerId);
    if (existing && !existing.isDisposed) {
      existing.reveal();
      return existing;
    }
    return new CustomerPanel(deps, customerId);
  }

  private readonly strings = customerPageStrings();
  private readonly session: LoyalSession;
  private lastKnown: Customer | undefined;
  private writing = false;

  private constructor(
    private readonly deps: PanelDeps,
    readonly customerId: string,
  ) {
    super({ extensionUri: deps.extensionUri, viewType: CustomerPanel.viewType, title: customerId, page: 'customer' }, CustomerWebviewMessage);
    this.session = deps.session;
    this.updateTitle();
    CustomerPanel.open.set(customerId, this);
    this.disposables.push(
      { dispose: () => CustomerPanel.open.get(customerId) === this && CustomerPanel.open.delete(customerId) },
      deps.session.onDidChange(() => {
        this.updateTitle();
        // While this tab writes, it posts the update itself after the reply.
        if (this.panel.visible && !this.writing) this.post({ type: 'update', data: this.data() });
      }),
    );
  }

  private customer(): Customer | undefined {
    if (this.session.state !== 'ok') return undefined;
    const customer = getById(this.session.file, 'customers', this.customerId);
    if (customer) this.lastKnown = customer;
    return customer;
  }

  private updateTitle(): void {
    const customer = this.customer() ?? this.lastKnown;
    this.panel.title = customer?.name ?? this.customerId;
  }

  data(): CustomerPageData {
    const customer = this.customer();
    const shown = customer ?? this.lastKnown;
    const currency = this.session.settings.currency;
    const empty = { purchases: [], subscriptions: [], incidents: [], followUps: [], notes: [], contacts: [] };
    const base: CustomerPageData = {
      customerId: this.customerId,
      values: customerFormValuesOf(shown ?? {}),
      archived: shown?.archived ?? false,
      currency,
      today: new Date().toISOString().slice(0, 10),
      flags: { atRisk: false, riskReasons: [], quiet: false, topValue: false },
      timeline: empty,
      suggestions: { tags: [], owners: [], sources: [] },
    };
    if (!customer) {
      return {
        ...base,
        blocked:
          this.session.state !== 'ok'
            ? vscode.l10n.t('The data file cannot be read now, so nothing can be saved. Fix the file, then reopen this page.')
            : vscode.l10n.t('This customer is no longer in the book.'),
      };
    }
    const figures = this.session.figures;
    const file = this.session.file;
    const index = figures.index;
    const id = customer.id;
    const value = figures.value(id);
    let valueData: CustomerPageData['value'];
    if (value && value.model !== 'none') {
      // explainValue starts with the figures the page shows as tiles: value, paid so far, then P(alive) and expected purchases when present.
      const tiles = 2 + (value.pPurchase12m !== undefined ? 1 : 0) + (value.pAlive !== undefined ? 1 : 0) + (value.expectedPurchases12m !== undefined ? 1 : 0);
      const percent = new Intl.NumberFormat(displayLocale(), { style: 'percent', maximumFractionDigits: 0 });
      const backtest = backtestWords(value, currency);
      valueData = {
        ltv: money(value.ltvCents, currency),
        historical: money(value.historicalCents, currency),
        model: modelWord(value.model),
        pPurchase12m: value.pPurchase12m !== undefined ? percent.format(value.pPurchase12m) : undefined,
        pAlive: value.pAlive !== undefined ? percent.format(value.pAlive) : undefined,
        expectedPurchases12m: value.expectedPurchases12m !== undefined ? new Intl.NumberFormat(displayLocale(), { maximumFractionDigits: 1 }).format(value.expectedPurchases12m) : undefined,
        explanation: [...explainValue(value, currency, { exact: true }).slice(tiles), ...(backtest ? [backtest] : [])],
      };
    } else if (value) {
      valueData = { ltv: money(value.ltvCents, currency), historical: money(value.historicalCents, currency), model: modelWord(value.model), explanation: [] };
    }
    const quiet = figures.quiet(id);
    const quietWhy = quiet
      ? quiet.reasons.includes('beyond-keep-in-touch') && quiet.keepInTouchDays
        ? vscode.l10n.t('no contact for {0} days (keep in touch every {1} days)', quiet.daysSince, quiet.keepInTouchDays)
        : quiet.usualGapDays
          ? vscode.l10n.t('nothing for {0} days (usually every {1} days)', quiet.daysSince, quiet.usualGapDays)
          : vscode.l10n.t('nothing for {0} days', quiet.daysSince)
      : undefined;
    const today = figures.asOf;

    const purchases = (index.purchasesByCustomer.get(id) ?? []).map((p): TimelineEntry => ({
      id: p.id,
      at: p.date,
      when: dayText(p.date),
      title: money(toCents(p.amount), p.currency),
      detail: p.note || undefined,
      changed: changedLine(p),
    }));
    const subscriptions = (index.subscriptionsByCustomer.get(id) ?? []).map((s): TimelineEntry => ({
      id: s.id,
      at: s.start,
      when: dayText(s.start),
      title: s.period === 'month' ? vscode.l10n.t('{0} per month', money(toCents(s.amount), s.currency)) : vscode.l10n.t('{0} per year', money(toCents(s.amount), s.currency)),
      detail: s.end ? vscode.l10n.t('Ended {0}', dayText(s.end)) : vscode.l10n.t('Active since {0}', dayText(s.start)),
      badge: s.end && s.end <= today ? vscode.l10n.t('Cancelled') : vscode.l10n.t('Active'),
      changed: changedLine(s),
    }));
    const incidents = (index.incidentsByCustomer.get(id) ?? []).map((i: Incident): TimelineEntry => {
      const outlook = figures.outlook(i);
      const facts = [i.category, i.severity, channelWord(i.channel), ...i.tags.map((t) => `#${t}`)];
      if (outlook.outlook === 'at-risk') facts.push(vscode.l10n.t('at risk: {0}', outlook.reasons.map(outlookReasonWord).join(', ')));
      return {
        id: i.id,
        at: i.openedAt,
        when: instantText(i.openedAt),
        title: i.summary || vscode.l10n.t('(no summary)'),
        detail: facts.join(' · '),
        badge: i.resolvedAt ? vscode.l10n.t('Resolved') : vscode.l10n.t('Open'),
        attention: !i.resolvedAt,
        changed: changedLine(i),
      };
    });
    const followUps = (index.followUpsByCustomer.get(id) ?? []).map((f): TimelineEntry => {
      const details = [f.assignee ? vscode.l10n.t('assigned to {0}', f.assignee) : undefined];
      if (f.outcome) details.push(f.outcome.satisfied ? vscode.l10n.t('satisfied') : vscode.l10n.t('not satisfied'), f.outcome.rating ? `${f.outcome.rating}/5` : undefined, f.outcome.comment);
      const statusWord = f.status === 'done' ? vscode.l10n.t('Done') : f.status === 'skipped' ? vscode.l10n.t('Skipped') : vscode.l10n.t('Pending');
      return {
        id: f.id,
        at: f.due,
        when: dayText(f.due),
        title: [followUpKindLabel(f.kind), f.title].filter(Boolean).join(': '),
        detail: details.filter(Boolean).join(' · ') || undefined,
        badge: statusWord,
        attention: f.status === 'pending' && f.due < today,
        changed: changedLine(f),
      };
    });
    const notes = (index.notesByCustomer.get(id) ?? []).map((n): TimelineEntry => ({
      id: n.id,
      at: n.due,
      when: dayText(n.due),
      title: vscode.l10n.t('Handwritten note'),
      detail: n.text || undefined,
      badge: noteStatusLabel(n.status),
      changed: changedLine(n),
    }));
    const contacts = (index.contactsByCustomer.get(id) ?? []).map((c): TimelineEntry => ({
      id: c.id,
      at: c.at,
      when: instantText(c.at),
      title: c.by ? vscode.l10n.t('{0}, by {1}', channelWord(c.channel), c.by) : channelWord(c.channel),
      detail: c.summary || undefined,
      changed: changedLine(c),
    }));

    const distinct = (values: Array<string | undefined>): string[] => [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b)).slice(0, 2000);
    const referrer = customer.referredBy ? getById(file, 'customers', customer.referredBy) : undefined;
    return {
      ...base,
      referredByName: referrer?.name,
      value: valueData,
      today,
      flags: {
        atRisk: figures.riskReasons(id).length > 0,
        riskReasons: figures.riskReasons(id).map(outlookReasonWord),
        quiet: !!quiet,
        quietWhy,
        topValue: figures.isTopValue(id),
      },
      timeline: {
        purchases: newestFirst(purchases),
        subscriptions: newestFirst(subscriptions),
        incidents: newestFirst(incidents),
        followUps: newestFirst(followUps),
        notes: newestFirst(notes),
        contacts: newestFirst(contacts),
      },
      suggestions: {
        tags: distinct(file.customers.flatMap((c) => c.tags)),
        owners: distinct([...file.team.map((t) => t.name), ...file.customers.map((c) => c.owner), this.session.user]),
        sources: distinct(file.customers.map((c) => c.source)),
      },
    };
  }

  protected initMessage(): CustomerHostMessage {
    return { type: 'init', strings: this.strings, data: this.data() };
  }

  protected async handle(message: CustomerWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'pickCustomer': {
        if (this.session.state !== 'ok') return this.post({ type: 'picked', requestId: message.requestId, customer: null });
        const chosen = await pickCustomer(this.session, vscode.l10n.t('Referred by'));
        return this.post({ type: 'picked', requestId: message.requestId, customer: chosen ? { id: chosen.id, name: chosen.name } : null });
      }
      case 'saveCustomer':
        return this.saveCustomer(message.requestId, message.values);
      case 'recordPurchase':
        return this.recordPurchase(message.requestId, message.values);
      case 'action':
        void vscode.commands.executeCommand(ACTION_COMMANDS[message.action], message.action === 'logIncident' ? { customerId: this.customerId } : this.customerId);
        return;
      case 'openIncident':
        void vscode.commands.executeCommand('loyal.incident.edit', message.incidentId);
        return;
      case 'openCustomer':
        CustomerPanel.show(this.deps, message.customerId);
        return;
      case 'ready':
        return;
    }
  }

  private refuse(requestId: string, errors: Partial<Record<string, FieldErrorCode>>): void {
    this.post({ type: 'invalid', requestId, errors: translatedErrors(errors, this.strings), message: this.strings['form.fixErrors'] });
  }

  private unavailable(requestId: string): boolean {
    if (this.session.state === 'ok' && this.session.store && this.customer()) return false;
    this.post({
      type: 'failed',
      requestId,
      message:
        this.customer() === undefined && this.session.state === 'ok'
          ? vscode.l10n.t('This customer is no longer in the book.')
          : vscode.l10n.t('The data file cannot be read now, so nothing was saved.'),
    });
    return true;
  }

  private async saveCustomer(requestId: string, values: Partial<CustomerFormValues>): Promise<void> {
    if (this.unavailable(requestId)) return;
    const current = this.customer()!;
    const file = this.session.file;
    // Only the fields the person changed are written, so a teammate's edit to another field survives.
    const merged: CustomerFormValues = { ...customerFormValuesOf(current), ...values };
    const check = checkCustomerForm(merged, { selfId: current.id, customerExists: (id) => !!getById(file, 'customers', id) });
    if (!check.ok) return this.refuse(requestId, check.errors);
    const changes: Partial<Customer> = {};
    for (const key of Object.keys(values) as CustomerField[]) {
      if (CUSTOMER_FIELDS.includes(key)) (changes as Record<string, unknown>)[key] = (check.record as EditableCustomer)[key];
    }
    try {
      this.writing = true;
      await this.session.store!.update((tx) => tx.patch('customers', current.id, changes));
    } catch (error) {
      return this.storeRefused(requestId, error);
    } finally {
      this.writing = false;
    }
    this.post({ type: 'saved', requestId, id: current.id, message: this.strings['form.saved'] });
    this.post({ type: 'update', data: this.data() });
  }

  private async recordPurchase(requestId: string, values: { amount: string; date: string; note: string }): Promise<void> {
    if (this.unavailable(requestId)) return;
    const check = checkPurchaseForm(values);
    if (!check.ok) return this.refuse(requestId, check.errors);
    let purchaseId: string;
    try {
      this.writing = true;
      const purchase = await this.session.store!.update((tx) => tx.insert('purchases', { customerId: this.customerId, currency: this.session.settings.currency, ...check.record }));
      purchaseId = purchase.id;
    } catch (error) {
      return this.storeRefused(requestId, error);
    } finally {
      this.writing = false;
    }
    this.post({ type: 'saved', requestId, id: purchaseId, message: this.strings['purchase.saved'] });
    this.post({ type: 'update', data: this.data() });
  }

  private storeRefused(requestId: string, error: unknown): void {
    if (error instanceof ValidationError) {
      const errors: Record<string, FieldErrorCode> = {};
      for (const issue of error.issues) errors[issue.path.split(/[.[]/)[0]] ??= 'invalid';
      return this.refuse(requestId, errors);
    }
    const text = error instanceof Error ? error.message : String(error);
    this.post({ type: 'failed', requestId, message: vscode.l10n.t('Nothing was saved: {0}', text) });
  }
}
