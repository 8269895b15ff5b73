// The silent killer (README "Customers and lifetime value"; docs/ARCHITECTURE.md): most unhappy customers never complain, they
// just stop buying or answering. A customer is "gone quiet" compared with their own habit,
// or with the keep-in-touch cadence the owner set for them; keep-in-touch follow-ups are
// planned here too, because both read the same clock (the last purchase, contact or
// completed follow-up).
import { activityDayNumbersUntil, dayFromNumber, dayNumber, instantMs, localDayNumberOfMs, type BookIndex } from './book';
import type { Customer } from './records';
import type { FollowUpDraft } from './recovery';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings';

/** Fewer activity days than this say nothing about a customer's habit (two gaps at least). */
export const MIN_EVENTS_FOR_HABIT = 3;

export type QuietReason = 'beyond-usual-gap' | 'beyond-keep-in-touch';

export interface QuietCustomer {
  customerId: string;
  customerName: string;
  reasons: QuietReason[];
  /** Calendar days from the last activity (or from when the customer was added, when there is none) to `asOf`. */
  daysSince: number;
  /** The last purchase, contact or completed follow-up on or before `asOf`. */
  lastActivity?: string;
  /** The median gap in days between the customer's activity days, when there are enough of them. */
  usualGapDays?: number;
  /** The usual gap x `quietFactor`: beyond this many days the customer is quiet by habit. */
  quietAfterDays?: number;
  keepInTouchDays?: number;
}

/**
 * Whether a customer has gone quiet on `asOf`: the days since their last activity exceed
 * `quietFactor` x their median gap between activity days (with at least
 * MIN_EVENTS_FOR_HABIT days to know a habit), or exceed their keep-in-touch cadence.
 * Archived customers are never quiet. Activity after `asOf` is ignored.
 */
export function quietStatus(book: BookIndex, customer: Customer, asOf: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): QuietCustomer | undefined {
  return quietStatusOn(book, customer, dayNumber(asOf), settings);
}

/** `quietStatus` with the review day as a day number, for passes over every customer. */
export function quietStatusOn(book: BookIndex, customer: Customer, today: number, settings: RuleSettings): QuietCustomer | undefined {
  if (customer.archived) return undefined;
  const days = activityDayNumbersUntil(book, customer.id, today);
  const hasHabit = days.length >= MIN_EVENTS_FOR_HABIT;
  if (!hasHabit && customer.keepInTouchDays === undefined) return undefined;

  // Never bought nor talked to: the cadence counts from the day they were added.
  const last = days.length > 0 ? days[days.length - 1] : Math.min(today, localDayNumberOfMs(instantMs(customer.createdAt)));
  const daysSince = today - last;
  const reasons: QuietReason[] = [];
  let usualGapDays: number | undefined;
  if (hasHabit) {
    const gaps: number[] = [];
    for (let i = 1; i < days.length; i++) gaps.push(days[i] - days[i - 1]);
    usualGapDays = median(gaps);
    if (daysSince > usualGapDays * settings.quietFactor) reasons.push('beyond-usual-gap');
  }
  if (customer.keepInTouchDays !== undefined && daysSince > customer.keepInTouchDays) reasons.push('beyond-keep-in-touch');
  if (reasons.length === 0) return undefined;
  return {
    customerId: customer.id,
    customerName: customer.name,
    reasons,
    daysSince,
    ...(days.length > 0 ? { lastActivity: dayFromNumber(last) } : {}),
    ...(usualGapDays !== undefined ? { usualGapDays, quietAfterDays: usualGapDays * settings.quietFactor } : {}),
    ...(customer.keepInTouchDays !== undefined ? { keepInTouchDays: customer.keepInTouchDays } : {}),
  };
}

/** Every customer gone quiet on `asOf`, longest silence first. */
export function quietCustomers(book: BookIndex, asOf: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): QuietCustomer[] {
  const quiet: QuietCustomer[] = [];
  const today = dayNumber(asOf);
  for (const customer of book.file.customers) {
    const status = quietStatusOn(book, customer, today, settings);
    if (status) quiet.push(status);
  }
  return quiet.sort((a, b) => b.daysSince - a.daysSince || compareNames(a.customerName, b.customerName));
}

/**
 * Keep-in-touch follow-ups to add: one for each customer (not archived) with a cadence and
 * no pending keep-in-touch follow-up, due `keepInTouchDays` after the last purchase,
 * contact or completed follow-up (or after the customer was added). A skipped keep-in-touch
 * follow-up counts as "this round is over": the next one is due a cadence after its due day,
 * so skipping one does not bring it straight back. Once the drafts are inserted, calling
 * this again returns nothing for those customers (safe to call on every refresh), and
 * `asOf` only bounds which activity counts: the due day may be in the past (overdue).
 */
export function keepInTouchDue(book: BookIndex, asOf: string): FollowUpDraft[] {
  const drafts: FollowUpDraft[] = [];
  const today = dayNumber(asOf);
  for (const customer of book.file.customers) {
    if (customer.archived || customer.keepInTouchDays === undefined) continue;
    const followUps = book.followUpsByCustomer.get(customer.id) ?? [];
    if (followUps.some((f) => f.kind === 'keep-in-touch' && f.status === 'pending')) continue;
    const days = activityDayNumbersUntil(book, customer.id, today);
    let base = days.length > 0 ? days[days.length - 1] : localDayNumberOfMs(instantMs(customer.createdAt));
    for (const f of followUps) {
      if (f.kind === 'keep-in-touch' && f.status === 'skipped') base = Math.max(base, dayNumber(f.due));
    }
    drafts.push({
      customerId: customer.id,
      kind: 'keep-in-touch',
      due: dayFromNumber(base + customer.keepInTouchDays),
      ...(customer.owner ? { assignee: customer.owner } : {}),
      status: 'pending',
    });
  }
  return drafts;
}

const compareNames = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare;

/** The median; sorts `values` in place. */
function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
