// The trend pass's first read: every incident record (and the satisfaction checks and
// purchases) read once into typed arrays, whatever the range, filters or as-of day. Later
// passes (aggregate.ts, spikes.ts, releases.ts) work on these arrays only. A TrendCache keeps
// the columns of one version of a book, and owns every array a report works in.
import * as calendar from './calendar';
import { Category, Cause, Channel, Severity, WRITTEN_CHANNELS } from '../records';
import type { Incident, LoyalFile } from '../records';
import { isRepeatWithin } from '../windows';
import * as scopeModule from './scope';

// Bound once to local constants: under the test and bench loaders a named import is read
// through an export getter at every call, and these run for every record.
const { fastDayNumber, fastEpochSeconds, hourOf, minuteOf } = calendar;
const { tagKey } = scopeModule;

export const CATEGORIES = Category.options;
export const CHANNELS = Channel.options;
export const SEVERITIES = Severity.options;
export const CAUSES = Cause.options;

const CATEGORY_CODE = Object.fromEntries(CATEGORIES.map((key, code) => [key, code])) as Record<Category, number>;
export const CHANNEL_CODE = Object.fromEntries(CHANNELS.map((key, code) => [key, code])) as Record<Channel, number>;
const SEVERITY_CODE = Object.fromEntries(SEVERITIES.map((key, code) => [key, code])) as Record<Severity, number>;
const CAUSE_CODE = Object.fromEntries(CAUSES.map((key, code) => [key, code])) as Record<Cause, number>;
export const IS_WRITTEN = Uint8Array.from(CHANNELS, (channel) => (WRITTEN_CHANNELS.has(channel) ? 1 : 0));

/**
 * Per-report working arrays, kept by a TrendCache from one report to the next: a review
 * redraws its report often, and fresh arrays of this size (tens of MB on a big book) make
 * the collector run a full collection of the whole book every few reports (docs/ARCHITECTURE.md,
 * "Why the trend pass is shaped so"). Nothing in a report refers to them.
 */
export class WorkArrays {
  // Per incident in scope, by position in scope order. Everything else about an incident in
  // scope is read from the columns through scopeIndex (in ascending order, so close by).
  readonly scopeIndex: Int32Array;
  readonly scopeFirstResponse: Float64Array;
  readonly resolveHours: Float64Array;
  // Repeat failures: incidents grouped by customer, and their opening instants beside them.
  readonly grouped: Int32Array;
  readonly groupedSeconds: Float64Array;

  constructor(readonly capacity: number) {
    this.scopeIndex = new Int32Array(capacity);
    this.scopeFirstResponse = new Float64Array(capacity);
    this.resolveHours = new Float64Array(capacity);
    this.grouped = new Int32Array(capacity);
    this.groupedSeconds = new Float64Array(capacity);
  }
}

/**
 * One set of arrays kept from call to call, replaced by a bigger one when a book outgrows it.
 * The first set is made to measure: typed arrays live outside the engine's heap, and a few
 * tens of MB of them made since its last full collection start another one (a pause that
 * frees nothing; the figures are in docs/ARCHITECTURE.md, "Why the trend pass is shaped so").
 */
function keptFor<T extends { capacity: number }>(make: (capacity: number) => T): (incidents: number) => T {
  let kept: T | null = null;
  return (incidents) => {
    if (kept === null || kept.capacity < incidents) kept = make(kept === null ? incidents : Math.ceil(incidents * 1.1));
    return kept;
  };
}

/**
 * Pairs of integers appended one after the other, in a typed array that doubles as it fills:
 * a plain array of this size grows by copies the collector counts as the book's own memory,
 * and on a big book they started a full collection in the middle of a first report.
 */
class PairList {
  private values = new Int32Array(1024);
  private length = 0;

  push(first: number, second: number): void {
    if (this.length + 2 > this.values.length) {
      const bigger = new Int32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = first;
    this.values[this.length++] = second;
  }

  /** The pairs so far, flat: first, second, first, second... */
  pairs(): Int32Array {
    return this.values.subarray(0, this.length);
  }
}

/** A name (staff member, component, tag as written) and the small integer standing for it. */
export class Names {
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

export const NO_DAY = -(2 ** 31);
/** Incidents read at a time by readBook's three loops (their strings in two small arrays). */
const BLOCK = 65536;
const NO_TAGS: readonly string[] = [];

/**
 * What every report needs from the incident records (and the satisfaction checks), read once
 * into typed arrays, whatever the range, filters or as-of day; see readBook. Indexed by the
 * incident's position in file.incidents.
 */
export interface BookColumns extends Omit<ColumnArrays, 'capacity'> {
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
 * filters or the bucket then costs a pass over typed arrays, not over the records. The cache
 * owns every array a report works in (the columns and the per-report work arrays); a report
 * made without one makes a cache of its own for that report.
 */
export class TrendCache {
  private columns: BookColumns | null = null;
  private purchases: PurchaseColumns | null = null;
  /** The arrays behind the columns, read into again when the book changes (see keptFor). */
  private readonly arraysFor = keptFor((capacity) => new ColumnArrays(capacity));
  private readonly workFor = keptFor((capacity) => new WorkArrays(capacity));

  /**
   * @internal Drops what was read of a book, keeping the arrays: the cache of reports made
   * without one (see computeTrends) keeps no book alive between reports.
   */
  forgetBook(): void {
    this.columns = null;
    this.purchases = null;
  }

  /** @internal The per-report work arrays, for at least `incidents` incidents. */
  workArrays(incidents: number): WorkArrays {
    return this.workFor(incidents);
  }

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
export class ColumnArrays {
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

  constructor(readonly capacity: number) {
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

/**
 * The first pass: everything the reports need from each incident record, read once into
 * typed arrays, in a loop that does nothing else. On a big book this pass is bound by
 * memory: the records and their strings are spread over hundreds of MB. Ranges, filters and
 * counts are then applied to the arrays. Every incident is read: the other incidents of a
 * customer make repeat failures, and the first day of the log starts the release windows.
 */
export function readBook(file: LoyalFile, asOfDn: number, arrays: ColumnArrays): BookColumns {
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
  const moreTags = new PairList();
  const seenKeys: number[] = [];
  // Satisfaction checks are counted in the same pass (reading an id costs little once the
  // record is being read; see doneChecks and CheckWalk). Customer lookups and tags wait for
  // strings of their own: each block of incidents is read in three loops, where the processor
  // fetches the strings of several incidents at once; the block's strings are kept in two
  // small arrays (see docs/ARCHITECTURE.md, "Why the trend pass is shaped so").
  const checks = doneChecks(file, asOfDn);
  const walk = new CheckWalk(checks);
  const customerIds = new Array<string>(Math.min(n, BLOCK)).fill('');
  const tagLists = new Array<readonly string[]>(Math.min(n, BLOCK)).fill(NO_TAGS);

  for (let blockStart = 0; blockStart < n; blockStart += BLOCK) {
    const blockEnd = Math.min(n, blockStart + BLOCK);
    for (let i = blockStart; i < blockEnd; i++) {
      const incident = incidents[i];
      checkTotal[i] = walk.total(incident.id);
      checkSatisfied[i] = walk.satisfied;
      const openedAt = incident.openedAt;
      const dn = fastDayNumber(openedAt);
      day[i] = dn;
      hour[i] = hourOf(openedAt);
      half[i] = minuteOf(openedAt) >= 30 ? 1 : 0;
      openedSeconds[i] = fastEpochSeconds(openedAt, dn);
      customerIds[i - blockStart] = incident.customerId;
      category[i] = CATEGORY_CODE[incident.category];
      channel[i] = CHANNEL_CODE[incident.channel];
      severity[i] = SEVERITY_CODE[incident.severity];
      cause[i] = CAUSE_CODE[incident.cause];
      const staffName = incident.staff;
      staff[i] = staffName === undefined ? -1 : staffNames.of(staffName);
      const componentName = incident.component;
      component[i] = componentName === undefined ? -1 : componentNames.of(componentName);
      tagLists[i - blockStart] = incident.tags;
      readOptionalInstant(incident.firstResponseAt, i, responseDay, responseSeconds);
      readOptionalInstant(incident.resolvedAt, i, resolvedDay, resolvedSeconds);
      reopened[i] = incident.reopenCount > 0 ? 1 : 0;
    }
    // Customers, then tags, in loops of their own (see above).
    for (let i = blockStart; i < blockEnd; i++) {
      const customerId = customerIds[i - blockStart];
      let customer = customerIndex.get(customerId);
      if (customer === undefined) {
        customer = customerIndex.size;
        customerIndex.set(customerId, customer);
      }
      customerOfIncident[i] = customer;
    }
    for (let i = blockStart; i < blockEnd; i++) {
      const tags = tagLists[i - blockStart];
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
  }
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
    moreTags: moreTags.pairs(),
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
 * each of hundreds of thousands of incidents costs several times more. Incidents out of
 * order take the lookups (see CheckWalk and countChecksByLookup).
 */
function doneChecks(file: LoyalFile, asOfDn: number): DoneChecks {
  const ids: string[] = [];
  const satisfied: boolean[] = [];
  for (const followUp of file.followUps) {
    if (followUp.kind !== 'satisfaction-check' || followUp.status !== 'done' || followUp.outcome === undefined) continue;
    if (followUp.incidentId === undefined) continue;
    if (fastDayNumber(followUp.doneAt ?? followUp.updatedAt) > asOfDn) continue;
    ids.push(followUp.incidentId);
    satisfied.push(followUp.outcome.satisfied);
  }
  return sortedChecks(ids, satisfied);
}

/** Places in the number a check is sorted by (see sortedChecks): up to 2^21 checks. */
const SLOT = 2 ** 21;
/** Characters read from an id for its sort key, after the prefix the ids share. */
const KEY_CHARACTERS = 6;

/**
 * The checks in the order of their incident ids (UTF-16 code units, the order of `<`), the
 * satisfied ones apart. Ids are sorted as numbers: the six characters after the prefix every
 * id has ("inc_"), in base 38 (the characters an id may hold, in code unit order, and 0 for
 * the end), times 2^21, plus the check's place: one sort of a Float64Array by the engine (no
 * comparator; several times quicker than its sort of strings) orders the ids and brings the
 * satisfied flags along. Ids alike in those six characters are then put in order by the
 * engine's sort of strings. An id with any other character (a hand-made book) sorts as text.
 */
export function sortedChecks(ids: readonly string[], satisfied: readonly boolean[]): DoneChecks {
  const n = ids.length;
  const order = n < SLOT ? keyedOrder(ids) : undefined;
  if (order === undefined) {
    // Default sort: UTF-16 code unit order, the order of `<` on strings.
    return { all: [...ids].sort(), happy: ids.filter((_, k) => satisfied[k]).sort() };
  }
  const all = new Array<string>(n);
  const happy: string[] = [];
  for (let k = 0; k < n; k++) {
    const at = order[k] % SLOT;
    all[k] = ids[at];
    if (satisfied[at]) happy.push(ids[at]);
  }
  // Runs of ids alike in their key: sorted as text. The satisfied ones follow the same order,
  // so they are out of order only where a run was.
  if (sortRuns(all, order)) happy.sort();
  return { all, happy };
}

/** The checks' places sorted by their ids' keys (see sortedChecks); undefined when an id cannot have one. */
function keyedOrder(ids: readonly string[]): Float64Array | undefined {
  const n = ids.length;
  if (n === 0) return new Float64Array(0);
  const prefixLength = ids[0].indexOf('_') + 1;
  if (prefixLength === 0) return undefined;
  const prefix = ids[0].slice(0, prefixLength);
  const order = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const id = ids[k];
    if (!id.startsWith(prefix)) return undefined;
    let key = 0;
    for (let c = prefixLength; c < prefixLength + KEY_CHARACTERS; c++) {
      const rank = c < id.length ? rankOf(id.charCodeAt(c)) : 0;
      if (rank < 0) return undefined;
      key = key * 38 + rank;
    }
    order[k] = key * SLOT + k;
  }
  return order.sort();
}

/** 1-10 for 0-9, 11 for _, 12-37 for a-z (their code unit order); -1 for anything else. */
function rankOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 47;
  if (code === 95) return 11;
  if (code >= 97 && code <= 122) return code - 85;
  return -1;
}

/** Sorts as text each run of ids with the same key; whether any run was out of order. */
function sortRuns(sorted: string[], order: Float64Array): boolean {
  let changed = false;
  let start = 0;
  let startKey = Math.floor(order[0] / SLOT);
  for (let k = 1; k <= sorted.length; k++) {
    const key = k < sorted.length ? Math.floor(order[k] / SLOT) : -1;
    if (key === startKey) continue;
    if (k - start > 1 && !isSorted(sorted, start, k)) {
      const run = sorted.slice(start, k).sort();
      for (let j = 0; j < run.length; j++) sorted[start + j] = run[j];
      changed = true;
    }
    start = k;
    startKey = key;
  }
  return changed;
}

function isSorted(texts: readonly string[], from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (texts[k - 1] > texts[k]) return false;
  return true;
}

/**
 * The done checks matched to incidents met in ascending id order, with `===` alone: in a
 * valid file ids are unique and every check names an incident of the file, so in that order
 * each check's id comes up exactly when the walk is at it. Anything else (incidents out of
 * order, a hand-made book) leaves checks behind, and finished() says so: the caller then
 * takes the lookups (comparing ids with `<` at every incident costs much more; see
 * docs/ARCHITECTURE.md, "Why the trend pass is shaped so").
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
export function countChecks(file: LoyalFile, columns: BookColumns, asOfDn: number): void {
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
 * strings are spread over hundreds of MB, a cache miss each (the figures are in
 * docs/ARCHITECTURE.md, "Why the trend pass is shaped so").
 */
function customerIndexOf(file: LoyalFile): Map<string, number> {
  const ids = new Array<string>(file.customers.length);
  for (let c = 0; c < ids.length; c++) ids[c] = file.customers[c].id;
  const keys = JSON.parse(JSON.stringify(ids)) as string[];
  const customerIndex = new Map<string, number>();
  for (const id of keys) if (!customerIndex.has(id)) customerIndex.set(id, customerIndex.size);
  return customerIndex;
}

/**
 * Marks in columns.repeat each incident opened within the window after another of its
 * customer's: a fact of the book, whatever the range or filters, so the trend review's cache
 * keeps it from one report to the next.
 */
export function markRepeats(columns: BookColumns, windowDays: number, work: WorkArrays): void {
  const { customerOfIncident, openedSeconds, repeat } = columns;
  const customerCount = columns.customerIndex.size;
  // Incidents grouped by customer with a counting sort, then each group put in time order.
  const n = customerOfIncident.length;
  const groupStart = new Int32Array(customerCount + 1);
  for (let i = 0; i < n; i++) groupStart[customerOfIncident[i] + 1]++;
  for (let c = 0; c < customerCount; c++) groupStart[c + 1] += groupStart[c];
  const fill = groupStart.slice(0, customerCount);
  const grouped = work.grouped.subarray(0, n);
  // Each incident's instant is copied beside it: the sort below then compares neighbours in
  // one small stretch of memory instead of looking instants up all over a column of the book.
  const seconds = work.groupedSeconds.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const at = fill[customerOfIncident[i]]++;
    grouped[at] = i;
    seconds[at] = openedSeconds[i];
  }
  repeat.fill(0);
  for (let c = 0; c < customerCount; c++) {
    const start = groupStart[c];
    const end = groupStart[c + 1];
    if (end - start < 2) continue;
    // Insertion sort: a customer has few incidents, and the file is often in time order already.
    for (let k = start + 1; k < end; k++) {
      const i = grouped[k];
      const t = seconds[k];
      let j = k - 1;
      while (j >= start && seconds[j] > t) {
        grouped[j + 1] = grouped[j];
        seconds[j + 1] = seconds[j];
        j--;
      }
      grouped[j + 1] = i;
      seconds[j + 1] = t;
    }
    // The rule of the outlook and the risk (isRepeatWithin): the incident just before counts
    // when it is in the window, and one opened at the very same instant (either neighbour) too.
    for (let k = start; k < end; k++) {
      const ms = seconds[k] * 1000;
      if ((k > start && isRepeatWithin(seconds[k - 1] * 1000, ms, windowDays)) || (k + 1 < end && isRepeatWithin(seconds[k + 1] * 1000, ms, windowDays))) repeat[grouped[k]] = 1;
    }
  }
  columns.repeatWindowDays = windowDays;
}

/** Each purchase's day and customer, as numbers (see readPurchases). */
export interface PurchaseColumns {
  readonly purchases: LoyalFile['purchases'];
  readonly customerIndex: ReadonlyMap<string, number>;
  readonly day: Int32Array;
  readonly customer: Int32Array;
  /** Customers numbered: those of customerIndex, then customers named only by purchases. */
  readonly customerCount: number;
}

/** The purchases' days and customers (by the book's customer numbers), read once per version of the purchases. */
export function readPurchases(purchases: LoyalFile['purchases'], customerIndex: ReadonlyMap<string, number>): PurchaseColumns {
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
