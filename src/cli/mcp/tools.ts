// What each tool of `loyal mcp` does, over one open book. Reads use the same domain
// functions as `loyal review`, `loyal ltv` and `loyal trends`, so an agent and the CLI
// see the same figures; writes go through the store (lock, merge, backups) in one update
// each, like `loyal add` and `loyal resolve`. No tool deletes anything.
import type { z } from 'zod';
import { dayNumber, indexBook, lastActivityDay, type BookIndex } from '../../domain/book';
import { CustomerKeys } from '../../domain/csv';
import type { CustomerLtv, LtvBook } from '../../domain/ltv/types';
import type { LtvUserSettings } from '../../domain/ltv/fromBook';
import { fromCents, toCents } from '../../domain/money';
import { quietStatus, quietStatusOn } from '../../domain/quiet';
import {
  applyCompleteFollowUp,
  applyResolve,
  customerRisk,
  customersAtRisk,
  effectiveDue,
  recoveryOutlook,
  recoveryProgress,
  riskWindow,
  RuleError,
  topValueSet,
  type RuleTx,
  type TopValue,
} from '../../domain/recovery';
import type { Customer, LoyalFile } from '../../domain/records';
import { buildReview } from '../../domain/review';
import type { RuleSettings } from '../../domain/settings';
import { computeTrends } from '../../domain/trends/compute';
import { TrendCache } from '../../domain/trends/columns';
import type { TrendFilters } from '../../domain/trends/types';
import { dayOf, dayOfInstant, instantOf, type Clock } from '../../domain/time';
import { ValidationError } from '../../store/errors';
import type { LoyalStore } from '../../store/store';
import type { Transaction } from '../../store/transaction';
import { estimateFile, ltvCentsOf } from '../commands/ltv';
import { describeResolution } from '../commands/resolve';
import type {
  AddFollowUpInput,
  CompleteFollowUpInput,
  CustomerInput,
  FindCustomersInput,
  LogContactInput,
  LogIncidentInput,
  MorningReviewInput,
  RecordPurchaseInput,
  ResolveIncidentInput,
  TrendsInput,
} from './schemas';
import { instantInput } from './schemas';

/** A refused call: names the argument at fault, when there is one. Nothing was written. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** What a tool answers: a short text for the person reading along, and the data. */
export interface ToolAnswer {
  text: string;
  data: Record<string, unknown>;
}

export interface ToolContext {
  store: LoyalStore;
  clock: Clock;
  /** The person behind the agent (`--user`, $LOYAL_USER, git user.name): assignee, resolver, "done by". */
  user: string;
  ltvSettings: LtvUserSettings;
  /** The recovery and risk rules (the editor passes its `loyal.*` settings; the CLI's defaults otherwise). */
  rules: RuleSettings;
  /** Default currency of a purchase. */
  currency: string;
}

/** Derived figures of one version of the book, kept while the book is unchanged. */
class BookFigures {
  private indexCache: BookIndex | undefined;
  private readonly ltvByDay = new Map<string, LtvBook>();
  constructor(
    readonly version: number,
    readonly file: LoyalFile,
    private readonly settings: LtvUserSettings,
  ) {}
  get index(): BookIndex {
    return (this.indexCache ??= indexBook(this.file));
  }
  ltv(asOf: string): LtvBook {
    let book = this.ltvByDay.get(asOf);
    if (!book) {
      book = estimateFile(this.file, this.settings, asOf);
      // A handful of days at most (today, and what an agent asks about).
      if (this.ltvByDay.size >= 8) this.ltvByDay.clear();
      this.ltvByDay.set(asOf, book);
    }
    return book;
  }
}

const compareNames = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function money(value: number): string {
  return fromCents(Math.round(value * 100));
}

export class LoyalTools {
  private figuresCache: BookFigures | undefined;
  /** The trend pass's arrays, kept from one report to the next (read again when the book changes). */
  private readonly trendCache = new TrendCache();

  constructor(private readonly ctx: ToolContext) {}

  private figures(): BookFigures {
    const store = this.ctx.store;
    if (this.figuresCache?.version !== store.version) this.figuresCache = new BookFigures(store.version, store.file, this.ctx.ltvSettings);
    return this.figuresCache;
  }

  private today(): string {
    return dayOf(this.ctx.clock.now());
  }

  private customerOf(file: LoyalFile, key: string, field = 'customer'): Customer {
    const id = new CustomerKeys(file.customers).find(key.trim());
    const customer = id ? this.figures().index.customersById.get(id) : undefined;
    if (!customer) throw new ToolError(`no customer has the id or external id "${key}" (find_customers lists them)`, field);
    return customer;
  }

  // ---------------------------------------------------------------------------------
  // Reads.

  morningReview(input: z.output<typeof MorningReviewInput>): ToolAnswer {
    const asOf = input.asOf ?? this.today();
    const figures = this.figures();
    const review = buildReview(figures.index, {
      asOf,
      ltvOf: ltvCentsOf(figures.ltv(asOf)),
      settings: this.ctx.rules,
      ...(input.mine ? { user: this.ctx.user, mineOnly: true } : {}),
    });
    const cut = <T>(items: T[]): T[] => items.slice(0, input.limit);
    const sections = { overdue: review.overdue, today: review.today, notes: review.notes, atRisk: review.atRisk, quiet: review.quiet };
    const truncated = Object.entries(sections)
      .filter(([, items]) => items.length > input.limit)
      .map(([name]) => name);
    const first = review.overdue[0] ?? review.today[0];
    const c = review.counts;
    const text = [
      `Morning review for ${asOf}${input.mine ? ` (${this.ctx.user} only)` : ''}: ${c.overdue} overdue, ${c.today} due today, ${plural(c.notes, 'handwritten note')} to write or post, ${plural(c.atRisk, 'customer')} at risk, ${c.quiet} gone quiet; ${c.thisWeek} more due this week.`,
      first ? `Start with ${first.customerName} (${first.kind}, due ${first.due}${first.valueAtStakeCents > 0 ? `, value at stake ${fromCents(first.valueAtStakeCents)}` : ''}).` : 'Nothing is due.',
      truncated.length ? `Only the first ${input.limit} of ${truncated.join(', ')} are listed (see counts).` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      text,
      data: {
        asOf,
        ...(input.mine ? { user: this.ctx.user } : {}),
        overdue: cut(review.overdue),
        today: cut(review.today),
        notes: cut(review.notes),
        atRisk: cut(review.atRisk),
        quiet: cut(review.quiet),
        counts: review.counts,
        ...(truncated.length ? { truncated } : {}),
      },
    };
  }

  findCustomers(input: z.output<typeof FindCustomersInput>): ToolAnswer {
    const asOf = input.asOf ?? this.today();
    const figures = this.figures();
    const file = figures.file;
    const index = figures.index;
    const ltv = figures.ltv(asOf);
    const atRisk = customersAtRisk(file.incidents, riskWindow(asOf, this.ctx.rules));
    const today = dayNumber(asOf);
    const needle = input.text?.toLocaleLowerCase();
    const tag = input.tag?.toLocaleLowerCase();
    const rows = [];
    for (const c of file.customers) {
      if (c.archived && !input.includeArchived) continue;
      if (tag !== undefined && !c.tags.some((t) => t.toLocaleLowerCase() === tag)) continue;
      if (
        needle &&
        !(
          c.name.toLocaleLowerCase().includes(needle) ||
          (c.company ?? '').toLocaleLowerCase().includes(needle) ||
          (c.email ?? '').toLocaleLowerCase().includes(needle) ||
          c.tags.some((t) => t.toLocaleLowerCase().includes(needle))
        )
      )
        continue;
      const risky = atRisk.has(c.id);
      if (input.atRisk !== undefined && risky !== input.atRisk) continue;
      const quiet = quietStatusOn(index, c, today, this.ctx.rules) !== undefined;
      if (input.quiet !== undefined && quiet !== input.quiet) continue;
      const value = ltv.customers.get(c.id);
      const last = lastActivityDay(index, c.id, asOf);
      rows.push({
        id: c.id,
        ...(c.externalId ? { externalId: c.externalId } : {}),
        name: c.name,
        ...(c.company ? { company: c.company } : {}),
        ...(c.email ? { email: c.email } : {}),
        tags: c.tags,
        ...(c.owner ? { owner: c.owner } : {}),
        ltv: value?.ltv ?? 0,
        historicalValue: value?.historicalValue ?? 0,
        model: value?.model ?? 'none',
        atRisk: risky,
        quiet,
        ...(last ? { lastActivity: last } : {}),
        ...(c.archived ? { archived: true } : {}),
      });
    }
    const byName = (a: { name: string }, b: { name: string }): number => compareNames(a.name, b.name);
    switch (input.sort) {
      case 'value':
        rows.sort((a, b) => b.ltv - a.ltv || byName(a, b));
        break;
      case 'name':
        rows.sort(byName);
        break;
      case 'last-contact':
        // Longest silence first, as the Customers view sorts it.
        rows.sort((a, b) => (a.lastActivity ?? '').localeCompare(b.lastActivity ?? '') || byName(a, b));
        break;
      case 'risk': {
        const key = (r: { atRisk: boolean; quiet: boolean }): number => (r.atRisk ? 2 : 0) + (r.quiet ? 1 : 0);
        rows.sort((a, b) => key(b) - key(a) || b.ltv - a.ltv || byName(a, b));
        break;
      }
    }
    const listed = rows.slice(0, input.limit);
    const text = rows.length
      ? `${plural(rows.length, 'customer')} match${rows.length === 1 ? 'es' : ''}${rows.length > listed.length ? ` (the first ${listed.length} listed)` : ''}: ${listed
          .slice(0, 5)
          .map((r) => `${r.name} (${r.id}, LTV ${money(r.ltv)})`)
          .join(', ')}${listed.length > 5 ? ', ...' : ''}.`
      : 'No customer matches.';
    return { text, data: { asOf, total: rows.length, customers: listed } };
  }

  customer(input: z.output<typeof CustomerInput>): ToolAnswer {
    const asOf = input.asOf ?? this.today();
    const figures = this.figures();
    const index = figures.index;
    const customer = this.customerOf(figures.file, input.customer);
    const id = customer.id;
    const ltv: CustomerLtv | undefined = figures.ltv(asOf).customers.get(id);
    // Whatever the LTV engine gives (pAlive, expected purchases...), without the repeated id.
    const value: Record<string, unknown> & { ltv: number; historicalValue: number; model: string } = { ...(ltv ?? { model: 'none', historicalValue: 0, ltv: 0, explanation: null }) };
    delete value.customerId;
    const risk = customerRisk(index, id, asOf, this.ctx.rules);
    const quiet = quietStatus(index, customer, asOf, this.ctx.rules);
    const followUps = index.followUpsByCustomer.get(id) ?? [];
    const incidents = index.incidentsByCustomer.get(id) ?? [];
    const openIncidents = incidents
      .filter((i) => i.resolvedAt === undefined)
      .map((incident) => ({
        ...incident,
        outlook: recoveryOutlook(index, incident, this.ctx.rules),
        progress: recoveryProgress(incident, index.followUpsByIncident.get(incident.id) ?? []),
      }));
    const pendingFollowUps = followUps
      .filter((f) => f.status === 'pending')
      .map((f) => ({ ...f, effectiveDue: effectiveDue(f) }))
      .sort((a, b) => a.effectiveDue.localeCompare(b.effectiveDue));
    const openNotes = (index.notesByCustomer.get(id) ?? []).filter((n) => n.status !== 'sent');

    type Entry = { at: string; kind: string; id: string; summary: string };
    const timeline: Entry[] = [];
    for (const p of index.purchasesByCustomer.get(id) ?? []) timeline.push({ at: p.date, kind: 'purchase', id: p.id, summary: `${p.amount} ${p.currency}${p.note ? `: ${p.note}` : ''}` });
    for (const s of index.subscriptionsByCustomer.get(id) ?? [])
      timeline.push({ at: s.start, kind: 'subscription', id: s.id, summary: `${s.amount} ${s.currency} a ${s.period}${s.end ? `, ended ${s.end}` : ''}` });
    for (const c of index.contactsByCustomer.get(id) ?? []) timeline.push({ at: c.at, kind: 'contact', id: c.id, summary: `${c.channel} by ${c.by}${c.summary ? `: ${c.summary}` : ''}` });
    for (const i of incidents) {
      timeline.push({ at: i.openedAt, kind: 'incident', id: i.id, summary: `${i.severity} ${i.category} incident${i.summary ? `: ${i.summary}` : ''}` });
      if (i.resolvedAt)
        timeline.push({ at: i.resolvedAt, kind: 'incident-resolved', id: i.id, summary: `resolved${i.resolvedBy ? ` by ${i.resolvedBy}` : ''}${i.resolutionNote ? `: ${i.resolutionNote}` : ''}` });
    }
    for (const f of followUps) {
      if (f.status !== 'done' || !f.doneAt) continue;
      const outcome = f.outcome
        ? `${f.outcome.satisfied ? 'satisfied' : 'not satisfied'}${f.outcome.rating ? `, rating ${f.outcome.rating}` : ''}${f.outcome.comment ? `: ${f.outcome.comment}` : ''}`
        : 'done';
      timeline.push({ at: f.doneAt, kind: 'follow-up', id: f.id, summary: `${f.kind} ${outcome}` });
    }
    for (const n of index.notesByCustomer.get(id) ?? []) if (n.sentAt) timeline.push({ at: n.sentAt, kind: 'note-sent', id: n.id, summary: 'handwritten note sent' });
    // Days (YYYY-MM-DD) and instants (YYYY-MM-DDT...) compare as text: anything of the as-of day sorts before this.
    const until = `${asOf}\uffff`;
    const recent = timeline
      .filter((e) => e.at <= until)
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, input.timelineLimit);

    const text = [
      `${customer.name} (${id})${customer.company ? `, ${customer.company}` : ''}: LTV ${money(value.ltv)} (${value.model}), paid so far ${money(value.historicalValue)}.`,
      risk.atRisk ? `At risk (${risk.reasons.join(', ')}).` : '',
      quiet ? `Gone quiet: ${quiet.daysSince} days since the last activity.` : '',
      `${plural(openIncidents.length, 'open incident')}, ${plural(pendingFollowUps.length, 'pending follow-up')}, ${plural(openNotes.length, 'note')} to write or post.`,
    ]
      .filter(Boolean)
      .join(' ');
    return {
      text,
      data: { asOf, customer, value, risk, quiet: quiet ?? null, openIncidents, pendingFollowUps, openNotes, timeline: recent },
    };
  }

  trends(input: z.output<typeof TrendsInput>): ToolAnswer {
    const asOf = input.asOf ?? this.today();
    if (input.from !== undefined && input.to !== undefined && input.from > input.to) throw new ToolError(`${input.from} is after to (${input.to})`, 'from');
    const filters: TrendFilters = {};
    if (input.category?.length) filters.category = input.category;
    for (const key of ['component', 'staff', 'tag'] as const) if (input[key]?.length) filters[key] = input[key];
    let report;
    try {
      report = computeTrends(this.figures().file, { asOf, bucket: input.bucket, filters, ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) }, this.trendCache);
    } catch (error) {
      if (error instanceof RangeError) throw new ToolError(error.message, 'from');
      throw error;
    }
    const top = report.topComplaints.map((t) => `${t.tag} (${t.count})`).join(', ');
    const text = `${plural(report.total, 'incident')} from ${report.from} to ${report.to}. Top complaints: ${top || 'none'}. ${plural(report.spikes.length, 'spike')} of one staff member at one hour; ${plural(report.releases.length, 'release')} compared before and after.`;
    // The heatmaps and series are for charts; an agent gets the findings and the counts.
    const { series: _series, heatmapWeekdayHour: _weekday, heatmapStaffHour: _staff, ...findings } = report;
    void _series;
    void _weekday;
    void _staff;
    return { text, data: findings as Record<string, unknown> };
  }

  // ---------------------------------------------------------------------------------
  // Writes: each is one store update; a refused one changes nothing.

  async logIncident(input: z.output<typeof LogIncidentInput>): Promise<ToolAnswer> {
    const customer = this.customerOf(this.ctx.store.file, input.customer);
    const openedAt = input.openedAt !== undefined ? instantInput(input.openedAt) : instantOf(this.ctx.clock.now());
    const incident = await this.write((tx) =>
      tx.insert('incidents', {
        customerId: customer.id,
        openedAt,
        channel: input.channel,
        category: input.category,
        ...(input.severity ? { severity: input.severity } : {}),
        ...(input.cause ? { cause: input.cause } : {}),
        ...(input.component?.trim() ? { component: input.component.trim() } : {}),
        ...(input.staff?.trim() ? { staff: input.staff.trim() } : {}),
        ...(input.summary?.trim() ? { summary: input.summary.trim() } : {}),
        ...(input.customerWords?.trim() ? { customerWords: input.customerWords.trim() } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
      }),
    );
    const outlook = recoveryOutlook(this.ctx.store.file, incident, this.ctx.rules);
    const text = `Logged incident ${incident.id} for ${customer.name} (${incident.severity} ${incident.category}, ${incident.channel}). Recovery outlook: ${outlook.outlook}${outlook.reasons.length ? ` (${outlook.reasons.join(', ')})` : ''}. Next: acknowledge and apologise, understand, then resolve_incident.`;
    return { text, data: { incident, outlook } };
  }

  async resolveIncident(input: z.output<typeof ResolveIncidentInput>): Promise<ToolAnswer> {
    const incidentId = input.incident.trim();
    if (!this.ctx.store.get('incidents', incidentId)) throw new ToolError(`there is no incident ${incidentId} in this book`, 'incident');
    const at = input.at !== undefined ? instantInput(input.at) : instantOf(this.ctx.clock.now());
    const settings = this.ctx.ltvSettings;
    const result = await this.write((tx) => {
      // Lifetime values only when the rules ask whether the customer is a top one (as `loyal resolve`).
      let top: Set<string> | undefined;
      const topValue: TopValue = (customerId) => {
        if (!top) {
          const file = tx.file;
          const ltvOf = ltvCentsOf(estimateFile(file, settings, dayOfInstant(at), { backtest: false }));
          top = topValueSet(
            file.customers.filter((c) => !c.archived).map((c) => c.id),
            ltvOf,
            this.ctx.rules.topValueShare,
          );
        }
        return top.has(customerId);
      };
      return applyResolve(
        tx as RuleTx,
        incidentId,
        {
          at,
          by: this.ctx.user,
          fairSolution: input.fairSolution,
          extraMile: input.extraMile,
          extraMileCost: input.extraMileCost === undefined ? undefined : fromCents(toCents(input.extraMileCost)),
          resolutionNote: input.resolutionNote,
          lessonsLearned: input.lessonsLearned,
        },
        this.ctx.rules,
        topValue,
      );
    });
    return { text: describeResolution(result, dayOfInstant(at)), data: { ...result } };
  }

  async completeFollowUp(input: z.output<typeof CompleteFollowUpInput>): Promise<ToolAnswer> {
    const followUpId = input.followUp.trim();
    if (!this.ctx.store.get('followUps', followUpId)) throw new ToolError(`there is no follow-up ${followUpId} in this book`, 'followUp');
    const at = input.at !== undefined ? instantInput(input.at) : instantOf(this.ctx.clock.now());
    const result = await this.write((tx) =>
      applyCompleteFollowUp(tx as RuleTx, followUpId, { satisfied: input.satisfied, rating: input.rating, comment: input.comment }, at, this.ctx.user, this.ctx.rules),
    );
    const next = result.followUps[0];
    const text = input.satisfied
      ? `Follow-up ${followUpId} done: the customer is satisfied${input.rating ? ` (rating ${input.rating})` : ''}.`
      : `Follow-up ${followUpId} done: the customer is not satisfied${result.reopened && result.incident ? `, so the recovery of incident ${result.incident.id} is reopened` : ''}. A new satisfaction check ${next.id} is due ${next.due}.`;
    return { text, data: { ...result } };
  }

  async addFollowUp(input: z.output<typeof AddFollowUpInput>): Promise<ToolAnswer> {
    const customer = this.customerOf(this.ctx.store.file, input.customer);
    const incidentId = input.incident?.trim();
    if (incidentId !== undefined) {
      const incident = this.ctx.store.get('incidents', incidentId);
      if (!incident) throw new ToolError(`there is no incident ${incidentId} in this book`, 'incident');
      if (incident.customerId !== customer.id) throw new ToolError(`incident ${incidentId} is about another customer (${incident.customerId}), not ${customer.id}`, 'incident');
    }
    const followUp = await this.write((tx) =>
      tx.insert('followUps', {
        customerId: customer.id,
        kind: input.kind,
        due: input.due,
        ...(input.title?.trim() ? { title: input.title.trim() } : {}),
        ...(incidentId ? { incidentId } : {}),
        assignee: input.assignee?.trim() || this.ctx.user,
        status: 'pending',
      }),
    );
    return { text: `Added follow-up ${followUp.id} (${followUp.kind}) for ${customer.name}, due ${followUp.due}, for ${followUp.assignee}.`, data: { followUp } };
  }

  async recordPurchase(input: z.output<typeof RecordPurchaseInput>): Promise<ToolAnswer> {
    const customer = this.customerOf(this.ctx.store.file, input.customer);
    const purchase = await this.write((tx) =>
      tx.insert('purchases', {
        customerId: customer.id,
        date: input.date ?? this.today(),
        amount: fromCents(toCents(input.amount)),
        currency: input.currency ?? this.ctx.currency,
        ...(input.note?.trim() ? { note: input.note.trim() } : {}),
      }),
    );
    return { text: `Recorded purchase ${purchase.id}: ${purchase.amount} ${purchase.currency} by ${customer.name} on ${purchase.date}.`, data: { purchase } };
  }

  async logContact(input: z.output<typeof LogContactInput>): Promise<ToolAnswer> {
    const customer = this.customerOf(this.ctx.store.file, input.customer);
    const contact = await this.write((tx) =>
      tx.insert('contacts', {
        customerId: customer.id,
        at: input.at !== undefined ? instantInput(input.at) : instantOf(this.ctx.clock.now()),
        channel: input.channel,
        by: input.by?.trim() || this.ctx.user,
        ...(input.summary?.trim() ? { summary: input.summary.trim() } : {}),
      }),
    );
    return { text: `Logged ${contact.channel} contact ${contact.id} with ${customer.name} at ${contact.at} (the keep-in-touch clock starts again).`, data: { contact } };
  }

  /** One store update; the rules' refusals and invalid records become tool errors naming the field. */
  private async write<T>(change: (tx: Transaction) => T): Promise<T> {
    try {
      return await this.ctx.store.update(change);
    } catch (error) {
      if (error instanceof RuleError) throw new ToolError(error.message);
      if (error instanceof ValidationError) throw new ToolError(error.issues[0]?.message ?? error.message, error.issues[0]?.path);
      throw error;
    }
  }
}
