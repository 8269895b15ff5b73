// The morning review (README "The morning review": under a minute, most valuable customer
// first): what is overdue, due today, this week and later, the notes to write and post, the
// customers at risk and those gone quiet. One function groups the follow-ups for the Today
// view, the status bar and `loyal review`, so they always agree.
import { dayNumber, type BookIndex } from './book';
import { quietStatusOn, type QuietCustomer } from './quiet';
import { customerRiskIn, customersAtRisk, effectiveDue, riskWindow, valueAtStake, type CustomerRisk, type OutlookReason } from './recovery';
import type { Customer, FollowUp, FollowUpKind, NoteStatus } from './records';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings';

export interface ReviewOptions {
  /** The day of the review (today, or `--as-of`). */
  asOf: string;
  /** The current user, for `mineOnly`. */
  user?: string;
  /** Only follow-ups assigned to `user` (or unassigned ones of the customers `user` owns); ignored without `user`. */
  mineOnly?: boolean;
  /** The customer's lifetime value in cents (the LTV engine's estimate). */
  ltvOf: (customerId: string) => number;
  settings?: RuleSettings;
}

export interface ReviewFollowUp {
  followUpId: string;
  kind: FollowUpKind;
  title?: string;
  customerId: string;
  customerName: string;
  incidentId?: string;
  /** The effective due day: the snooze day when snoozed, else the due day. */
  due: string;
  /** The due day before any snooze, when the follow-up is snoozed. */
  originalDue?: string;
  assignee?: string;
  /** LTV in cents, x `atRiskValueFactor` when the customer is at risk, rounded to the cent. */
  valueAtStakeCents: number;
  customerAtRisk: boolean;
  /** Calendar days from the review day to `due`: negative when overdue, 0 today. */
  daysUntilDue: number;
}

export interface ReviewNote {
  noteId: string;
  customerId: string;
  customerName: string;
  incidentId?: string;
  due: string;
  daysUntilDue: number;
  status: Exclude<NoteStatus, 'sent'>;
  address?: string;
  text: string;
}

export interface ReviewAtRisk {
  customerId: string;
  customerName: string;
  reasons: OutlookReason[];
  incidentIds: string[];
  ltvCents: number;
}

export interface ReviewQuiet extends QuietCustomer {
  ltvCents: number;
}

export interface Review {
  asOf: string;
  overdue: ReviewFollowUp[];
  today: ReviewFollowUp[];
  /** Due in the 6 days after today. */
  thisWeek: ReviewFollowUp[];
  later: ReviewFollowUp[];
  /** Every note to write or to post, earliest due first. */
  notes: ReviewNote[];
  /** Customers at risk, most valuable first. */
  atRisk: ReviewAtRisk[];
  /** Customers gone quiet, most valuable first. */
  quiet: ReviewQuiet[];
  counts: { due: number; overdue: number; today: number; thisWeek: number; later: number; notes: number; atRisk: number; quiet: number };
}

/** Days after today that still count as "this week". */
export const THIS_WEEK_DAYS = 6;

/** The pending follow-ups of a review, grouped by when they are due. */
export interface FollowUpGroups {
  asOf: string;
  overdue: ReviewFollowUp[];
  today: ReviewFollowUp[];
  /** Due in the 6 days after today. */
  thisWeek: ReviewFollowUp[];
  later: ReviewFollowUp[];
}

/**
 * The follow-up groups of the review of `asOf`, exactly as `buildReview` has them, without
 * the notes, the customers at risk and the quiet ones: the Today view and the status bar
 * need only these, and on a big book they cost a fraction of the whole review because risk
 * is worked out only for the customers who have a pending follow-up.
 */
export function buildFollowUpGroups(book: BookIndex, options: ReviewOptions): FollowUpGroups {
  return groupFollowUps(book, options, groupFactsOf(book, options));
}

/**
 * Builds the morning review of `asOf`. Archived customers (and records of customers not
 * in the book) are left out everywhere. Within a group, the highest value at stake comes
 * first, then the earliest due day, then the customer's name.
 */
export function buildReview(book: BookIndex, options: ReviewOptions): Review {
  const { asOf } = options;
  const settings = options.settings ?? DEFAULT_RULE_SETTINGS;
  const today = dayNumber(asOf);
  const factsOf = customerFactsOf(book, options);
  const { overdue, today: todays, thisWeek, later } = groupFollowUps(book, options, factsOf);

  const notes: ReviewNote[] = [];
  for (const note of book.openNotes) {
    const customer = factsOf(note.customerId)?.customer;
    if (!customer || note.status === 'sent') continue;
    notes.push({
      noteId: note.id,
      customerId: customer.id,
      customerName: customer.name,
      ...(note.incidentId ? { incidentId: note.incidentId } : {}),
      due: note.due,
      daysUntilDue: dayNumber(note.due) - today,
      status: note.status,
      ...(note.address ? { address: note.address } : {}),
      text: note.text,
    });
  }
  notes.sort((a, b) => compareText(a.due, b.due) || compareNames(a.customerName, b.customerName) || compareText(a.noteId, b.noteId));

  const atRisk: ReviewAtRisk[] = [];
  for (const customerId of recentIncidentsOf(book, asOf, settings).incidentsByCustomer.keys()) {
    const f = factsOf(customerId);
    if (f?.risk.atRisk) atRisk.push({ customerId, customerName: f.customer.name, reasons: f.risk.reasons, incidentIds: f.risk.incidentIds, ltvCents: f.ltv });
  }
  atRisk.sort((a, b) => b.ltvCents - a.ltvCents || compareNames(a.customerName, b.customerName) || compareText(a.customerId, b.customerId));

  const quiet: ReviewQuiet[] = [];
  for (const customer of book.file.customers) {
    const status = quietStatusOn(book, customer, today, settings);
    if (status) quiet.push({ ...status, ltvCents: factsOf(customer.id)?.ltv ?? 0 });
  }
  quiet.sort((a, b) => b.ltvCents - a.ltvCents || b.daysSince - a.daysSince || compareNames(a.customerName, b.customerName));

  return {
    asOf,
    overdue,
    today: todays,
    thisWeek,
    later,
    notes,
    atRisk,
    quiet,
    counts: {
      due: overdue.length + todays.length,
      overdue: overdue.length,
      today: todays.length,
      thisWeek: thisWeek.length,
      later: later.length,
      notes: notes.length,
      atRisk: atRisk.length,
      quiet: quiet.length,
    },
  };
}

/** What a follow-up of the review shows about its customer. */
interface GroupFacts {
  customer: Customer;
  ltv: number;
  atRisk: boolean;
}

interface CustomerFacts extends GroupFacts {
  risk: CustomerRisk;
}

type FactsOf = (customerId: string) => CustomerFacts | null;
type GroupFactsOf = (customerId: string) => GroupFacts | null;

/**
 * What the review needs about a customer, looked up once however many follow-ups they
 * have (on a big book the cost of the review is mostly map lookups); null for a customer
 * not in the book or archived. `more` adds the facts beyond the customer and the value.
 */
function factsLookup<F extends GroupFacts>(book: BookIndex, ltvOf: (customerId: string) => number, more: (customerId: string) => Omit<F, 'customer' | 'ltv'>): (customerId: string) => F | null {
  const customersById = book.customersById;
  const facts = new Map<string, F | null>();
  return (customerId) => {
    let found = facts.get(customerId);
    if (found === undefined) {
      const customer = customersById.get(customerId);
      if (!customer || customer.archived) found = null;
      else {
        const raw = ltvOf(customerId);
        found = { customer, ltv: Number.isFinite(raw) ? raw : 0, ...more(customerId) } as F;
      }
      facts.set(customerId, found);
    }
    return found;
  };
}

/** The facts the follow-up groups need: whether each customer is at risk, not why. */
function groupFactsOf(book: BookIndex, options: ReviewOptions): GroupFactsOf {
  const atRisk = customersAtRisk(book.file.incidents, riskWindow(options.asOf, options.settings ?? DEFAULT_RULE_SETTINGS));
  return factsLookup<GroupFacts>(book, options.ltvOf, (customerId) => ({ atRisk: atRisk.has(customerId) }));
}

/** Everything the review needs about a customer, the reasons of its risk included. */
function customerFactsOf(book: BookIndex, options: ReviewOptions): FactsOf {
  const settings = options.settings ?? DEFAULT_RULE_SETTINGS;
  const window = riskWindow(options.asOf, settings);
  const recent = recentIncidentsOf(book, options.asOf, settings);
  return factsLookup<CustomerFacts>(book, options.ltvOf, (customerId) => {
    const risk = customerRiskIn(recent, customerId, window);
    return { risk, atRisk: risk.atRisk };
  });
}

/**
 * The book seen by the risk rule: only incidents opened from a little before the risk
 * window on. Grouping all 100k incidents of a big book by customer is most of the cost of
 * the Today view; the risk of `asOf` never looks further back than the window plus the
 * repeat window (an incident opened more than `repeatWindowDays + 2` days before another
 * cannot make it a repeat), so the older ones are left out of the grouping.
 */
function recentIncidentsOf(book: BookIndex, asOf: string, settings: RuleSettings): BookIndex {
  const window = riskWindow(asOf, settings);
  return book.withIncidentsSince(window.fromMs - (window.repeatWindowDays + 3) * DAY_MS);
}

const DAY_MS = 86_400_000;

function groupFollowUps(book: BookIndex, options: ReviewOptions, factsOf: GroupFactsOf): FollowUpGroups {
  const settings = options.settings ?? DEFAULT_RULE_SETTINGS;
  const today = dayNumber(options.asOf);
  const mine = options.mineOnly && options.user ? options.user : undefined;
  const overdue: ReviewFollowUp[] = [];
  const todays: ReviewFollowUp[] = [];
  const thisWeek: ReviewFollowUp[] = [];
  const later: ReviewFollowUp[] = [];
  for (const followUp of book.pendingFollowUps) {
    const f = factsOf(followUp.customerId);
    if (!f || (mine !== undefined && !isMine(followUp, f.customer, mine))) continue;
    const item = reviewFollowUp(followUp, f.customer, today, f.ltv, f.atRisk, settings);
    const group = item.daysUntilDue < 0 ? overdue : item.daysUntilDue === 0 ? todays : item.daysUntilDue <= THIS_WEEK_DAYS ? thisWeek : later;
    group.push(item);
  }
  for (const group of [overdue, todays, thisWeek, later]) group.sort(byValueAtStake);
  return { asOf: options.asOf, overdue, today: todays, thisWeek, later };
}

/**
 * A follow-up is mine when it is assigned to me, or nobody is assigned and I own the
 * customer: an unassigned follow-up would otherwise vanish from every "mine only" list.
 */
export function isMine(followUp: FollowUp, customer: Customer, user: string): boolean {
  return followUp.assignee ? followUp.assignee === user : customer.owner === user;
}

function reviewFollowUp(followUp: FollowUp, customer: Customer, today: number, ltv: number, atRisk: boolean, settings: RuleSettings): ReviewFollowUp {
  const due = effectiveDue(followUp);
  // Optional fields are set only when present (the JSON of `loyal review` has no nulls);
  // assigned one by one because spreading a literal per field allocates 20k objects more.
  const item: ReviewFollowUp = {
    followUpId: followUp.id,
    kind: followUp.kind,
    customerId: customer.id,
    customerName: customer.name,
    due,
    valueAtStakeCents: 0,
    customerAtRisk: atRisk,
    daysUntilDue: dayNumber(due) - today,
  };
  if (followUp.title) item.title = followUp.title;
  if (followUp.incidentId) item.incidentId = followUp.incidentId;
  if (followUp.snoozedUntil) item.originalDue = followUp.due;
  if (followUp.assignee) item.assignee = followUp.assignee;
  item.valueAtStakeCents = Math.round(valueAtStake(ltv, atRisk, settings));
  return item;
}

function byValueAtStake(a: ReviewFollowUp, b: ReviewFollowUp): number {
  return b.valueAtStakeCents - a.valueAtStakeCents || compareText(a.due, b.due) || compareNames(a.customerName, b.customerName) || compareText(a.followUpId, b.followUpId);
}

// One collator for every sort: localeCompare builds one per call, too slow for 20k follow-ups.
const compareNames = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
