// Service recovery, step by step (README "Service recovery in five lines"; docs/ARCHITECTURE.md):
// acknowledge, understand, resolve and go the extra mile, follow up, document. Every
// function here plans changes and returns them; nothing writes the book, so the extension
// and the CLI apply the same plan through their own transaction (see `applyResolve`).
import { Amount, Day, Instant, type FollowUp, type HandwrittenNote, type Incident, type LoyalFile } from './records';
import { addCalendarDays, dayOfInstant, today } from './time';
import { instantMs, writtenDaysBefore, localMidnightMs, type BookIndex } from './book';
import { isRepeatWithin } from './windows';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings';
import { ENGLISH_NOTE_PHRASES, suggestNoteText, type NotePhrases } from './noteText';

/** A refused operation: the message is shown to the user as is (CLI exit code 1). */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

type AuditField = 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy';
/** A record before the store gives it an id and audit fields. */
export type Draft<T> = Omit<T, 'id' | AuditField>;
export type FollowUpDraft = Draft<FollowUp>;
export type NoteDraft = Draft<HandwrittenNote>;
/**
 * Changes to a record. A key present with the value `undefined` removes that field
 * (reopening a recovery clears `resolvedAt`).
 */
export type Patch<T> = { -readonly [K in keyof Omit<T, 'id' | AuditField>]?: T[K] | undefined };
export type IncidentPatch = Patch<Incident>;
export type FollowUpPatch = Patch<FollowUp>;

/**
 * The part of a store transaction the rules need; the store's transaction satisfies it.
 * Insert gives the draft an id and audit fields; patch removes a field patched to undefined.
 */
export interface RuleTx {
  readonly file: LoyalFile;
  insert(collection: 'followUps', draft: FollowUpDraft): FollowUp;
  insert(collection: 'notes', draft: NoteDraft): HandwrittenNote;
  patch(collection: 'incidents', id: string, changes: IncidentPatch): Incident;
  patch(collection: 'followUps', id: string, changes: FollowUpPatch): FollowUp;
}

/** Says whether a customer is in the top share by lifetime value (the LTV engine decides). */
export type TopValue = ReadonlySet<string> | ((customerId: string) => boolean);

function isTopValue(topValue: TopValue | undefined, customerId: string): boolean {
  if (topValue === undefined) return false;
  return typeof topValue === 'function' ? topValue(customerId) : topValue.has(customerId);
}

/**
 * The customers in the top `share` by lifetime value: the best ceil(n x share), plus any
 * tied with the last one (two customers worth the same are treated the same). A customer
 * worth nothing is never "top value", however small the book.
 */
export function topValueSet(customerIds: Iterable<string>, ltvOf: (customerId: string) => number, share = DEFAULT_RULE_SETTINGS.topValueShare): Set<string> {
  const ranked = [...customerIds].map((id) => ({ id, ltv: ltvOf(id) })).filter((c) => c.ltv > 0);
  ranked.sort((a, b) => b.ltv - a.ltv);
  const count = Math.ceil(ranked.length * share);
  const top = new Set<string>();
  if (count === 0) return top;
  const threshold = ranked[count - 1].ltv;
  for (const c of ranked) {
    if (c.ltv < threshold) break;
    top.add(c.id);
  }
  return top;
}

// ---------------------------------------------------------------------------------------
// Recovery outlook and customer risk (the recovery paradox holds only for a first, minor,
// unforeseeable failure).

export type OutlookReason = 'repeat-failure' | 'severe' | 'preventable';
export interface RecoveryOutlook {
  outlook: 'favorable' | 'at-risk';
  /** In this order: repeat-failure, severe, preventable. Empty when favorable. */
  reasons: OutlookReason[];
}

/**
 * An incident's outlook. A repeat failure is another incident of the same customer opened
 * at or before this one and no more than `repeatWindowDays` calendar days earlier (an
 * incident exactly 365 days before counts). A cause recorded as `unknown` is NOT treated
 * as preventable: the paradox is lost only when the customer can see the failure was
 * avoidable, and an unclassified incident has not been judged so; it would otherwise flag
 * most customers of a book whose incidents were imported without a cause.
 */
export function recoveryOutlook(source: LoyalFile | BookIndex, incident: Incident, settings: RuleSettings = DEFAULT_RULE_SETTINGS): RecoveryOutlook {
  const reasons: OutlookReason[] = [];
  if (isRepeatFailure(source, incident, settings)) reasons.push('repeat-failure');
  pushSeverityAndCause(reasons, incident);
  return { outlook: reasons.length === 0 ? 'favorable' : 'at-risk', reasons };
}

export function isRepeatFailure(source: LoyalFile | BookIndex, incident: Incident, settings: RuleSettings = DEFAULT_RULE_SETTINGS): boolean {
  const openedMs = instantMs(incident.openedAt);
  const window = settings.repeatWindowDays;
  const check = (other: Incident, otherMs: number): boolean => other.id !== incident.id && other.customerId === incident.customerId && isRepeatWithin(otherMs, openedMs, window);
  if ('incidentsByCustomer' in source) {
    const others = source.incidentsByCustomer.get(incident.customerId) ?? [];
    const times = source.incidentTimesByCustomer.get(incident.customerId) ?? [];
    for (let i = 0; i < others.length; i++) if (check(others[i], times[i])) return true;
    return false;
  }
  return source.incidents.some((other) => other.customerId === incident.customerId && check(other, instantMs(other.openedAt)));
}

const DAY_MS = 86_400_000;

function pushSeverityAndCause(reasons: OutlookReason[], incident: Incident): void {
  if (incident.severity === 'major' || incident.severity === 'critical') reasons.push('severe');
  if (incident.cause === 'preventable') reasons.push('preventable');
}

export interface CustomerRisk {
  atRisk: boolean;
  /** The reasons of all the customer's at-risk incidents in the window, each once, in outlook order. */
  reasons: OutlookReason[];
  /** The at-risk incidents in the window, oldest first. */
  incidentIds: string[];
}

const NOT_AT_RISK: CustomerRisk = Object.freeze({ atRisk: false, reasons: Object.freeze<OutlookReason[]>([]) as OutlookReason[], incidentIds: Object.freeze<string[]>([]) as string[] });

/** The instants between which incidents count for a customer's risk on a day. */
export interface RiskWindow {
  /** Local midnight `repeatWindowDays` days before the review day. */
  fromMs: number;
  /** Local midnight after the review day (excluded). */
  untilMs: number;
  repeatWindowDays: number;
}

export function riskWindow(asOf: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): RiskWindow {
  return { fromMs: localMidnightMs(asOf, -settings.repeatWindowDays), untilMs: localMidnightMs(asOf, 1), repeatWindowDays: settings.repeatWindowDays };
}

/**
 * The customers at risk in the window: exactly those for whom `customerRiskIn(...).atRisk`
 * holds, found for every customer in one pass over the incidents with typed arrays, without
 * grouping the incident records by customer. The Today view needs only this yes or no for
 * each customer with a follow-up; on a big book the grouping was most of its first render.
 */
export function customersAtRisk(incidents: readonly Incident[], window: RiskWindow): Set<string> {
  const atRisk = new Set<string>();
  // An incident further back than this cannot make one in the window a repeat (as in the review).
  const lowerMs = window.fromMs - (window.repeatWindowDays + 3) * DAY_MS;
  const olderThan = writtenDaysBefore(lowerMs);
  const ordinals = new Map<string, number>();
  const owners: string[] = [];
  const ownerOf = new Int32Array(incidents.length);
  const openedMs = new Float64Array(incidents.length);
  let count = 0;
  for (const incident of incidents) {
    if (incident.openedAt < olderThan) continue;
    const ms = instantMs(incident.openedAt);
    if (ms < lowerMs || ms >= window.untilMs) continue;
    if (ms >= window.fromMs && (incident.severity === 'major' || incident.severity === 'critical' || incident.cause === 'preventable')) atRisk.add(incident.customerId);
    let owner = ordinals.get(incident.customerId);
    if (owner === undefined) {
      owner = owners.length;
      ordinals.set(incident.customerId, owner);
      owners.push(incident.customerId);
    }
    ownerOf[count] = owner;
    openedMs[count++] = ms;
  }
  // Each customer's opening instants together (a counting sort), then in time order: an
  // incident in the window is a repeat when the one just before it is within the repeat
  // window (an incident at the very same instant is one too).
  const start = new Int32Array(owners.length + 1);
  for (let k = 0; k < count; k++) start[ownerOf[k] + 1]++;
  for (let c = 0; c < owners.length; c++) start[c + 1] += start[c];
  const next = start.slice(0, owners.length);
  const times = new Float64Array(count);
  for (let k = 0; k < count; k++) times[next[ownerOf[k]]++] = openedMs[k];
  for (let c = 0; c < owners.length; c++) {
    if (start[c + 1] - start[c] < 2 || atRisk.has(owners[c])) continue;
    const own = times.subarray(start[c], start[c + 1]).sort();
    for (let k = 1; k < own.length; k++) {
      if (own[k] >= window.fromMs && isRepeatWithin(own[k - 1], own[k], window.repeatWindowDays)) {
        atRisk.add(owners[c]);
        break;
      }
    }
  }
  return atRisk;
}

const OUTLOOK_ORDER: readonly OutlookReason[] = ['repeat-failure', 'severe', 'preventable'];

/**
 * A customer is at risk on `asOf` when an incident opened in the `repeatWindowDays`
 * calendar days up to and including `asOf` has an at-risk outlook. Incidents opened after
 * `asOf` are ignored, so `--as-of` reproduces what the review said that day.
 */
export function customerRisk(book: BookIndex, customerId: string, asOf: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): CustomerRisk {
  return customerRiskIn(book, customerId, riskWindow(asOf, settings));
}

/** `customerRisk` with the window worked out once, for passes over every customer. */
export function customerRiskIn(book: BookIndex, customerId: string, window: RiskWindow): CustomerRisk {
  const incidents = book.incidentsByCustomer.get(customerId);
  if (!incidents || incidents.length === 0) return NOT_AT_RISK;
  const times = book.incidentTimesByCustomer.get(customerId)!;
  // Reasons as bits (repeat 1, severe 2, preventable 4): this runs for every incident of
  // the year in the book, and allocating per incident is what made it slow.
  let found = 0;
  let incidentIds: string[] | undefined;
  for (let i = incidents.length - 1; i >= 0; i--) {
    const ms = times[i];
    if (ms >= window.untilMs) continue;
    if (ms < window.fromMs) break;
    const incident = incidents[i];
    let bits = incident.severity === 'major' || incident.severity === 'critical' ? 2 : 0;
    if (incident.cause === 'preventable') bits |= 4;
    // Sorted by opening instant: the one just before is the latest earlier incident, and
    // one opened at the very same instant (either neighbour) is a repeat too.
    if ((i > 0 && isRepeatWithin(times[i - 1], ms, window.repeatWindowDays)) || (i + 1 < incidents.length && isRepeatWithin(times[i + 1], ms, window.repeatWindowDays))) bits |= 1;
    if (bits === 0) continue;
    found |= bits;
    (incidentIds ??= []).push(incident.id);
  }
  if (!incidentIds) return NOT_AT_RISK;
  return { atRisk: true, reasons: OUTLOOK_ORDER.filter((_, bit) => (found & (1 << bit)) !== 0), incidentIds: incidentIds.reverse() };
}

// ---------------------------------------------------------------------------------------
// Recovery steps.

export type RecoveryStep = 'acknowledged' | 'understood' | 'resolved' | 'followed-up';
export const RECOVERY_STEPS: readonly RecoveryStep[] = ['acknowledged', 'understood', 'resolved', 'followed-up'];

export interface RecoveryProgress {
  acknowledged: boolean;
  understood: boolean;
  resolved: boolean;
  /** A satisfaction check of this incident was done and the customer said they were satisfied. */
  followedUp: boolean;
  /** How many of the four steps are done (0 to 4). */
  done: number;
  /** The first step not done yet; undefined when the recovery is complete. */
  next: RecoveryStep | undefined;
}

/**
 * The four steps of an incident's recovery. A resolved incident counts as acknowledged and
 * understood even without those times (an imported incident often has only `resolved_at`).
 * `followUps` may be the whole book's or only the incident's.
 */
export function recoveryProgress(incident: Incident, followUps: Iterable<FollowUp>): RecoveryProgress {
  const resolved = incident.resolvedAt !== undefined;
  const understood = resolved || incident.understoodAt !== undefined;
  const acknowledged = understood || incident.acknowledgedAt !== undefined;
  let followedUp = false;
  if (resolved) {
    for (const f of followUps) {
      if (f.incidentId === incident.id && f.kind === 'satisfaction-check' && f.status === 'done' && f.outcome?.satisfied === true) {
        followedUp = true;
        break;
      }
    }
  }
  const flags = [acknowledged, understood, resolved, followedUp];
  const nextIndex = flags.indexOf(false);
  return { acknowledged, understood, resolved, followedUp, done: flags.filter(Boolean).length, next: nextIndex < 0 ? undefined : RECOVERY_STEPS[nextIndex] };
}

export function nextRecoveryStep(incident: Incident, followUps: Iterable<FollowUp>): RecoveryStep | undefined {
  return recoveryProgress(incident, followUps).next;
}

/**
 * The patch that records the next of the first two steps (acknowledged, understood) at
 * `at`. The first reply to the customer is the acknowledgement, so it also sets
 * `firstResponseAt` when missing. Resolving goes through `resolveIncident`, which needs
 * the solution and plans the follow-ups; asking to advance a resolved incident is refused.
 */
export function advanceRecovery(incident: Incident, at: string): { step: 'acknowledged' | 'understood'; patch: IncidentPatch } {
  checkInstant(at, 'The time of this step');
  checkNotBeforeOpening(incident, at);
  if (incident.resolvedAt !== undefined) throw new RuleError(`Incident ${incident.id} is already resolved; its recovery continues with the satisfaction check.`);
  if (incident.understoodAt !== undefined) throw new RuleError(`Incident ${incident.id} is understood; the next step is to resolve it.`);
  const firstResponse = { firstResponseAt: incident.firstResponseAt ?? at };
  if (incident.acknowledgedAt === undefined) return { step: 'acknowledged', patch: { acknowledgedAt: at, ...firstResponse } };
  return { step: 'understood', patch: { understoodAt: at, ...firstResponse } };
}

// ---------------------------------------------------------------------------------------
// Resolving an incident.

export interface ResolveInput {
  /** When it was resolved: an instant with its offset. */
  at: string;
  /** Who resolved it: the satisfaction check is assigned to them. */
  by: string;
  extraMile?: string;
  /** Decimal amount such as "15.00". */
  extraMileCost?: string;
  fairSolution?: string;
  resolutionNote?: string;
  lessonsLearned?: string;
}

/** Why a handwritten note is warranted. */
export type NoteReason = 'severe' | 'top-value' | 'repeat-failure';

export interface ResolvePlan {
  incidentId: string;
  incidentPatch: IncidentPatch;
  followUps: FollowUpDraft[];
  notes: NoteDraft[];
  /** Why a note is warranted (each enabled trigger that applies). Empty: no note was due. */
  reasons: NoteReason[];
  /** Triggers that applied but are switched off in the settings, so they did not ask for a note. */
  switchedOff: NoteReason[];
  /**
   * Set when a note was warranted but the incident already has one (a reopened recovery
   * resolved again): the customer gets one card per incident, not one per resolution.
   */
  existingNoteId?: string;
  /** Set when a satisfaction check of this incident is already pending, so none is added. */
  pendingCheckId?: string;
}

/**
 * Plans the resolution of an incident: stamps the resolution and any recovery step not
 * yet stamped, records the solution fields given, and creates the satisfaction check
 * (due `followUpAfterResolveDays` calendar days after the local day of `at`, assigned to
 * `by`) and, when warranted, the handwritten-note reminder (due `notesAfterResolveDays`
 * later, with the customer's current postal address and a suggested text).
 */
export function resolveIncident(
  file: LoyalFile,
  incidentId: string,
  input: ResolveInput,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
  topValue?: TopValue,
  phrases: NotePhrases = ENGLISH_NOTE_PHRASES,
): ResolvePlan {
  const incident = file.incidents.find((i) => i.id === incidentId);
  if (!incident) throw new RuleError(`There is no incident ${incidentId} in this book.`);
  if (incident.resolvedAt !== undefined) {
    throw new RuleError(`Incident ${incidentId} is already resolved (${incident.resolvedAt}${incident.resolvedBy ? ` by ${incident.resolvedBy}` : ''}).`);
  }
  checkInstant(input.at, 'The resolution time');
  checkNotBeforeOpening(incident, input.at);
  const by = input.by.trim();
  if (!by) throw new RuleError('Say who resolved the incident: the satisfaction check is assigned to them.');
  if (input.extraMileCost !== undefined && !Amount.safeParse(input.extraMileCost.trim()).success) {
    throw new RuleError(`The cost of the extra mile must be an amount such as 15.00, not "${input.extraMileCost}".`);
  }
  const customer = file.customers.find((c) => c.id === incident.customerId);
  if (!customer) throw new RuleError(`Incident ${incidentId} belongs to customer ${incident.customerId}, who is not in this book.`);

  const at = input.at;
  const incidentPatch: IncidentPatch = {
    resolvedAt: at,
    resolvedBy: by,
    acknowledgedAt: incident.acknowledgedAt ?? at,
    understoodAt: incident.understoodAt ?? at,
    firstResponseAt: incident.firstResponseAt ?? at,
  };
  for (const key of ['extraMile', 'fairSolution', 'resolutionNote', 'lessonsLearned'] as const) {
    const text = input[key]?.trim();
    if (text) incidentPatch[key] = text;
  }
  if (input.extraMileCost !== undefined) incidentPatch.extraMileCost = input.extraMileCost.trim();

  const resolvedDay = dayOfInstant(at);
  const followUps: FollowUpDraft[] = [];
  const pendingCheck = file.followUps.find((f) => f.incidentId === incidentId && f.kind === 'satisfaction-check' && f.status === 'pending');
  if (!pendingCheck) {
    followUps.push({
      customerId: incident.customerId,
      incidentId,
      kind: 'satisfaction-check',
      due: addCalendarDays(resolvedDay, settings.followUpAfterResolveDays),
      assignee: by,
      status: 'pending',
    });
  }

  const applying: NoteReason[] = [];
  if (incident.severity === 'major' || incident.severity === 'critical') applying.push('severe');
  if (isTopValue(topValue, incident.customerId)) applying.push('top-value');
  if (isRepeatFailure(file, incident, settings)) applying.push('repeat-failure');
  const enabled: Record<NoteReason, boolean> = { severe: settings.notesOnSevere, 'top-value': settings.notesOnTopValue, 'repeat-failure': settings.notesOnRepeat };
  const reasons = applying.filter((r) => enabled[r]);
  const switchedOff = applying.filter((r) => !enabled[r]);

  const notes: NoteDraft[] = [];
  const existingNote = reasons.length > 0 ? file.notes.find((n) => n.incidentId === incidentId) : undefined;
  if (reasons.length > 0 && !existingNote) {
    notes.push({
      customerId: incident.customerId,
      incidentId,
      due: addCalendarDays(resolvedDay, settings.notesAfterResolveDays),
      status: 'to-write',
      text: suggestNoteText({ customerName: customer.name, incidentSummary: incident.summary, category: incident.category, ownerName: signerName(file, customer.owner) ?? by }, phrases),
      ...(customer.address ? { address: customer.address } : {}),
    });
  }

  return {
    incidentId,
    incidentPatch,
    followUps,
    notes,
    reasons,
    switchedOff,
    ...(existingNote ? { existingNoteId: existingNote.id } : {}),
    ...(pendingCheck ? { pendingCheckId: pendingCheck.id } : {}),
  };
}

/** The owner's name for a signature: a team member id is shown as the member's name. */
function signerName(file: LoyalFile, owner: string | undefined): string | undefined {
  if (!owner) return undefined;
  return file.team.find((m) => m.id === owner)?.name ?? owner;
}

export interface ResolveResult {
  incident: Incident;
  followUps: FollowUp[];
  notes: HandwrittenNote[];
  reasons: NoteReason[];
  switchedOff: NoteReason[];
}

/** Plans the resolution on `tx.file` and applies it through the transaction. */
export function applyResolve(
  tx: RuleTx,
  incidentId: string,
  input: ResolveInput,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
  topValue?: TopValue,
  phrases: NotePhrases = ENGLISH_NOTE_PHRASES,
): ResolveResult {
  const plan = resolveIncident(tx.file, incidentId, input, settings, topValue, phrases);
  const incident = tx.patch('incidents', incidentId, plan.incidentPatch);
  const followUps = plan.followUps.map((draft) => tx.insert('followUps', draft));
  const notes = plan.notes.map((draft) => tx.insert('notes', draft));
  return { incident, followUps, notes, reasons: plan.reasons, switchedOff: plan.switchedOff };
}

// ---------------------------------------------------------------------------------------
// Completing and snoozing follow-ups.

export interface FollowUpOutcomeInput {
  satisfied: boolean;
  /** 1 to 5. */
  rating?: number;
  comment?: string;
}

export interface CompletionPlan {
  followUpId: string;
  followUpPatch: FollowUpPatch;
  /** The incident whose recovery is reopened, when the customer was not satisfied. */
  incidentId?: string;
  incidentPatch?: IncidentPatch;
  /** The next satisfaction check when the customer was not satisfied. */
  followUps: FollowUpDraft[];
  /** True when a resolved incident was reopened. */
  reopened: boolean;
}

/**
 * Plans marking a follow-up done with its outcome. A customer who is not satisfied never
 * ends the recovery: the incident's resolution is cleared (its `reopenCount` grows when it
 * was resolved) and a new satisfaction check is due `followUpAfterResolveDays` calendar
 * days after the day of completion, for the same assignee. A completed follow-up also
 * counts as a contact for keep-in-touch and quiet customers (see book.ts).
 */
export function completeFollowUp(file: LoyalFile, followUpId: string, outcome: FollowUpOutcomeInput, at: string, by: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): CompletionPlan {
  const followUp = file.followUps.find((f) => f.id === followUpId);
  if (!followUp) throw new RuleError(`There is no follow-up ${followUpId} in this book.`);
  if (followUp.status !== 'pending') {
    throw new RuleError(`Follow-up ${followUpId} is already ${followUp.status}${followUp.doneAt ? ` (${followUp.doneAt}${followUp.doneBy ? ` by ${followUp.doneBy}` : ''})` : ''}.`);
  }
  checkInstant(at, 'The completion time');
  if (typeof outcome.satisfied !== 'boolean') throw new RuleError('Say whether the customer is satisfied (yes or no).');
  if (outcome.rating !== undefined && !(Number.isInteger(outcome.rating) && outcome.rating >= 1 && outcome.rating <= 5)) {
    throw new RuleError(`A rating is a whole number from 1 to 5, not ${outcome.rating}.`);
  }
  const doneBy = by.trim();
  if (!doneBy) throw new RuleError('Say who completed the follow-up.');

  const comment = outcome.comment?.trim();
  const followUpPatch: FollowUpPatch = {
    status: 'done',
    doneAt: at,
    doneBy,
    outcome: { satisfied: outcome.satisfied, ...(outcome.rating !== undefined ? { rating: outcome.rating } : {}), ...(comment ? { comment } : {}) },
  };
  const plan: CompletionPlan = { followUpId, followUpPatch, followUps: [], reopened: false };
  if (outcome.satisfied || followUp.incidentId === undefined) return plan;

  const incident = file.incidents.find((i) => i.id === followUp.incidentId);
  if (incident) {
    plan.incidentId = incident.id;
    if (incident.resolvedAt !== undefined) {
      plan.incidentPatch = { resolvedAt: undefined, resolvedBy: undefined, reopenCount: incident.reopenCount + 1 };
      plan.reopened = true;
    }
  }
  plan.followUps.push({
    customerId: followUp.customerId,
    ...(incident ? { incidentId: incident.id } : {}),
    kind: 'satisfaction-check',
    due: addCalendarDays(dayOfInstant(at), settings.followUpAfterResolveDays),
    ...(followUp.assignee ? { assignee: followUp.assignee } : { assignee: doneBy }),
    status: 'pending',
  });
  return plan;
}

export interface CompletionResult {
  followUp: FollowUp;
  incident?: Incident;
  followUps: FollowUp[];
  reopened: boolean;
}

export function applyCompleteFollowUp(tx: RuleTx, followUpId: string, outcome: FollowUpOutcomeInput, at: string, by: string, settings: RuleSettings = DEFAULT_RULE_SETTINGS): CompletionResult {
  const plan = completeFollowUp(tx.file, followUpId, outcome, at, by, settings);
  const followUp = tx.patch('followUps', followUpId, plan.followUpPatch);
  const incident = plan.incidentId && plan.incidentPatch ? tx.patch('incidents', plan.incidentId, plan.incidentPatch) : undefined;
  const followUps = plan.followUps.map((draft) => tx.insert('followUps', draft));
  return { followUp, ...(incident ? { incident } : {}), followUps, reopened: plan.reopened };
}

/** The day a follow-up is due once snoozing is taken into account. */
export function effectiveDue(followUp: Pick<FollowUp, 'due' | 'snoozedUntil'>): string {
  return followUp.snoozedUntil ?? followUp.due;
}

/**
 * Snoozes a pending follow-up until a day (it is then due that day, later or earlier than
 * its original due day). A day before `asOf` (today) is refused: a snooze into the past
 * would only make the follow-up overdue.
 */
export function snoozeFollowUp(followUp: FollowUp, until: string, asOf: string = today()): FollowUpPatch {
  if (!Day.safeParse(until).success) throw new RuleError(`Snooze until a date written YYYY-MM-DD, not "${until}".`);
  if (followUp.status !== 'pending') throw new RuleError(`Follow-up ${followUp.id} is already ${followUp.status}: only a pending follow-up can be snoozed.`);
  if (until < asOf) throw new RuleError(`Cannot snooze until ${until}: that day is already past (today is ${asOf}).`);
  return { snoozedUntil: until };
}

/**
 * What a follow-up puts at stake: the customer's lifetime value, raised by
 * `atRiskValueFactor` when the customer is at risk (losing them is likelier).
 */
export function valueAtStake(ltv: number, atRisk: boolean, settings: RuleSettings = DEFAULT_RULE_SETTINGS): number {
  const value = Number.isFinite(ltv) && ltv > 0 ? ltv : 0;
  return atRisk ? value * settings.atRiskValueFactor : value;
}

function checkInstant(at: string, what: string): void {
  if (!Instant.safeParse(at).success) throw new RuleError(`${what} must be a date and time with its offset, such as 2026-03-02T09:15:00+01:00, not "${at}".`);
}

function checkNotBeforeOpening(incident: Incident, at: string): void {
  if (instantMs(at) < instantMs(incident.openedAt)) {
    throw new RuleError(`Incident ${incident.id} was opened at ${incident.openedAt}: a recovery step cannot come before that (${at}).`);
  }
}
