// The trend review (README "Trend review"; the module map is in docs/ARCHITECTURE.md).
// The incident records are read in one pass into typed arrays; series, scorecard, repeat
// failures, spikes and release effects are then computed from those arrays and the small
// tables they leave behind.
//
// Conventions a reader of the report relies on:
// - Hours and weekdays are the wall clock written in `openedAt` (09:15+01:00 is 9 o'clock,
//   whatever the reader's own zone): the hour the staff member on duty lived through.
//   Weekdays run Monday = 0 to Sunday = 6; weekly buckets start on Monday.
// - An incident belongs to the day written in its `openedAt`; the range is [from, to], with
//   to = asOf by default and never later than asOf. Nothing recorded after the as-of day
//   counts (responses, resolutions, satisfaction checks), so a report can be reproduced.
// - Spikes and release effects are exact one-sided tests, Benjamini-Hochberg adjusted at a
//   false discovery rate of 5% (option falseDiscoveryRate), with a minimum size.
import { Category, Cause, Channel, Severity, WRITTEN_CHANNELS } from '../records';
import type { Incident, LoyalFile } from '../records';
import {
  daysFromCivil,
  dayNumberOf,
  dayText,
  epochSecondsOf,
  hourOf,
  monthIndexOf,
  monthStartDay,
  monthText,
  parseDayOption,
  weekStartOf,
  weekdayOf,
} from './calendar';
import { benjaminiHochberg, binomialUpperTail, medianInPlace } from './stats';
import { isRepeatWithin } from '../windows';
import type {
  CountByTag,
  DrillSelector,
  RecoveryOutcomes,
  ReleaseEffect,
  ScorecardMonth,
  Spike,
  StaffHourRow,
  TrendBucket,
  TrendOptions,
  TrendReport,
} from './types';

const CATEGORIES = Category.options;
const CHANNELS = Channel.options;
const SEVERITIES = Severity.options;
const CAUSES = Cause.options;
const TOP_COMPLAINTS = 5;

export const TREND_DEFAULTS = {
  releaseWindowWeeks: 4,
  minSpikeCount: 5,
  minSpikeRatio: 1.5,
  minReleaseCount: 3,
  falseDiscoveryRate: 0.05,
  repeatWindowDays: 365,
  seriesTopTags: TOP_COMPLAINTS,
} as const;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function roundOrNull(value: number | null, decimals: number): number | null {
  return value === null ? null : round(value, decimals);
}

/** Tags are free words: "Late delivery" and "late delivery" are the same complaint. */
function tagKey(tag: string): string {
  return tag.trim().toLowerCase();
}

interface Scope {
  /** Lower bound of the range, or null when the range starts at the first incident in scope. */
  fromDn: number | null;
  endDn: number;
  asOfDn: number;
  category: Set<string> | null;
  component: Set<string> | null;
  staff: Set<string> | null;
  tag: Set<string> | null;
}

function setOf(values: string[] | undefined, normalise: (v: string) => string = (v) => v): Set<string> | null {
  return values && values.length > 0 ? new Set(values.map(normalise)) : null;
}

function scopeOf(options: Pick<TrendOptions, 'from' | 'to' | 'asOf' | 'filters'>): Scope {
  const asOfDn = parseDayOption('asOf', options.asOf);
  const toDn = options.to === undefined ? asOfDn : parseDayOption('to', options.to);
  const fromDn = options.from === undefined ? null : parseDayOption('from', options.from);
  // A report as of a day never sees later records, even when asked for a later "to".
  const endDn = Math.min(toDn, asOfDn);
  if (fromDn !== null && fromDn > endDn) {
    throw new RangeError(`from (${options.from}) must not be after to (${dayText(endDn)}, the earlier of to and asOf)`);
  }
  const filters = options.filters ?? {};
  return {
    fromDn,
    endDn,
    asOfDn,
    category: setOf(filters.category),
    component: setOf(filters.component),
    staff: setOf(filters.staff),
    tag: setOf(filters.tag, tagKey),
  };
}

function matchesFilters(incident: Incident, scope: Scope): boolean {
  if (scope.category !== null && !scope.category.has(incident.category)) return false;
  if (scope.component !== null && (incident.component === undefined || !scope.component.has(incident.component))) return false;
  if (scope.staff !== null && (incident.staff === undefined || !scope.staff.has(incident.staff))) return false;
  if (scope.tag !== null) {
    let any = false;
    for (const tag of incident.tags) {
      if (scope.tag.has(tagKey(tag))) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/** Keys of the buckets from the one holding fromDn to the one holding endDn, none skipped. */
function bucketKeys(bucket: TrendBucket, fromDn: number, endDn: number): string[] {
  const keys: string[] = [];
  if (bucket === 'week') {
    for (let w = weekStartOf(fromDn); w <= endDn; w += 7) keys.push(dayText(w));
  } else {
    for (let mi = monthIndexOf(fromDn); mi <= monthIndexOf(endDn); mi++) keys.push(monthText(mi));
  }
  return keys;
}

function bucketKeyOf(bucket: TrendBucket, dn: number): string {
  return bucket === 'week' ? dayText(weekStartOf(dn)) : monthText(monthIndexOf(dn));
}

/** Ascending by count then name for "top" lists: count descending, ties by name. */
function byCountThenName<T extends { count: number }>(name: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

interface ReleaseWindow {
  beforeStart: number;
  beforeEnd: number;
  afterStart: number;
  afterEnd: number;
}

/**
 * The days counted before and after a release: `weeks` whole weeks on each side, the
 * release day itself on the "after" side (a release usually ships during the working day),
 * cut by the start of the range (or of the log) and by the end of the range (at most as-of).
 */
function releaseWindow(releaseDn: number, weeks: number, lowerDn: number, upperDn: number): ReleaseWindow {
  return {
    beforeStart: Math.max(releaseDn - 7 * weeks, lowerDn),
    beforeEnd: Math.min(releaseDn - 1, upperDn),
    afterStart: Math.max(releaseDn, lowerDn),
    afterEnd: Math.min(releaseDn + 7 * weeks - 1, upperDn),
  };
}

function firstDayOfLog(file: LoyalFile): number {
  let first = Infinity;
  for (const incident of file.incidents) {
    const dn = dayNumberOf(incident.openedAt);
    if (dn < first) first = dn;
  }
  return first;
}

const CATEGORY_CODE = Object.fromEntries(CATEGORIES.map((key, code) => [key, code])) as Record<Category, number>;
const CHANNEL_CODE = Object.fromEntries(CHANNELS.map((key, code) => [key, code])) as Record<Channel, number>;
const SEVERITY_CODE = Object.fromEntries(SEVERITIES.map((key, code) => [key, code])) as Record<Severity, number>;
const CAUSE_CODE = Object.fromEntries(CAUSES.map((key, code) => [key, code])) as Record<Cause, number>;
const IS_WRITTEN = Uint8Array.from(CHANNELS, (channel) => (WRITTEN_CHANNELS.has(channel) ? 1 : 0));

// The hot loop reads dates here rather than through calendar.ts: a call across modules goes
// through an export getter under the test and bench loaders, and the day of `openedAt` is
// needed twice (day and instant), so it is read once. Days of months 1900-2199 come from a
// table; anything outside falls back to the general formula.
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const MONTH_START_TABLE = (() => {
  const table = new Int32Array(TABLE_YEARS * 12);
  for (let y = 0; y < TABLE_YEARS; y++) for (let m = 0; m < 12; m++) table[y * 12 + m] = daysFromCivil(TABLE_FIRST_YEAR + y, m + 1, 1);
  return table;
})();

function digits2(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

/** Same as calendar's dayNumberOf (validated text), without the call across modules. */
function fastDayNumber(text: string): number {
  const year = digits2(text, 0) * 100 + digits2(text, 2);
  const month = digits2(text, 5);
  const day = digits2(text, 8);
  const y = year - TABLE_FIRST_YEAR;
  if (y >= 0 && y < TABLE_YEARS) return MONTH_START_TABLE[y * 12 + month - 1] + day - 1;
  return daysFromCivil(year, month, day);
}

/** Same as calendar's epochSecondsOf, given the day number already read from the instant. */
function fastEpochSeconds(instant: string, dayNumber: number): number {
  const local = dayNumber * 86400 + digits2(instant, 11) * 3600 + digits2(instant, 14) * 60 + digits2(instant, 17);
  const end = instant.length;
  if (instant.charCodeAt(end - 1) === 90 /* Z */) return local;
  const sign = instant.charCodeAt(end - 6) === 45 /* - */ ? -1 : 1;
  return local - sign * (digits2(instant, end - 5) * 3600 + digits2(instant, end - 2) * 60);
}

function countsOf<K extends string>(keys: readonly K[], counts: Int32Array): Record<K, number> {
  const record = {} as Record<K, number>;
  keys.forEach((key, code) => (record[key] = counts[code]));
  return record;
}

/**
 * Per-report working arrays, kept from one report to the next: a review redraws its report
 * often, and fresh arrays of this size (tens of MB on a big book) made the collector run a
 * full collection of the whole book every few reports. Nothing in a report refers to them.
 */
class Workspace {
  // Per incident in scope, by position in scope order. Everything else about an incident in
  // scope is read from the columns through scopeIndex (in ascending order, so close by).
  readonly scopeIndex: Int32Array;
  readonly scopeFirstResponse: Float64Array;
  readonly resolveHours: Float64Array;
  // Repeat failures.
  readonly grouped: Int32Array;

  constructor(readonly capacity: number) {
    this.scopeIndex = new Int32Array(capacity);
    this.scopeFirstResponse = new Float64Array(capacity);
    this.resolveHours = new Float64Array(capacity);
    this.grouped = new Int32Array(capacity);
  }
}

/**
 * One set of arrays kept from call to call, replaced by a bigger one when a book outgrows it.
 * The first set is made to measure: typed arrays live outside the engine's heap, and past
 * about 64 MB of them made since its last full collection the engine starts another one (on a
 * 500k-incident book, a pause of 0.3-0.4 s that frees nothing).
 */
function keptFor<T extends { capacity: number }>(make: (capacity: number) => T): (incidents: number) => T {
  let kept: T | null = null;
  return (incidents) => {
    if (kept === null || kept.capacity < incidents) kept = make(kept === null ? incidents : Math.ceil(incidents * 1.1));
    return kept;
  };
}

const workspaceFor = keptFor((capacity) => new Workspace(capacity));

/** A name (staff member, component, tag as written) and the small integer standing for it. */
class Names {
  readonly index = new Map<string, number>();
  readonly names: string[] = [];

  of(name: string): number {
    let at = this.index.get(name);
    if (at === undefined) {
      at = this.names.length;
      this.index.set(name, at);
      this.names.push(name);
    }
    return at;
  }
}

const NO_DAY = -(2 ** 31);
const NO_TAGS: readonly string[] = [];

/**
 * What every report needs from the incident records (and the satisfaction checks), read once
 * into typed arrays, whatever the range, filters or as-of day; see readBook. Indexed by the
 * incident's position in file.incidents.
 */
interface BookColumns extends Omit<ColumnArrays, 'capacity' | 'customerIds' | 'tagLists'> {
  readonly incidents: readonly Incident[];
  readonly customers: LoyalFile['customers'];
  readonly followUps: LoyalFile['followUps'];
  /** [position, tag as written] pairs for the other tags of an incident, by position; each complaint once. */
  readonly moreTags: Int32Array;
  readonly staffNames: Names;
  readonly componentNames: Names;
  /** Tags as written; keyOfTag gives each the index of its complaint (tagKey) in tagKeys. */
  readonly tagWritten: Names;
  readonly keyOfTag: Int32Array;
  readonly tagKeys: Names;
  /** Customers as small integers; incidents naming a customer not in the file get the next ones. */
  readonly customerIndex: ReadonlyMap<string, number>;
  /** The day checkTotal and checkSatisfied count the satisfaction checks as of. */
  checksAsOf: number;
  /** The repeat window `repeat` was worked out for (NaN: not yet). */
  repeatWindowDays: number;
}

/**
 * The columns of a book, kept from one report to the next by a caller that knows the
 * book's arrays are never changed in place, only replaced (the store's records are: every
 * change makes new arrays). The trend review keeps one per panel: changing the range, the
 * filters or the bucket then costs a pass over typed arrays, not over the records.
 */
export class TrendCache {
  private columns: BookColumns | null = null;
  private purchases: PurchaseColumns | null = null;
  /** The arrays behind the columns, read into again when the book changes (see keptFor). */
  private readonly arraysFor = keptFor((capacity) => new ColumnArrays(capacity));

  /** @internal */
  columnsOf(file: LoyalFile, asOfDn: number): BookColumns {
    const kept = this.columns;
    if (kept !== null && kept.incidents === file.incidents && kept.customers === file.customers && kept.followUps === file.followUps) {
      if (kept.checksAsOf !== asOfDn) countChecks(file, kept, asOfDn);
      return kept;
    }
    this.columns = null;
    return (this.columns = readBook(file, asOfDn, this.arraysFor(file.incidents.length)));
  }

  /** @internal The purchases, read again when they or the columns' customer numbers change. */
  purchasesOf(file: LoyalFile, columns: BookColumns): PurchaseColumns {
    const kept = this.purchases;
    if (kept !== null && kept.purchases === file.purchases && kept.customerIndex === columns.customerIndex) return kept;
    return (this.purchases = readPurchases(file.purchases, columns.customerIndex));
  }
}

/** The typed arrays of BookColumns, for up to `capacity` incidents (readBook gives views of the first n). */
class ColumnArrays {
  readonly day: Int32Array;
  readonly hour: Uint8Array;
  /** 1 when the opening minute is 30 or later (the second half of the hour). */
  readonly half: Uint8Array;
  readonly openedSeconds: Float64Array;
  readonly customerOfIncident: Int32Array;
  readonly category: Uint8Array;
  readonly channel: Uint8Array;
  readonly severity: Uint8Array;
  readonly cause: Uint8Array;
  readonly staff: Int32Array;
  readonly component: Int32Array;
  readonly firstTag: Int32Array;
  readonly responseDay: Int32Array;
  readonly responseSeconds: Float64Array;
  readonly resolvedDay: Int32Array;
  readonly resolvedSeconds: Float64Array;
  readonly reopened: Uint8Array;
  /** Completed satisfaction checks of each incident as of a day, and how many were satisfied. */
  readonly checkTotal: Int32Array;
  readonly checkSatisfied: Int32Array;
  /** Whether an incident repeats a failure of its customer (see markRepeats). */
  readonly repeat: Uint8Array;
  // The strings the later loops of readBook look at; emptied after each read.
  readonly customerIds: string[];
  readonly tagLists: Array<readonly string[]>;

  constructor(readonly capacity: number) {
    this.customerIds = new Array<string>(capacity).fill('');
    this.tagLists = new Array<readonly string[]>(capacity).fill(NO_TAGS);
    this.day = new Int32Array(capacity);
    this.hour = new Uint8Array(capacity);
    this.half = new Uint8Array(capacity);
    this.openedSeconds = new Float64Array(capacity);
    this.customerOfIncident = new Int32Array(capacity);
    this.category = new Uint8Array(capacity);
    this.channel = new Uint8Array(capacity);
    this.severity = new Uint8Array(capacity);
    this.cause = new Uint8Array(capacity);
    this.staff = new Int32Array(capacity);
    this.component = new Int32Array(capacity);
    this.firstTag = new Int32Array(capacity);
    this.responseDay = new Int32Array(capacity);
    this.responseSeconds = new Float64Array(capacity);
    this.resolvedDay = new Int32Array(capacity);
    this.resolvedSeconds = new Float64Array(capacity);
    this.reopened = new Uint8Array(capacity);
    this.checkTotal = new Int32Array(capacity);
    this.checkSatisfied = new Int32Array(capacity);
    this.repeat = new Uint8Array(capacity);
  }
}

/** The columns of a report made without a cache, reused from one such report to the next (as Workspace). */
const scratchFor = keptFor((capacity) => new ColumnArrays(capacity));

/**
 * The first pass: everything the reports need from each incident record, read once into
 * typed arrays, in a loop that does nothing else. On a big book this pass is bound by
 * memory: the records and their strings are spread over hundreds of MB. Ranges, filters and
 * counts are then applied to the arrays. Every incident is read: the other incidents of a
 * customer make repeat failures, and the first day of the log starts the release windows.
 */
function readBook(file: LoyalFile, asOfDn: number, arrays: ColumnArrays): BookColumns {
  const incidents = file.incidents;
  const n = incidents.length;
  const day = arrays.day.subarray(0, n);
  const hour = arrays.hour.subarray(0, n);
  const half = arrays.half.subarray(0, n);
  const openedSeconds = arrays.openedSeconds.subarray(0, n);
  const customerOfIncident = arrays.customerOfIncident.subarray(0, n);
  const category = arrays.category.subarray(0, n);
  const channel = arrays.channel.subarray(0, n);
  const severity = arrays.severity.subarray(0, n);
  const cause = arrays.cause.subarray(0, n);
  const staff = arrays.staff.subarray(0, n);
  const component = arrays.component.subarray(0, n);
  const firstTag = arrays.firstTag.subarray(0, n);
  const responseDay = arrays.responseDay.subarray(0, n);
  const responseSeconds = arrays.responseSeconds.subarray(0, n);
  const resolvedDay = arrays.resolvedDay.subarray(0, n);
  const resolvedSeconds = arrays.resolvedSeconds.subarray(0, n);
  const reopened = arrays.reopened.subarray(0, n);
  const checkTotal = arrays.checkTotal.subarray(0, n);
  const checkSatisfied = arrays.checkSatisfied.subarray(0, n);
  const customerIndex = customerIndexOf(file);
  const staffNames = new Names();
  const componentNames = new Names();
  const tagWritten = new Names();
  const tagKeys = new Names();
  const keyOfTag: number[] = [];
  const moreTags: number[] = [];
  const seenKeys: number[] = [];
  // Satisfaction checks are counted in the same pass (reading an id costs little once the
  // record is being read; see doneChecks and CheckWalk). Customer lookups and tags wait for
  // strings of their own: they take loops of their own after this one, where the processor
  // fetches the strings of several incidents at once (measured on a 500k-incident book read
  // by the store: about 10-15% less for the whole report).
  const checks = doneChecks(file, asOfDn);
  const walk = new CheckWalk(checks);
  // Kept with the other arrays: a fresh pair of arrays this size on every report made the
  // collector go over the whole book more often.
  const { customerIds, tagLists } = arrays;

  for (let i = 0; i < n; i++) {
    const incident = incidents[i];
    checkTotal[i] = walk.total(incident.id);
    checkSatisfied[i] = walk.satisfied;
    const openedAt = incident.openedAt;
    const dn = fastDayNumber(openedAt);
    day[i] = dn;
    hour[i] = digits2(openedAt, 11);
    half[i] = digits2(openedAt, 14) >= 30 ? 1 : 0;
    openedSeconds[i] = fastEpochSeconds(openedAt, dn);
    customerIds[i] = incident.customerId;
    category[i] = CATEGORY_CODE[incident.category];
    channel[i] = CHANNEL_CODE[incident.channel];
    severity[i] = SEVERITY_CODE[incident.severity];
    cause[i] = CAUSE_CODE[incident.cause];
    const staffName = incident.staff;
    staff[i] = staffName === undefined ? -1 : staffNames.of(staffName);
    const componentName = incident.component;
    component[i] = componentName === undefined ? -1 : componentNames.of(componentName);

    tagLists[i] = incident.tags;

    readOptionalInstant(incident.firstResponseAt, i, responseDay, responseSeconds);
    readOptionalInstant(incident.resolvedAt, i, resolvedDay, resolvedSeconds);
    reopened[i] = incident.reopenCount > 0 ? 1 : 0;
  }
  // Customers, then tags, in loops of their own (see above).
  for (let i = 0; i < n; i++) {
    const customerId = customerIds[i];
    let customer = customerIndex.get(customerId);
    if (customer === undefined) {
      customer = customerIndex.size;
      customerIndex.set(customerId, customer);
    }
    customerOfIncident[i] = customer;
  }
  for (let i = 0; i < n; i++) {
    const tags = tagLists[i];
    firstTag[i] = -1;
    for (let k = 0; k < tags.length; k++) {
      const t = tagWritten.of(tags[k]);
      if (t === keyOfTag.length) keyOfTag.push(tagKeys.of(tagKey(tags[k])));
      if (k === 0) {
        firstTag[i] = t;
        if (tags.length > 1) {
          seenKeys.length = 0;
          seenKeys.push(keyOfTag[t]);
        }
      } else if (!seenKeys.includes(keyOfTag[t])) {
        // An incident tagged twice with the same word counts once.
        seenKeys.push(keyOfTag[t]);
        moreTags.push(i, t);
      }
    }
  }
  // Nothing is kept alive by the arrays kept for the next read.
  customerIds.fill('', 0, n);
  tagLists.fill(NO_TAGS, 0, n);
  if (!walk.finished()) countChecksByLookup(incidents, checks, checkTotal, checkSatisfied);
  return {
    incidents,
    customers: file.customers,
    followUps: file.followUps,
    day,
    hour,
    half,
    openedSeconds,
    customerOfIncident,
    category,
    channel,
    severity,
    cause,
    staff,
    component,
    firstTag,
    moreTags: Int32Array.from(moreTags),
    responseDay,
    responseSeconds,
    resolvedDay,
    resolvedSeconds,
    reopened,
    staffNames,
    componentNames,
    tagWritten,
    keyOfTag: Int32Array.from(keyOfTag),
    tagKeys,
    customerIndex,
    checkTotal,
    checkSatisfied,
    repeat: arrays.repeat.subarray(0, n),
    checksAsOf: asOfDn,
    repeatWindowDays: NaN,
  };
}

/** An instant that may be absent, into a day column and an instant column at a position (NO_DAY when absent). */
function readOptionalInstant(text: string | undefined, at: number, days: Int32Array, seconds: Float64Array): void {
  if (text === undefined) {
    days[at] = NO_DAY;
    return;
  }
  const dn = fastDayNumber(text);
  days[at] = dn;
  seconds[at] = fastEpochSeconds(text, dn);
}

interface DoneChecks {
  /** Incident ids of the checks completed as of the day, sorted by UTF-16 code units (the order of `<`). */
  all: string[];
  /** The same for the checks whose customer was satisfied. */
  happy: string[];
}

/**
 * Satisfaction checks completed as of the day, as sorted incident ids. They are matched to
 * the incidents by a walk beside them, which the store keeps sorted by id: a hash lookup for
 * each of hundreds of thousands of incidents costs several times more, and the engine's own
 * sort of strings is several times faster than any sort with a comparator. Incidents out of
 * order take the lookups (see CheckWalk and countChecksByLookup).
 */
function doneChecks(file: LoyalFile, asOfDn: number): DoneChecks {
  const all: string[] = [];
  const happy: string[] = [];
  for (const followUp of file.followUps) {
    if (followUp.kind !== 'satisfaction-check' || followUp.status !== 'done' || followUp.outcome === undefined) continue;
    if (followUp.incidentId === undefined) continue;
    if (fastDayNumber(followUp.doneAt ?? followUp.updatedAt) > asOfDn) continue;
    all.push(followUp.incidentId);
    if (followUp.outcome.satisfied) happy.push(followUp.incidentId);
  }
  // Default sort: UTF-16 code unit order, the order of `<` on strings.
  return { all: all.sort(), happy: happy.sort() };
}

/**
 * The done checks matched to incidents met in ascending id order, with `===` alone: in a
 * valid file ids are unique and every check names an incident of the file, so in that order
 * each check's id comes up exactly when the walk is at it. Anything else (incidents out of
 * order, a hand-made book) leaves checks behind, and finished() says so: the caller then
 * takes the lookups. Comparing ids with `<` at every incident cost a third of the first pass.
 */
class CheckWalk {
  private at = 0;
  private happyAt = 0;
  /** The satisfied checks of the incident last given to total(). */
  satisfied = 0;

  constructor(private readonly checks: DoneChecks) {}

  /** The checks of the incident with this id (and sets satisfied). */
  total(id: string): number {
    const { all, happy } = this.checks;
    let at = this.at;
    if (at === all.length || all[at] !== id) {
      this.satisfied = 0;
      return 0;
    }
    const start = at;
    do at++;
    while (at < all.length && all[at] === id);
    this.at = at;
    let happyAt = this.happyAt;
    const happyStart = happyAt;
    while (happyAt < happy.length && happy[happyAt] === id) happyAt++;
    this.happyAt = happyAt;
    this.satisfied = happyAt - happyStart;
    return at - start;
  }

  /** Whether every check was matched. */
  finished(): boolean {
    return this.at === this.checks.all.length && this.happyAt === this.checks.happy.length;
  }
}

/** The checks of each incident as of another day, for columns read before (a walk of its own). */
function countChecks(file: LoyalFile, columns: BookColumns, asOfDn: number): void {
  const checks = doneChecks(file, asOfDn);
  const incidents = columns.incidents;
  const { checkTotal, checkSatisfied } = columns;
  columns.checksAsOf = asOfDn;
  const walk = new CheckWalk(checks);
  for (let i = 0; i < incidents.length; i++) {
    checkTotal[i] = walk.total(incidents[i].id);
    checkSatisfied[i] = walk.satisfied;
  }
  if (!walk.finished()) countChecksByLookup(incidents, checks, checkTotal, checkSatisfied);
}

/** Counts the checks of each incident with lookups: incidents not sorted by id. */
function countChecksByLookup(incidents: readonly Incident[], checks: DoneChecks, checkTotal: Int32Array, checkSatisfied: Int32Array): void {
  const counts = new Map<string, { total: number; satisfied: number }>();
  for (const id of checks.all) {
    const count = counts.get(id);
    if (count) count.total++;
    else counts.set(id, { total: 1, satisfied: 0 });
  }
  for (const id of checks.happy) counts.get(id)!.satisfied++;
  for (let i = 0; i < incidents.length; i++) {
    const count = counts.get(incidents[i].id);
    checkTotal[i] = count?.total ?? 0;
    checkSatisfied[i] = count?.satisfied ?? 0;
  }
}

/**
 * Customers as small integers, in the order of the customers. The keys are fresh copies of
 * the ids, made by one JSON.parse and so laid out side by side in memory: every lookup
 * compares the record's customerId with a key, and on a big book the customers' own id
 * strings are spread over hundreds of MB, a cache miss each. Measured on a 500k-incident
 * book read by the store: the 500k incident lookups take about half the time.
 */
function customerIndexOf(file: LoyalFile): Map<string, number> {
  const ids = new Array<string>(file.customers.length);
  for (let c = 0; c < ids.length; c++) ids[c] = file.customers[c].id;
  const keys = JSON.parse(JSON.stringify(ids)) as string[];
  const customerIndex = new Map<string, number>();
  for (const id of keys) if (!customerIndex.has(id)) customerIndex.set(id, customerIndex.size);
  return customerIndex;
}

/** For each name of a table, whether a filter (null: no filter) lets it through. */
function allowed(names: readonly string[], filter: Set<string> | null, normalise: (name: string) => string = (name) => name): Uint8Array | null {
  if (filter === null) return null;
  return Uint8Array.from(names, (name) => (filter.has(normalise(name)) ? 1 : 0));
}

/**
 * Everything the trend review and `loyal trends` show, for the incidents in range and
 * filters. A big book is bound by memory, not arithmetic: the incident records are read
 * once, in one pass, into typed arrays (readBook); everything after works on those arrays.
 * With a cache (see TrendCache) the arrays are read once per version of the book.
 */
export function computeTrends(file: LoyalFile, options: TrendOptions, cache?: TrendCache): TrendReport {
  const scope = scopeOf(options);
  const settings = { ...TREND_DEFAULTS, ...definedOnly(options) };
  const { endDn, asOfDn } = scope;
  const columns = cache ? cache.columnsOf(file, asOfDn) : readBook(file, asOfDn, scratchFor(file.incidents.length));
  const n = columns.incidents.length;
  const work = workspaceFor(n);
  const { day, hour, half, openedSeconds, category, channel, severity, cause, staff, component, firstTag, responseDay, responseSeconds, resolvedDay, resolvedSeconds, reopened, checkTotal, checkSatisfied, customerIndex, keyOfTag } = columns;
  const staffNames = columns.staffNames.names;
  const componentNames = columns.componentNames.names;
  const componentIds = columns.componentNames.index;
  const tagKeys = columns.tagKeys.names;
  const writtenTags = columns.tagWritten.names;
  const moreWritten = columns.moreTags;
  const lowDn = scope.fromDn ?? -Infinity;

  // The filters, as one flag per code or name.
  const categoryAllowed = allowed(CATEGORIES, scope.category);
  const staffAllowed = allowed(staffNames, scope.staff);
  const componentAllowed = allowed(componentNames, scope.component);
  const tagAllowed = allowed(writtenTags, scope.tag, tagKey);
  // Staff and components written as "" count as none.
  const noStaff = columns.staffNames.index.get('') ?? -1;
  const noComponent = columns.componentNames.index.get('') ?? -1;

  // Per incident in scope, by position in scope order (only the first `size` are meaningful).
  const scopeIndex = work.scopeIndex.subarray(0, n);
  const scopeFirstResponse = work.scopeFirstResponse.subarray(0, n);
  const resolveHours = work.resolveHours.subarray(0, n);
  // [position, tag] pairs for the second and later tags of an incident (few incidents have them).
  const moreTags: number[] = [];
  let resolvedCount = 0;
  let size = 0;

  const categoryCounts = new Int32Array(CATEGORIES.length);
  const channelCounts = new Int32Array(CHANNELS.length);
  const severityCounts = new Int32Array(SEVERITIES.length);
  const causeCounts = new Int32Array(CAUSES.length);
  const weekdayHour = new Int32Array(7 * 24);
  const staffHour = new Int32Array(staffNames.length * 24);
  // Per staff member, weekday (Monday = 0) and half hour of the day (0-47): what the spike model fits.
  const staffSlots = new Int32Array(staffNames.length * SLOT_COLUMNS);
  const componentCounts = new Int32Array(componentNames.length);
  // A complaint is shown as it was first written in scope.
  const tagCounts = new Int32Array(tagKeys.length);
  const tagLabels = new Array<string>(tagKeys.length).fill('');
  const reworkResolvedDays: number[] = [];
  let fileFirstDn = Infinity;
  let scopeFirstDn = Infinity;
  let withoutStaff = 0;
  let reopenedCount = 0;
  let satisfied = 0;
  let satisfactionTotal = 0;
  let moreAt = 0;

  // Second pass, over the arrays: filters, range and counts.
  for (let i = 0; i < n; i++) {
    const dn = day[i];
    if (dn < fileFirstDn) fileFirstDn = dn;
    while (moreAt < moreWritten.length && moreWritten[moreAt] < i) moreAt += 2;
    if (categoryAllowed !== null && categoryAllowed[category[i]] === 0) continue;
    if (staffAllowed !== null && (staff[i] < 0 || staffAllowed[staff[i]] === 0)) continue;
    if (componentAllowed !== null && (component[i] < 0 || componentAllowed[component[i]] === 0)) continue;
    if (tagAllowed !== null) {
      let any = firstTag[i] >= 0 && tagAllowed[firstTag[i]] === 1;
      for (let k = moreAt; !any && k < moreWritten.length && moreWritten[k] === i; k += 2) any = tagAllowed[moreWritten[k + 1]] === 1;
      if (!any) continue;
    }
    // Rework belongs to the month of the resolution, whenever the incident was opened.
    const resolvedDn = resolvedDay[i];
    if (reopened[i] === 1 && resolvedDn !== NO_DAY && resolvedDn <= endDn) reworkResolvedDays.push(resolvedDn);
    if (dn > endDn || dn < lowDn) continue;

    const at = size++;
    scopeIndex[at] = i;
    if (dn < scopeFirstDn) scopeFirstDn = dn;
    const categoryCode = category[i];
    const channelCode = channel[i];
    categoryCounts[categoryCode]++;
    channelCounts[channelCode]++;
    severityCounts[severity[i]]++;
    causeCounts[cause[i]]++;
    const h = hour[i];
    const weekday = (((dn + 3) % 7) + 7) % 7;
    weekdayHour[weekday * 24 + h]++;
    const s = staff[i];
    if (s < 0 || s === noStaff) withoutStaff++;
    else {
      staffHour[s * 24 + h]++;
      staffSlots[s * SLOT_COLUMNS + weekday * 48 + h * 2 + half[i]]++;
    }
    const c = component[i];
    if (c >= 0 && c !== noComponent) componentCounts[c]++;

    const first = firstTag[i];
    if (first >= 0) {
      const key = keyOfTag[first];
      if (tagCounts[key]++ === 0) tagLabels[key] = writtenTags[first].trim();
      for (let k = moreAt; k < moreWritten.length && moreWritten[k] === i; k += 2) {
        const written = moreWritten[k + 1];
        const other = keyOfTag[written];
        if (tagCounts[other]++ === 0) tagLabels[other] = writtenTags[written].trim();
        moreTags.push(at, other);
      }
    }

    // As of a day, a response or resolution recorded later has not happened yet.
    const opened = openedSeconds[i];
    const responseDn = responseDay[i];
    scopeFirstResponse[at] = responseDn !== NO_DAY && responseDn <= asOfDn ? Math.max(0, responseSeconds[i] - opened) / 3600 : NaN;
    if (resolvedDn !== NO_DAY && resolvedDn <= asOfDn) resolveHours[resolvedCount++] = Math.max(0, resolvedSeconds[i] - opened) / 3600;
    reopenedCount += reopened[i];
    satisfied += checkSatisfied[i];
    satisfactionTotal += checkTotal[i];
  }

  const fromDn = scope.fromDn ?? (size > 0 ? scopeFirstDn : endDn);
  // Without a "from", the log itself starts where the first incident was recorded.
  const logStartDn = scope.fromDn ?? (Number.isFinite(fileFirstDn) ? Math.min(fileFirstDn, endDn) : endDn);

  const topComplaints: Array<CountByTag & { index: number }> = Array.from(tagCounts, (count, index) => ({ key: tagKeys[index], tag: tagLabels[index], count, index }))
    .filter((row) => row.count > 0)
    .sort(byCountThenName((row) => row.key))
    .slice(0, Math.max(TOP_COMPLAINTS, settings.seriesTopTags))
    .map(({ tag, count, index }) => ({ tag, count, index }));
  const seriesTags = topComplaints.slice(0, Math.min(30, Math.floor(settings.seriesTopTags)));

  // Third pass, over the typed arrays of the incidents in scope: series and scorecard.
  const buckets = bucketKeys(options.bucket, fromDn, endDn);
  const bucketCount = buckets.length;
  const firstMonth = monthIndexOf(fromDn);
  const monthCount = monthIndexOf(endDn) - firstMonth + 1;
  const monthStarts = Array.from({ length: monthCount + 1 }, (_, mi) => monthStartDay(firstMonth + mi));
  // Counts in flat typed arrays (series x bucket), turned into the report's arrays at the end.
  const total = new Int32Array(bucketCount);
  const categorySeries = new Int32Array(CATEGORIES.length * bucketCount);
  const seriesOfTag = new Int32Array(tagKeys.length).fill(-1);
  seriesTags.forEach((row, position) => (seriesOfTag[row.index] = position));
  const tagSeries = new Int32Array(seriesTags.length * bucketCount);
  const componentSeries = new Int32Array(componentNames.length * bucketCount);
  const complaints = new Int32Array(monthCount);
  const written = new Int32Array(monthCount);
  const oral = new Int32Array(monthCount);
  const otherChannels = new Int32Array(monthCount);
  // The month of each day of the range, from a table rather than a search per incident.
  const monthOfDay = new Int32Array(endDn - fromDn + 1);
  for (let mi = 0; mi < monthCount; mi++) monthOfDay.fill(mi, Math.max(0, monthStarts[mi] - fromDn), Math.max(0, monthStarts[mi + 1] - fromDn));
  const scopeMonth = new Int32Array(size);
  const responsesInMonth = new Int32Array(monthCount + 1);
  const firstWeek = weekStartOf(fromDn);
  const weekly = options.bucket === 'week';
  const otherChannel = CHANNEL_CODE.other;
  const scopeBucket = new Int32Array(size);

  for (let at = 0; at < size; at++) {
    const i = scopeIndex[at];
    const dn = day[i];
    const month = monthOfDay[dn - fromDn];
    const b = weekly ? Math.floor((dn - firstWeek) / 7) : month;
    scopeBucket[at] = b;
    total[b]++;
    categorySeries[category[i] * bucketCount + b]++;
    const t = firstTag[i];
    const series = t < 0 ? -1 : seriesOfTag[keyOfTag[t]];
    if (series >= 0) tagSeries[series * bucketCount + b]++;
    const c = component[i];
    if (c >= 0 && c !== noComponent) componentSeries[c * bucketCount + b]++;
    scopeMonth[at] = month;
    complaints[month]++;
    const channelCode = channel[i];
    if (IS_WRITTEN[channelCode] === 1) written[month]++;
    else if (channelCode === otherChannel) otherChannels[month]++;
    else oral[month]++;
    if (!Number.isNaN(scopeFirstResponse[at])) responsesInMonth[month + 1]++;
  }
  for (let k = 0; k < moreTags.length; k += 2) {
    const position = seriesOfTag[moreTags[k + 1]];
    if (position >= 0) tagSeries[position * bucketCount + scopeBucket[moreTags[k]]]++;
  }
  // Response times laid out month after month (a counting sort), each month's median from its slice.
  for (let mi = 0; mi < monthCount; mi++) responsesInMonth[mi + 1] += responsesInMonth[mi];
  const responsesByMonth = new Float64Array(responsesInMonth[monthCount]);
  const nextSlot = responsesInMonth.slice(0, monthCount);
  for (let at = 0; at < size; at++) {
    if (!Number.isNaN(scopeFirstResponse[at])) responsesByMonth[nextSlot[scopeMonth[at]]++] = scopeFirstResponse[at];
  }
  const scorecard: ScorecardMonth[] = [];
  for (let mi = 0; mi < monthCount; mi++) {
    scorecard.push({
      month: monthText(firstMonth + mi),
      complaints: complaints[mi],
      written: written[mi],
      oral: oral[mi],
      otherChannel: otherChannels[mi],
      referrals: 0,
      purchasingCustomers: 0,
      repeatPurchaseRate: null,
      rework: 0,
      medianHoursToFirstResponse: roundOrNull(medianInPlace(responsesByMonth.subarray(responsesInMonth[mi], responsesInMonth[mi + 1])), 2),
    });
  }
  for (const resolvedDn of reworkResolvedDays) {
    if (resolvedDn >= fromDn) scorecard[monthIndexOf(resolvedDn) - firstMonth].rework++;
  }
  const purchases = cache ? cache.purchasesOf(file, columns) : readPurchases(file.purchases, customerIndex);
  fillCustomerScorecard(file.customers, purchases, scorecard, firstMonth, monthOfDay, monthStarts, fromDn, endDn);

  const componentOrder = componentNames
    .map((name, index) => ({ component: name, index, count: componentCounts[index] }))
    .filter((row) => row.count > 0)
    .sort(byCountThenName((row) => row.component));

  let responses = 0;
  for (let at = 0; at < size; at++) if (!Number.isNaN(scopeFirstResponse[at])) scopeFirstResponse[responses++] = scopeFirstResponse[at];

  const outcomes: RecoveryOutcomes = {
    satisfiedRate: satisfactionTotal === 0 ? null : round(satisfied / satisfactionTotal, 4),
    satisfactionChecks: satisfactionTotal,
    repeatFailureRate: repeatFailureRate(columns, scopeIndex, size, settings.repeatWindowDays),
    medianHoursToFirstResponse: roundOrNull(medianInPlace(scopeFirstResponse, responses), 2),
    medianHoursToResolve: roundOrNull(medianInPlace(resolveHours, resolvedCount), 2),
    resolved: resolvedCount,
    open: size - resolvedCount,
    reopened: reopenedCount,
  };

  // Staff members with incidents in scope, by name.
  const heatmapStaffHour: StaffHourRow[] = staffNames
    .map((name, index) => {
      const hours = Array.from(staffHour.subarray(index * 24, index * 24 + 24));
      return { staff: name, total: hours.reduce((sum, v) => sum + v, 0), hours };
    })
    .filter((row) => row.total > 0)
    .sort((a, b) => (a.staff < b.staff ? -1 : a.staff > b.staff ? 1 : 0));
  const byCategorySeries = {} as Record<Category, number[]>;
  const seriesRow = (counts: Int32Array, row: number) => Array.from(counts.subarray(row * bucketCount, (row + 1) * bucketCount));
  CATEGORIES.forEach((name, code) => (byCategorySeries[name] = seriesRow(categorySeries, code)));

  return {
    from: dayText(fromDn),
    to: dayText(endDn),
    asOf: options.asOf,
    bucket: options.bucket,
    filters: options.filters ?? {},
    total: size,
    topComplaints: topComplaints.slice(0, TOP_COMPLAINTS).map(({ tag, count }) => ({ tag, count })),
    byCategory: countsOf(CATEGORIES, categoryCounts),
    byChannel: countsOf(CHANNELS, channelCounts),
    bySeverity: countsOf(SEVERITIES, severityCounts),
    byCause: countsOf(CAUSES, causeCounts),
    byComponent: componentOrder.map(({ component, count }) => ({ component, count })),
    series: {
      buckets,
      total: Array.from(total),
      byCategory: byCategorySeries,
      byTag: seriesTags.map((row, index) => ({ tag: row.tag, counts: seriesRow(tagSeries, index) })),
      byComponent: componentOrder.map(({ component, index }) => ({ component, counts: seriesRow(componentSeries, index) })),
    },
    heatmapWeekdayHour: Array.from({ length: 7 }, (_, d) => Array.from(weekdayHour.subarray(d * 24, d * 24 + 24))),
    heatmapStaffHour,
    withoutStaff,
    spikes: findSpikes(
      heatmapStaffHour,
      heatmapStaffHour.map((row) => staffSlots.subarray(columns.staffNames.index.get(row.staff)! * SLOT_COLUMNS, (columns.staffNames.index.get(row.staff)! + 1) * SLOT_COLUMNS)),
      settings,
    ),
    releases: releaseEffects(file, scope, day, component, noComponent, scopeIndex, size, componentIds, fromDn, logStartDn, settings),
    outcomes,
    scorecard,
  };
}

function definedOnly(options: TrendOptions): Partial<typeof TREND_DEFAULTS> {
  const picked: Record<string, number> = {};
  for (const key of Object.keys(TREND_DEFAULTS) as Array<keyof typeof TREND_DEFAULTS>) {
    const value = options[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a non-negative number, got ${value}`);
      picked[key] = value;
    }
  }
  return picked;
}

/**
 * Expected incidents per staff x hour cell when an incident's hour and the staff member on
 * duty are unrelated, given who is on duty when. Staff work shifts, so a staff member has
 * (almost) no incidents outside their hours; the plain row x column / N would then call
 * every hour of every shift a spike. The expected counts are those of the quasi-independence
 * model (expected = staff factor x hour factor on the cells where the staff member is on
 * duty, zero elsewhere), fitted by iterative proportional fitting so that every staff
 * member's and every hour's on-duty total is matched. When everybody covers every hour this
 * is exactly row total x column total / N. A cell counts as on duty when it holds at least a
 * tenth of that staff member's average per active hour (and at least one incident): the odd
 * incident logged outside a shift must not define the shift.
 */
export function expectedOnDuty(rows: ReadonlyArray<{ hours: readonly number[] }>): number[][] {
  const staffCount = rows.length;
  const onDuty = rows.map((row) => {
    const active = row.hours.filter((count) => count > 0);
    const mean = active.reduce((sum, count) => sum + count, 0) / Math.max(1, active.length);
    return row.hours.map((count) => count >= Math.max(1, 0.1 * mean));
  });
  const rowTotals = rows.map((row, s) => row.hours.reduce((sum, count, h) => sum + (onDuty[s][h] ? count : 0), 0));
  const hourTotals = new Array<number>(24).fill(0);
  rows.forEach((row, s) => row.hours.forEach((count, h) => (hourTotals[h] += onDuty[s][h] ? count : 0)));
  const staffFactor = new Array<number>(staffCount).fill(1);
  const hourFactor = new Array<number>(24).fill(1);
  for (let iteration = 0; iteration < 500; iteration++) {
    for (let s = 0; s < staffCount; s++) {
      let denominator = 0;
      for (let h = 0; h < 24; h++) if (onDuty[s][h]) denominator += hourFactor[h];
      staffFactor[s] = denominator > 0 ? rowTotals[s] / denominator : 0;
    }
    let change = 0;
    for (let h = 0; h < 24; h++) {
      let denominator = 0;
      for (let s = 0; s < staffCount; s++) if (onDuty[s][h]) denominator += staffFactor[s];
      const next = denominator > 0 ? hourTotals[h] / denominator : 0;
      change = Math.max(change, Math.abs(next - hourFactor[h]) / Math.max(1e-12, Math.abs(next)));
      hourFactor[h] = next;
    }
    if (change < 1e-10) break;
  }
  return rows.map((_, s) => hourFactor.map((factor, h) => (onDuty[s][h] ? staffFactor[s] * factor : 0)));
}

/** Columns of the spike model: 7 weekdays x 48 half hours. */
const SLOT_COLUMNS = 7 * 48;
/** Incidents a day type (x half hour) must be predicted to hold before none there means off duty (P(X = 0 | 3) is 5%). Chosen on the insight bench's roster books (2,000 incidents: 5 gave 6% noise books with a spike, 3 gave 5%). */
const PRESENCE_MIN_MEAN = 3;

/**
 * The spike model's expected counts, fitted on staff x (weekday, half hour) counts:
 * - Presence is per staff member, day type (Monday-Friday, Saturday-Sunday) and half hour:
 *   an hour is on duty as before (a tenth of the staff member's mean per active hour), and a
 *   day type x half hour of it is off duty where the data say so firmly (see the constructor).
 *   Weekend rosters and shifts that start on the half hour are then modelled as they are,
 *   not averaged into the whole week or hour.
 * - Expected = staff factor x (weekday, half hour) factor on the cells where the staff member
 *   is on duty (quasi-independence, fitted by iterative proportional fitting): the incident
 *   rate of each weekday and half hour is shared by whoever is on duty, in proportion to
 *   each staff member's overall share.
 * - Leave one out: the expected count of a staff member's hour is fitted WITHOUT that hour's
 *   cells (they are left out of both margins), then predicted from the factors. Fitted with
 *   the cell in, a true 2x cell pulls its own expectation up and shows as about 1.4x.
 */
class SpikeModel {
  readonly staffCount: number;
  readonly onDuty: Uint8Array;
  private readonly counts: Float64Array;
  private readonly staffFactor: Float64Array;
  private readonly slotFactor: Float64Array;

  constructor(slots: readonly ArrayLike<number>[]) {
    const S = (this.staffCount = slots.length);
    this.counts = new Float64Array(S * SLOT_COLUMNS);
    this.onDuty = new Uint8Array(S * SLOT_COLUMNS);
    // Every staff member's incidents per day type (Monday-Friday, weekend) and half hour.
    const pooledKey = (c: number): number => (Math.floor(c / 48) >= 5 ? 48 : 0) + (c % 48);
    const allPooled = new Float64Array(96);
    const pooled = Array.from({ length: S }, () => new Float64Array(96));
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        const v = slots[s][c];
        this.counts[s * SLOT_COLUMNS + c] = v;
        pooled[s][pooledKey(c)] += v;
        allPooled[pooledKey(c)] += v;
      }
    }
    for (let s = 0; s < S; s++) {
      // 1. On duty in an hour (any day) with at least one incident and a tenth of the staff
      //    member's mean per active hour: the odd incident outside a shift defines no shift.
      const hours = new Float64Array(24);
      for (let k = 0; k < 96; k++) hours[(k % 48) >> 1] += pooled[s][k];
      let active = 0;
      let sum = 0;
      for (const v of hours) {
        if (v > 0) {
          active++;
          sum += v;
        }
      }
      const threshold = Math.max(1, (0.1 * sum) / Math.max(1, active));
      // 2. Within an hour on duty, a day type, then a half hour of it, is off duty only where the
      //    data say so firmly: at most a tenth of what the staff member's usual share of every
      //    incident there predicts, when that prediction is at least PRESENCE_MIN_MEAN. A chance
      //    zero in a quiet cell stays on duty.
      const off = new Uint8Array(96);
      // The staff member's usual share of the incidents where they have any.
      let mine = 0;
      let everyone = 0;
      for (let k = 0; k < 96; k++) {
        if (pooled[s][k] > 0) {
          mine += pooled[s][k];
          everyone += allPooled[k];
        }
      }
      const share = everyone > 0 ? mine / everyone : 0;
      const firmlyOff = (count: number, predicted: number): boolean => predicted >= PRESENCE_MIN_MEAN && count <= 0.1 * predicted;
      // A day type the staff member never works (a weekend-only or weekday-only roster), judged
      // on the whole day, where there is data enough; then hour by hour.
      const typeOff = [0, 48].map((base) => {
        let count = 0;
        let all = 0;
        let total = 0;
        for (let k = 0; k < 96; k++) {
          total += allPooled[k];
          if (k >= base && k < base + 48) {
            count += pooled[s][k];
            all += allPooled[k];
          }
        }
        return total > 0 && firmlyOff(count, (sum * all) / total);
      });
      for (let h = 0; h < 24; h++) {
        if (hours[h] < threshold) {
          for (const k of [2 * h, 2 * h + 1, 48 + 2 * h, 49 + 2 * h]) off[k] = 1;
          continue;
        }
        if (typeOff[0]) off[2 * h] = off[2 * h + 1] = 1;
        if (typeOff[1]) off[48 + 2 * h] = off[49 + 2 * h] = 1;
        // First the day type (its two half hours together), then each half hour of a day type on
        // duty, against what the staff member's usual share of the incidents would give there.
        for (const base of [0, 48]) {
          if (typeOff[base / 48]) continue;
          const k0 = base + 2 * h;
          const k1 = k0 + 1;
          if (firmlyOff(pooled[s][k0] + pooled[s][k1], share * (allPooled[k0] + allPooled[k1]))) {
            off[k0] = off[k1] = 1;
            continue;
          }
          if (firmlyOff(pooled[s][k0], share * allPooled[k0])) off[k0] = 1;
          if (firmlyOff(pooled[s][k1], share * allPooled[k1])) off[k1] = 1;
        }
      }
      for (let c = 0; c < SLOT_COLUMNS; c++) if (!off[pooledKey(c)]) this.onDuty[s * SLOT_COLUMNS + c] = 1;
    }
    this.staffFactor = new Float64Array(S).fill(1);
    this.slotFactor = new Float64Array(SLOT_COLUMNS).fill(1);
    this.fit(this.staffFactor, this.slotFactor, -1, -1, 500);
  }

  /** IPF on the on-duty cells, leaving out staff `ls`'s cells of hour `lh` (ls = -1: none). */
  private fit(a: Float64Array, b: Float64Array, ls: number, lh: number, maxIterations: number): void {
    const S = this.staffCount;
    const left = (s: number, c: number): boolean => s === ls && ((c % 48) >> 1) === lh;
    const rowTotals = new Float64Array(S);
    const colTotals = new Float64Array(SLOT_COLUMNS);
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        const k = s * SLOT_COLUMNS + c;
        if (!this.onDuty[k] || left(s, c)) continue;
        rowTotals[s] += this.counts[k];
        colTotals[c] += this.counts[k];
      }
    }
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      for (let s = 0; s < S; s++) {
        let d = 0;
        for (let c = 0; c < SLOT_COLUMNS; c++) if (this.onDuty[s * SLOT_COLUMNS + c] && !left(s, c)) d += b[c];
        a[s] = d > 0 ? rowTotals[s] / d : 0;
      }
      let change = 0;
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        let d = 0;
        for (let s = 0; s < S; s++) if (this.onDuty[s * SLOT_COLUMNS + c] && !left(s, c)) d += a[s];
        const next = d > 0 ? colTotals[c] / d : 0;
        change = Math.max(change, Math.abs(next - b[c]) / Math.max(1e-12, Math.abs(next)));
        b[c] = next;
      }
      if (change < 1e-9) break;
    }
  }

  /** Expected count of staff s in hour h with every cell in the fit. */
  expectedIn(s: number, h: number): number {
    return this.predict(this.staffFactor, this.slotFactor, s, h);
  }

  /**
   * Expected count of staff s in hour h from a fit that leaves that hour of theirs out, and
   * what the others on duty in the same cells logged (the conditional test needs both).
   */
  expectedLeavingOut(s: number, h: number): { expected: number; others: number } {
    const a = Float64Array.from(this.staffFactor);
    const b = Float64Array.from(this.slotFactor);
    this.fit(a, b, s, h, 500);
    let others = 0;
    for (let d = 0; d < 7; d++) {
      for (let k = 2 * h; k <= 2 * h + 1; k++) {
        const c = d * 48 + k;
        if (!this.onDuty[s * SLOT_COLUMNS + c]) continue;
        for (let o = 0; o < this.staffCount; o++) if (o !== s && this.onDuty[o * SLOT_COLUMNS + c]) others += this.counts[o * SLOT_COLUMNS + c];
      }
    }
    return { expected: this.predict(a, b, s, h), others };
  }

  private predict(a: Float64Array, b: Float64Array, s: number, h: number): number {
    let sum = 0;
    for (let d = 0; d < 7; d++) {
      for (let k = 2 * h; k <= 2 * h + 1; k++) {
        const c = d * 48 + k;
        if (this.onDuty[s * SLOT_COLUMNS + c]) sum += a[s] * b[c];
      }
    }
    return sum;
  }
}

/**
 * Staff x hour cells far above their expected count (see SpikeModel: presence per day type
 * and half hour, expected counts fitted without the cell). Each on-duty cell is tested with
 * a one-sided conditional binomial test: given the incidents of the cell's weekday x half-hour
 * cells (the staff member's and the others' on duty), P(X >= count) for a binomial with share
 * expected / (expected + others); the p-values of all on-duty
 * cells are adjusted by Benjamini-Hochberg, and a cell is a spike when its adjusted p-value is
 * at most the false discovery rate AND it has at least minSpikeCount incidents AND at least
 * minSpikeRatio times its expected count, so that a handful of late-night complaints alarms
 * nobody. Cells at or below their in-sample expected count, or under minSpikeCount, can be
 * no spike: they keep p = 1 (still counted by the adjustment) and skip the refit.
 */
function findSpikes(rows: StaffHourRow[], slots: readonly ArrayLike<number>[], settings: typeof TREND_DEFAULTS): Spike[] {
  const model = new SpikeModel(slots);
  const cells: Array<Omit<Spike, 'adjustedPValue'>> = [];
  rows.forEach((row, s) => {
    for (let h = 0; h < 24; h++) {
      const inSample = model.expectedIn(s, h);
      if (inSample <= 0) continue;
      const count = row.hours[h];
      if (count <= inSample || count < settings.minSpikeCount) {
        cells.push({ staff: row.staff, hour: h, count, expected: inSample, pValue: 1, ratio: count / inSample });
        continue;
      }
      const { expected: mean, others } = model.expectedLeavingOut(s, h);
      // Given the incidents of those cells (this staff member's and the others'), this staff
      // member's count is binomial with share mean / (mean + others) when nothing is special:
      // the test then allows for the chance in the others' counts, which the expectation rests on.
      const pValue = mean > 0 ? binomialUpperTail(count, count + others, mean / (mean + others)) : 0;
      cells.push({ staff: row.staff, hour: h, count, expected: mean, pValue, ratio: mean > 0 ? count / mean : Infinity });
    }
  });
  const adjusted = benjaminiHochberg(cells.map((cell) => cell.pValue));
  return cells
    .map((cell, index) => ({ ...cell, adjustedPValue: adjusted[index] }))
    .filter(
      (cell) =>
        cell.adjustedPValue <= settings.falseDiscoveryRate &&
        cell.count >= settings.minSpikeCount &&
        cell.ratio >= settings.minSpikeRatio &&
        Number.isFinite(cell.ratio),
    )
    .sort((a, b) => a.pValue - b.pValue || b.ratio - a.ratio)
    .map((cell) => ({ ...cell, expected: round(cell.expected, 2), ratio: round(cell.ratio, 2) }));
}

/**
 * Incidents per week of each release's component before and after the release. The two
 * counts are Poisson with rates r_before and r_after; given their sum, the after count is
 * binomial with p = exposureAfter / (exposureBefore + exposureAfter) when the rates are
 * equal, so P(X >= after) is the one-sided p-value of "more incidents after". Exposures are
 * the days actually observed (windows cut by the range or the as-of day). p-values are
 * adjusted by Benjamini-Hochberg over the releases that have days on both sides.
 */
function releaseEffects(
  file: LoyalFile,
  scope: Scope,
  day: Int32Array,
  component: Int32Array,
  noComponent: number,
  scopeIndex: Int32Array,
  size: number,
  componentIds: Map<string, number>,
  fromDn: number,
  logStartDn: number,
  settings: typeof TREND_DEFAULTS,
): ReleaseEffect[] {
  const weeks = settings.releaseWindowWeeks;
  const releases = file.releases
    .map((release) => ({ release, dn: dayNumberOf(release.date) }))
    .filter(({ release, dn }) => dn >= logStartDn && dn <= scope.endDn && (scope.component === null || scope.component.has(release.component)));
  if (releases.length === 0) return [];

  // For each released component, how many of its incidents in scope were opened before each
  // day of the range (a count per day, then running totals): a window's count is then two
  // reads, where sorting the days cost more than the rest of the release effects together.
  const componentCount = componentIds.size;
  const slotOf = new Int32Array(componentCount).fill(-1);
  let slots = 0;
  for (const { release } of releases) {
    const c = componentIds.get(release.component);
    if (c !== undefined && slotOf[c] < 0) slotOf[c] = slots++;
  }
  // Every incident in scope was opened on a day in [fromDn, endDn].
  const span = scope.endDn - fromDn + 2;
  const before = new Int32Array(Math.max(0, slots * span));
  for (let at = 0; at < size; at++) {
    const i = scopeIndex[at];
    const c = component[i];
    if (c >= 0 && c !== noComponent && slotOf[c] >= 0) before[slotOf[c] * span + day[i] - fromDn + 1]++;
  }
  for (let slot = 0; slot < slots; slot++) {
    for (let k = slot * span + 1; k < (slot + 1) * span; k++) before[k] += before[k - 1];
  }
  /** Incidents of the component in scope opened on a day in [start, end]. */
  const countBetween = (c: number | undefined, start: number, end: number): number => {
    if (end < start || c === undefined || slotOf[c] < 0) return 0;
    const row = slotOf[c] * span;
    const openedBefore = (dn: number) => before[row + Math.min(span - 1, Math.max(0, dn - fromDn))];
    return openedBefore(end + 1) - openedBefore(start);
  };

  const effects = releases.map(({ release, dn }) => {
    const c = componentIds.get(release.component);
    const window = releaseWindow(dn, weeks, logStartDn, scope.endDn);
    const daysBefore = Math.max(0, window.beforeEnd - window.beforeStart + 1);
    const daysAfter = Math.max(0, window.afterEnd - window.afterStart + 1);
    const countBefore = countBetween(c, window.beforeStart, window.beforeEnd);
    const countAfter = countBetween(c, window.afterStart, window.afterEnd);
    const testable = daysBefore > 0 && daysAfter > 0;
    const pValue = testable ? binomialUpperTail(countAfter, countBefore + countAfter, daysAfter / (daysBefore + daysAfter)) : 1;
    return { release, daysBefore, daysAfter, countBefore, countAfter, testable, pValue };
  });
  const testedIndex = effects.flatMap((effect, index) => (effect.testable ? [index] : []));
  const adjustedTested = benjaminiHochberg(testedIndex.map((index) => effects[index].pValue));
  const adjusted = effects.map(() => 1);
  testedIndex.forEach((index, k) => (adjusted[index] = adjustedTested[k]));

  return effects
    .map((effect, index): ReleaseEffect => {
      const before = effect.daysBefore > 0 ? (effect.countBefore * 7) / effect.daysBefore : 0;
      const after = effect.daysAfter > 0 ? (effect.countAfter * 7) / effect.daysAfter : 0;
      return {
        component: effect.release.component,
        version: effect.release.version,
        date: effect.release.date,
        before: round(before, 2),
        after: round(after, 2),
        weeks,
        weeksBefore: round(effect.daysBefore / 7, 2),
        weeksAfter: round(effect.daysAfter / 7, 2),
        countBefore: effect.countBefore,
        countAfter: effect.countAfter,
        pValue: effect.pValue,
        adjustedPValue: adjusted[index],
        significant:
          effect.testable &&
          adjusted[index] <= settings.falseDiscoveryRate &&
          effect.countAfter >= settings.minReleaseCount &&
          after > before,
      };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
}

/**
 * Share of the incidents in scope that are a repeat failure: the same customer had another
 * incident (any, in or out of the filters: it is the customer's experience) opened in the
 * repeat window before this one.
 */
function repeatFailureRate(columns: BookColumns, scopeIndex: Int32Array, size: number, windowDays: number): number | null {
  if (size === 0) return null;
  if (columns.repeatWindowDays !== windowDays) markRepeats(columns, windowDays);
  const repeat = columns.repeat;
  let repeats = 0;
  for (let at = 0; at < size; at++) repeats += repeat[scopeIndex[at]];
  return round(repeats / size, 4);
}

/**
 * Marks in columns.repeat each incident opened within the window after another of its
 * customer's: a fact of the book, whatever the range or filters, so the trend review's cache
 * keeps it from one report to the next.
 */
function markRepeats(columns: BookColumns, windowDays: number): void {
  const { customerOfIncident, openedSeconds, repeat } = columns;
  const customerCount = columns.customerIndex.size;
  // Incidents grouped by customer with a counting sort, then each group put in time order.
  const n = customerOfIncident.length;
  const groupStart = new Int32Array(customerCount + 1);
  for (let i = 0; i < n; i++) groupStart[customerOfIncident[i] + 1]++;
  for (let c = 0; c < customerCount; c++) groupStart[c + 1] += groupStart[c];
  const fill = groupStart.slice(0, customerCount);
  const grouped = workspaceFor(n).grouped.subarray(0, n);
  for (let i = 0; i < n; i++) grouped[fill[customerOfIncident[i]]++] = i;
  repeat.fill(0);
  for (let c = 0; c < customerCount; c++) {
    const start = groupStart[c];
    const end = groupStart[c + 1];
    if (end - start < 2) continue;
    // Insertion sort: a customer has few incidents, and the file is often in time order already.
    for (let k = start + 1; k < end; k++) {
      const i = grouped[k];
      const t = openedSeconds[i];
      let j = k - 1;
      while (j >= start && openedSeconds[grouped[j]] > t) {
        grouped[j + 1] = grouped[j];
        j--;
      }
      grouped[j + 1] = i;
    }
    // The rule of the outlook and the risk (isRepeatWithin): the incident just before counts
    // when it is in the window, and one opened at the very same instant (either neighbour) too.
    for (let k = start; k < end; k++) {
      const ms = openedSeconds[grouped[k]] * 1000;
      if ((k > start && isRepeatWithin(openedSeconds[grouped[k - 1]] * 1000, ms, windowDays)) || (k + 1 < end && isRepeatWithin(openedSeconds[grouped[k + 1]] * 1000, ms, windowDays))) repeat[grouped[k]] = 1;
    }
  }
  columns.repeatWindowDays = windowDays;
}

/** Each purchase's day and customer, as numbers (see readPurchases). */
interface PurchaseColumns {
  readonly purchases: LoyalFile['purchases'];
  readonly customerIndex: ReadonlyMap<string, number>;
  readonly day: Int32Array;
  readonly customer: Int32Array;
  /** Customers numbered: those of customerIndex, then customers named only by purchases. */
  readonly customerCount: number;
}

/** The purchases' days and customers (by the book's customer numbers), read once per version of the purchases. */
function readPurchases(purchases: LoyalFile['purchases'], customerIndex: ReadonlyMap<string, number>): PurchaseColumns {
  const n = purchases.length;
  const day = new Int32Array(n);
  const customer = new Int32Array(n);
  // A customer not in the file: the next number, kept apart from the shared index.
  const others = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const purchase = purchases[k];
    day[k] = fastDayNumber(purchase.date);
    const customerId = purchase.customerId;
    let c = customerIndex.get(customerId) ?? others.get(customerId);
    if (c === undefined) {
      c = customerIndex.size + others.size;
      others.set(customerId, c);
    }
    customer[k] = c;
  }
  return { purchases, customerIndex, day, customer, customerCount: customerIndex.size + others.size };
}

const NO_PURCHASE = 2 ** 31 - 1;

/**
 * Referrals and repeat purchases: customer facts, so the incident filters do not apply.
 * monthOfDay gives the scorecard row of each day of [fromDn, endDn].
 */
function fillCustomerScorecard(
  customers: LoyalFile['customers'],
  purchases: PurchaseColumns,
  scorecard: ScorecardMonth[],
  firstMonth: number,
  monthOfDay: Int32Array,
  monthStarts: readonly number[],
  fromDn: number,
  endDn: number,
): void {
  for (const customer of customers) {
    if (customer.referredBy === undefined) continue;
    const dn = dayNumberOf(customer.createdAt);
    if (dn >= fromDn && dn <= endDn) scorecard[monthIndexOf(dn) - firstMonth].referrals++;
  }
  // Each customer's first purchase up to the end of the range, and the buyers of each month
  // laid out month after month (a counting sort): each buyer counted once per month.
  const { day, customer, customerCount } = purchases;
  const n = day.length;
  const monthCount = scorecard.length;
  const firstPurchase = new Int32Array(customerCount).fill(NO_PURCHASE);
  const monthStart = new Int32Array(monthCount + 1);
  for (let k = 0; k < n; k++) {
    const dn = day[k];
    if (dn > endDn) continue;
    const c = customer[k];
    if (dn < firstPurchase[c]) firstPurchase[c] = dn;
    if (dn >= fromDn) monthStart[monthOfDay[dn - fromDn] + 1]++;
  }
  for (let mi = 0; mi < monthCount; mi++) monthStart[mi + 1] += monthStart[mi];
  const buyersByMonth = new Int32Array(monthStart[monthCount]);
  const next = monthStart.slice(0, monthCount);
  for (let k = 0; k < n; k++) {
    const dn = day[k];
    if (dn >= fromDn && dn <= endDn) buyersByMonth[next[monthOfDay[dn - fromDn]]++] = customer[k];
  }
  const countedIn = new Int32Array(customerCount).fill(-1);
  scorecard.forEach((row, mi) => {
    let buyers = 0;
    let repeats = 0;
    for (let at = monthStart[mi]; at < monthStart[mi + 1]; at++) {
      const c = buyersByMonth[at];
      if (countedIn[c] === mi) continue;
      countedIn[c] = mi;
      buyers++;
      if (firstPurchase[c] < monthStarts[mi]) repeats++;
    }
    row.purchasingCustomers = buyers;
    row.repeatPurchaseRate = buyers === 0 ? null : round(repeats / buyers, 4);
  });
}

/**
 * The incidents behind one bar or cell of the report made with the same file and options,
 * newest first. Hours and weekdays are the wall clock of the offset written in openedAt.
 */
export function drill(file: LoyalFile, options: TrendOptions, selector: DrillSelector): string[] {
  const scope = scopeOf(options);
  const weeks = options.releaseWindowWeeks ?? TREND_DEFAULTS.releaseWindowWeeks;
  let window: ReleaseWindow | null = null;
  if (selector.release !== undefined) {
    const logStart = scope.fromDn ?? Math.min(firstDayOfLog(file), scope.endDn);
    window = releaseWindow(parseDayOption('release.date', selector.release.date), weeks, logStart, scope.endDn);
  }
  const tag = selector.tag === undefined ? undefined : tagKey(selector.tag);
  const lowDn = scope.fromDn ?? -Infinity;
  const found: Array<{ id: string; t: number }> = [];
  for (const incident of file.incidents) {
    const dn = dayNumberOf(incident.openedAt);
    if (dn > scope.endDn || dn < lowDn || !matchesFilters(incident, scope)) continue;
    if (selector.category !== undefined && incident.category !== selector.category) continue;
    if (selector.channel !== undefined && incident.channel !== selector.channel) continue;
    if (selector.severity !== undefined && incident.severity !== selector.severity) continue;
    if (selector.cause !== undefined && incident.cause !== selector.cause) continue;
    if (selector.staff !== undefined && incident.staff !== selector.staff) continue;
    if (selector.component !== undefined && incident.component !== selector.component) continue;
    if (selector.hour !== undefined && hourOf(incident.openedAt) !== selector.hour) continue;
    if (selector.weekday !== undefined && weekdayOf(dn) !== selector.weekday) continue;
    if (tag !== undefined && !incident.tags.some((t) => tagKey(t) === tag)) continue;
    if (selector.bucket !== undefined && bucketKeyOf(options.bucket, dn) !== selector.bucket) continue;
    if (selector.release !== undefined && window !== null) {
      if (incident.component !== selector.release.component) continue;
      const [start, end] =
        selector.release.side === 'before' ? [window.beforeStart, window.beforeEnd] : [window.afterStart, window.afterEnd];
      if (dn < start || dn > end) continue;
    }
    found.push({ id: incident.id, t: epochSecondsOf(incident.openedAt) });
  }
  return found.sort((a, b) => b.t - a.t || (a.id < b.id ? -1 : 1)).map((row) => row.id);
}
