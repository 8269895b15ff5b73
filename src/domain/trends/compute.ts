// The trend review (PRODUCT.md "The practice it encodes" 5, 7, 8 and "Trend review").
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
import { benjaminiHochberg, binomialUpperTail, medianInPlace, poissonUpperTail } from './stats';
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

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countBetween(sorted: Int32Array, start: number, end: number): number {
  return end < start ? 0 : lowerBound(sorted, end + 1) - lowerBound(sorted, start);
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
const WRITTEN_CODES = new Set(CHANNELS.filter((channel) => WRITTEN_CHANNELS.has(channel)).map((channel) => CHANNEL_CODE[channel]));

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
 * Per-incident working arrays, kept from one report to the next: a review redraws its report
 * often, and fresh arrays of this size (tens of MB on a big book) made the collector run a
 * full collection of the whole book every few reports. Nothing in a report refers to them.
 */
class Workspace {
  readonly customerOfIncident: Int32Array;
  readonly openedSeconds: Float64Array;
  readonly scopeIndex: Int32Array;
  readonly scopeDay: Int32Array;
  readonly scopeComponent: Int32Array;
  readonly scopeCategory: Uint8Array;
  readonly scopeChannel: Uint8Array;
  readonly scopeFirstTag: Int32Array;
  readonly scopeFirstResponse: Float64Array;
  readonly resolveHours: Float64Array;
  readonly grouped: Int32Array;
  readonly repeat: Uint8Array;
  readonly checkTotal: Int32Array;
  readonly checkSatisfied: Int32Array;

  constructor(readonly capacity: number) {
    this.customerOfIncident = new Int32Array(capacity);
    this.openedSeconds = new Float64Array(capacity);
    this.scopeIndex = new Int32Array(capacity);
    this.scopeDay = new Int32Array(capacity);
    this.scopeComponent = new Int32Array(capacity);
    this.scopeCategory = new Uint8Array(capacity);
    this.scopeChannel = new Uint8Array(capacity);
    this.scopeFirstTag = new Int32Array(capacity);
    this.scopeFirstResponse = new Float64Array(capacity);
    this.resolveHours = new Float64Array(capacity);
    this.grouped = new Int32Array(capacity);
    this.repeat = new Uint8Array(capacity);
    this.checkTotal = new Int32Array(capacity);
    this.checkSatisfied = new Int32Array(capacity);
  }
}

let workspace: Workspace | null = null;

function workspaceFor(incidents: number): Workspace {
  if (workspace === null || workspace.capacity < incidents) workspace = new Workspace(Math.ceil(incidents * 1.1));
  return workspace;
}

/**
 * Everything the trend review and `loyal trends` show, for the incidents in range and
 * filters. A big book is bound by memory, not arithmetic: the incident records are read
 * once, in one pass, into typed arrays; everything after works on those arrays.
 */
export function computeTrends(file: LoyalFile, options: TrendOptions): TrendReport {
  const scope = scopeOf(options);
  const settings = { ...TREND_DEFAULTS, ...definedOnly(options) };
  const { endDn, asOfDn } = scope;
  const incidents = file.incidents;
  const n = incidents.length;
  const work = workspaceFor(n);
  const checks = satisfactionChecks(file, asOfDn, work);
  // Per incident of the file.
  const customerOfIncident = work.customerOfIncident.subarray(0, n);
  const openedSeconds = work.openedSeconds.subarray(0, n);
  // Customers as small integers, from one pass over the customers; an incident or purchase
  // naming a customer not in the file gets the next number.
  const customerIndex = new Map<string, number>();
  for (const customer of file.customers) if (!customerIndex.has(customer.id)) customerIndex.set(customer.id, customerIndex.size);
  // Per incident in scope, by position in scope order (only the first `size` are meaningful).
  const scopeIndex = work.scopeIndex.subarray(0, n);
  const scopeDay = work.scopeDay.subarray(0, n);
  const scopeComponent = work.scopeComponent.subarray(0, n);
  const scopeCategory = work.scopeCategory.subarray(0, n);
  const scopeChannel = work.scopeChannel.subarray(0, n);
  const scopeFirstTag = work.scopeFirstTag.subarray(0, n);
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
  const staffIds = new Map<string, number>();
  const staffNames: string[] = [];
  const staffHour: number[] = [];
  const componentIds = new Map<string, number>();
  const componentNames: string[] = [];
  const componentCounts: number[] = [];
  // Tags as written map to one index per complaint, so the loop allocates no strings.
  const tagIndexOfWritten = new Map<string, number>();
  const tagIndexOfKey = new Map<string, number>();
  const tagKeys: string[] = [];
  const tagLabels: string[] = [];
  const tagCounts: number[] = [];
  const seenTags: number[] = [];
  const reworkResolvedDays: number[] = [];
  let fileFirstDn = Infinity;
  let scopeFirstDn = Infinity;
  let withoutStaff = 0;
  let reopened = 0;
  let satisfied = 0;
  let satisfactionTotal = 0;
  const lowDn = scope.fromDn ?? -Infinity;

  // Only incidents opened from a repeat window before the range to its end can be, or come
  // just before, a repeat failure in range (two days more each side for UTC offsets); the
  // others need no customer lookup, the costly part of this pass on a long log.
  const repeatLowDn = lowDn - settings.repeatWindowDays - 2;
  const repeatHighDn = endDn + 2;

  for (let i = 0; i < n; i++) {
    const incident = incidents[i];
    const openedAt = incident.openedAt;
    const dn = fastDayNumber(openedAt);
    if (dn < fileFirstDn) fileFirstDn = dn;
    if (dn < repeatLowDn || dn > repeatHighDn) {
      customerOfIncident[i] = -1;
    } else {
      // Every incident near the range, in scope or not, is part of its customer's history.
      const customerId = incident.customerId;
      let customer = customerIndex.get(customerId);
      if (customer === undefined) {
        customer = customerIndex.size;
        customerIndex.set(customerId, customer);
      }
      customerOfIncident[i] = customer;
      openedSeconds[i] = fastEpochSeconds(openedAt, dn);
    }
    if (!matchesFilters(incident, scope)) continue;
    // Rework belongs to the month of the resolution, whenever the incident was opened.
    if (incident.reopenCount > 0 && incident.resolvedAt !== undefined) {
      const resolvedDn = fastDayNumber(incident.resolvedAt);
      if (resolvedDn <= endDn) reworkResolvedDays.push(resolvedDn);
    }
    if (dn > endDn || dn < lowDn) continue;
    const opened = openedSeconds[i];

    const at = size++;
    scopeIndex[at] = i;
    scopeDay[at] = dn;
    if (dn < scopeFirstDn) scopeFirstDn = dn;
    const category = CATEGORY_CODE[incident.category];
    const channel = CHANNEL_CODE[incident.channel];
    scopeCategory[at] = category;
    scopeChannel[at] = channel;
    categoryCounts[category]++;
    channelCounts[channel]++;
    severityCounts[SEVERITY_CODE[incident.severity]]++;
    causeCounts[CAUSE_CODE[incident.cause]]++;
    const hour = digits2(openedAt, 11);
    weekdayHour[((((dn + 3) % 7) + 7) % 7) * 24 + hour]++;

    const staff = incident.staff;
    if (staff === undefined || staff === '') {
      withoutStaff++;
    } else {
      let s = staffIds.get(staff);
      if (s === undefined) {
        s = staffNames.length;
        staffIds.set(staff, s);
        staffNames.push(staff);
        for (let h = 0; h < 24; h++) staffHour.push(0);
      }
      staffHour[s * 24 + hour]++;
    }

    const component = incident.component;
    if (component === undefined || component === '') scopeComponent[at] = -1;
    else {
      let c = componentIds.get(component);
      if (c === undefined) {
        c = componentNames.length;
        componentIds.set(component, c);
        componentNames.push(component);
        componentCounts.push(0);
      }
      scopeComponent[at] = c;
      componentCounts[c]++;
    }

    const tags = incident.tags;
    scopeFirstTag[at] = -1;
    for (let k = 0; k < tags.length; k++) {
      const tag = tags[k];
      let t = tagIndexOfWritten.get(tag);
      if (t === undefined) {
        const key = tagKey(tag);
        t = tagIndexOfKey.get(key);
        if (t === undefined) {
          t = tagKeys.length;
          tagIndexOfKey.set(key, t);
          tagKeys.push(key);
          tagLabels.push(tag.trim());
          tagCounts.push(0);
        }
        tagIndexOfWritten.set(tag, t);
      }
      // An incident tagged twice with the same word counts once.
      if (tags.length > 1) {
        if (k === 0) seenTags.length = 0;
        else if (seenTags.includes(t)) continue;
        seenTags.push(t);
      }
      tagCounts[t]++;
      if (k === 0) scopeFirstTag[at] = t;
      else moreTags.push(at, t);
    }

    // As of a day, a response or resolution recorded later has not happened yet.
    const firstResponseAt = incident.firstResponseAt;
    let responseHours = NaN;
    if (firstResponseAt !== undefined) {
      const responseDn = fastDayNumber(firstResponseAt);
      if (responseDn <= asOfDn) responseHours = Math.max(0, fastEpochSeconds(firstResponseAt, responseDn) - opened) / 3600;
    }
    scopeFirstResponse[at] = responseHours;
    const resolvedAt = incident.resolvedAt;
    if (resolvedAt !== undefined) {
      const resolvedDn = fastDayNumber(resolvedAt);
      if (resolvedDn <= asOfDn) resolveHours[resolvedCount++] = Math.max(0, fastEpochSeconds(resolvedAt, resolvedDn) - opened) / 3600;
    }
    if (incident.reopenCount > 0) reopened++;
    if (checks !== null) {
      satisfied += checks.satisfied[i];
      satisfactionTotal += checks.total[i];
    }
  }

  const fromDn = scope.fromDn ?? (size > 0 ? scopeFirstDn : endDn);
  // Without a "from", the log itself starts where the first incident was recorded.
  const logStartDn = scope.fromDn ?? (Number.isFinite(fileFirstDn) ? Math.min(fileFirstDn, endDn) : endDn);

  const topComplaints: Array<CountByTag & { index: number }> = tagCounts
    .map((count, index) => ({ key: tagKeys[index], tag: tagLabels[index], count, index }))
    .sort(byCountThenName((row) => row.key))
    .slice(0, Math.max(TOP_COMPLAINTS, settings.seriesTopTags))
    .map(({ tag, count, index }) => ({ tag, count, index }));
  const seriesTags = topComplaints.slice(0, Math.min(30, Math.floor(settings.seriesTopTags)));

  // Second pass, over the typed arrays of the incidents in scope: series and scorecard.
  const buckets = bucketKeys(options.bucket, fromDn, endDn);
  const bucketCount = buckets.length;
  const firstMonth = monthIndexOf(fromDn);
  const monthCount = monthIndexOf(endDn) - firstMonth + 1;
  const monthStarts = Array.from({ length: monthCount + 1 }, (_, mi) => monthStartDay(firstMonth + mi));
  const total = new Array<number>(bucketCount).fill(0);
  const categorySeries = CATEGORIES.map(() => new Array<number>(bucketCount).fill(0));
  const seriesOfTag = new Int32Array(tagKeys.length).fill(-1);
  seriesTags.forEach((row, position) => (seriesOfTag[row.index] = position));
  const tagSeries = seriesTags.map(() => new Array<number>(bucketCount).fill(0));
  const componentSeries = componentNames.map(() => new Array<number>(bucketCount).fill(0));
  const scorecard: ScorecardMonth[] = [];
  for (let mi = 0; mi < monthCount; mi++) {
    scorecard.push({
      month: monthText(firstMonth + mi),
      complaints: 0,
      written: 0,
      oral: 0,
      otherChannel: 0,
      referrals: 0,
      purchasingCustomers: 0,
      repeatPurchaseRate: null,
      rework: 0,
      medianHoursToFirstResponse: null,
    });
  }
  const scopeMonth = new Int32Array(size);
  const responsesInMonth = new Int32Array(monthCount + 1);
  const firstWeek = weekStartOf(fromDn);
  const weekly = options.bucket === 'week';
  const otherChannel = CHANNEL_CODE.other;
  const scopeBucket = new Int32Array(size);

  for (let at = 0; at < size; at++) {
    const dn = scopeDay[at];
    let month = Math.min(monthCount - 1, Math.floor((dn - fromDn) / 31));
    while (month > 0 && dn < monthStarts[month]) month--;
    while (dn >= monthStarts[month + 1]) month++;
    const b = weekly ? Math.floor((dn - firstWeek) / 7) : month;
    scopeBucket[at] = b;
    total[b]++;
    categorySeries[scopeCategory[at]][b]++;
    const t = scopeFirstTag[at];
    if (t >= 0 && seriesOfTag[t] >= 0) tagSeries[seriesOfTag[t]][b]++;
    const c = scopeComponent[at];
    if (c >= 0) componentSeries[c][b]++;
    scopeMonth[at] = month;
    const row = scorecard[month];
    row.complaints++;
    const channel = scopeChannel[at];
    if (WRITTEN_CODES.has(channel)) row.written++;
    else if (channel === otherChannel) row.otherChannel++;
    else row.oral++;
    if (!Number.isNaN(scopeFirstResponse[at])) responsesInMonth[month + 1]++;
  }
  for (let k = 0; k < moreTags.length; k += 2) {
    const position = seriesOfTag[moreTags[k + 1]];
    if (position >= 0) tagSeries[position][scopeBucket[moreTags[k]]]++;
  }
  // Response times laid out month after month (a counting sort), each month's median from its slice.
  for (let mi = 0; mi < monthCount; mi++) responsesInMonth[mi + 1] += responsesInMonth[mi];
  const responsesByMonth = new Float64Array(responsesInMonth[monthCount]);
  const nextSlot = responsesInMonth.slice(0, monthCount);
  for (let at = 0; at < size; at++) {
    if (!Number.isNaN(scopeFirstResponse[at])) responsesByMonth[nextSlot[scopeMonth[at]]++] = scopeFirstResponse[at];
  }
  for (let mi = 0; mi < monthCount; mi++) {
    const slice = responsesByMonth.subarray(responsesInMonth[mi], responsesInMonth[mi + 1]);
    scorecard[mi].medianHoursToFirstResponse = roundOrNull(medianInPlace(slice), 2);
  }
  for (const resolvedDn of reworkResolvedDays) {
    if (resolvedDn >= fromDn) scorecard[monthIndexOf(resolvedDn) - firstMonth].rework++;
  }
  fillCustomerScorecard(file, customerIndex, scorecard, firstMonth, fromDn, endDn);

  const componentOrder = componentNames
    .map((component, index) => ({ component, index, count: componentCounts[index] }))
    .sort(byCountThenName((row) => row.component));

  let responses = 0;
  for (let at = 0; at < size; at++) if (!Number.isNaN(scopeFirstResponse[at])) scopeFirstResponse[responses++] = scopeFirstResponse[at];

  const outcomes: RecoveryOutcomes = {
    satisfiedRate: satisfactionTotal === 0 ? null : round(satisfied / satisfactionTotal, 4),
    satisfactionChecks: satisfactionTotal,
    repeatFailureRate: repeatFailureRate(customerOfIncident, customerIndex.size, openedSeconds, scopeIndex, size, settings.repeatWindowDays),
    medianHoursToFirstResponse: roundOrNull(medianInPlace(scopeFirstResponse, responses), 2),
    medianHoursToResolve: roundOrNull(medianInPlace(resolveHours, resolvedCount), 2),
    resolved: resolvedCount,
    open: size - resolvedCount,
    reopened,
  };

  const staffOrder = staffNames.map((staff, index) => ({ staff, index })).sort((a, b) => (a.staff < b.staff ? -1 : a.staff > b.staff ? 1 : 0));
  const heatmapStaffHour: StaffHourRow[] = staffOrder.map(({ staff, index }) => {
    const hours = staffHour.slice(index * 24, index * 24 + 24);
    return { staff, total: hours.reduce((sum, v) => sum + v, 0), hours };
  });
  const byCategorySeries = {} as Record<Category, number[]>;
  CATEGORIES.forEach((category, code) => (byCategorySeries[category] = categorySeries[code]));

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
      total,
      byCategory: byCategorySeries,
      byTag: seriesTags.map((row, index) => ({ tag: row.tag, counts: tagSeries[index] })),
      byComponent: componentOrder.map(({ component, index }) => ({ component, counts: componentSeries[index] })),
    },
    heatmapWeekdayHour: Array.from({ length: 7 }, (_, d) => Array.from(weekdayHour.subarray(d * 24, d * 24 + 24))),
    heatmapStaffHour,
    withoutStaff,
    spikes: findSpikes(heatmapStaffHour, settings),
    releases: releaseEffects(file, scope, scopeDay, scopeComponent, size, componentIds, logStartDn, settings),
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

/**
 * Hour x staff cells far above their expected count (see expectedOnDuty). Each cell is
 * tested with a one-sided Poisson upper tail P(X >= count | mean = expected), which is
 * conservative next to the exact conditional test because the expected count is itself
 * fitted on totals that include the cell; the p-values of all on-duty cells are adjusted by
 * Benjamini-Hochberg, and a cell is a spike when its adjusted p-value is at most the false
 * discovery rate AND it has at least minSpikeCount incidents AND at least minSpikeRatio
 * times its expected count, so that a handful of late-night complaints alarms nobody.
 */
function findSpikes(rows: StaffHourRow[], settings: typeof TREND_DEFAULTS): Spike[] {
  const expected = expectedOnDuty(rows);
  const cells: Array<Omit<Spike, 'adjustedPValue'>> = [];
  rows.forEach((row, s) => {
    for (let h = 0; h < 24; h++) {
      const mean = expected[s][h];
      if (mean <= 0) continue;
      const count = row.hours[h];
      // At or below the expected count the p-value is about one half or more: never a
      // discovery, so the exact tail is not worth computing.
      const pValue = count <= mean ? 1 : poissonUpperTail(count, mean);
      cells.push({ staff: row.staff, hour: h, count, expected: mean, pValue, ratio: count / mean });
    }
  });
  const adjusted = benjaminiHochberg(cells.map((cell) => cell.pValue));
  return cells
    .map((cell, index) => ({ ...cell, adjustedPValue: adjusted[index] }))
    .filter(
      (cell) =>
        cell.adjustedPValue <= settings.falseDiscoveryRate &&
        cell.count >= settings.minSpikeCount &&
        cell.ratio >= settings.minSpikeRatio,
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
  scopeDay: Int32Array,
  scopeComponent: Int32Array,
  size: number,
  componentIds: Map<string, number>,
  logStartDn: number,
  settings: typeof TREND_DEFAULTS,
): ReleaseEffect[] {
  const weeks = settings.releaseWindowWeeks;
  const releases = file.releases
    .map((release) => ({ release, dn: dayNumberOf(release.date) }))
    .filter(({ release, dn }) => dn >= logStartDn && dn <= scope.endDn && (scope.component === null || scope.component.has(release.component)));
  if (releases.length === 0) return [];

  // Days of the incidents of each released component, laid out component after component
  // (a counting sort into one typed array), each component's slice then sorted.
  const componentCount = componentIds.size;
  const released = new Uint8Array(componentCount);
  for (const { release } of releases) {
    const c = componentIds.get(release.component);
    if (c !== undefined) released[c] = 1;
  }
  const start = new Int32Array(componentCount + 1);
  for (let at = 0; at < size; at++) {
    const c = scopeComponent[at];
    if (c >= 0 && released[c] === 1) start[c + 1]++;
  }
  for (let c = 0; c < componentCount; c++) start[c + 1] += start[c];
  const laidOut = new Int32Array(start[componentCount]);
  const next = start.slice(0, componentCount);
  for (let at = 0; at < size; at++) {
    const c = scopeComponent[at];
    if (c >= 0 && released[c] === 1) laidOut[next[c]++] = scopeDay[at];
  }
  const sortedDays = new Map<number, Int32Array>();
  for (let c = 0; c < componentCount; c++) if (released[c] === 1) sortedDays.set(c, laidOut.subarray(start[c], start[c + 1]).sort());
  const none = new Int32Array(0);

  const effects = releases.map(({ release, dn }) => {
    const days = sortedDays.get(componentIds.get(release.component) ?? -1) ?? none;
    const window = releaseWindow(dn, weeks, logStartDn, scope.endDn);
    const daysBefore = Math.max(0, window.beforeEnd - window.beforeStart + 1);
    const daysAfter = Math.max(0, window.afterEnd - window.afterStart + 1);
    const countBefore = countBetween(days, window.beforeStart, window.beforeEnd);
    const countAfter = countBetween(days, window.afterStart, window.afterEnd);
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

interface SatisfactionChecks {
  /** Completed checks of each incident of the file, by its position in file.incidents. */
  satisfied: Int32Array;
  total: Int32Array;
}

/**
 * Completed satisfaction checks counted on their incidents, as of the day (null when there
 * are none). Incidents are kept sorted by id (the store sorts them), so the checks' incident
 * ids, sorted, are matched in one walk beside them: a hash lookup for each of hundreds of
 * thousands of incidents costs several times more. An unsorted list takes the lookups.
 */
function satisfactionChecks(file: LoyalFile, asOfDn: number, work: Workspace): SatisfactionChecks | null {
  const incidents = file.incidents;
  const n = incidents.length;
  const all: string[] = [];
  const happy: string[] = [];
  for (const followUp of file.followUps) {
    if (followUp.kind !== 'satisfaction-check' || followUp.status !== 'done' || followUp.outcome === undefined) continue;
    if (followUp.incidentId === undefined) continue;
    if (fastDayNumber(followUp.doneAt ?? followUp.updatedAt) > asOfDn) continue;
    all.push(followUp.incidentId);
    if (followUp.outcome.satisfied) happy.push(followUp.incidentId);
  }
  if (all.length === 0) return null;
  const total = work.checkTotal.subarray(0, n).fill(0);
  const satisfied = work.checkSatisfied.subarray(0, n).fill(0);
  // Default sort: UTF-16 code unit order, the order of `<` on strings.
  all.sort();
  happy.sort();
  let a = 0;
  let h = 0;
  let previous = '';
  for (let i = 0; i < n; i++) {
    const id = incidents[i].id;
    if (i > 0 && !(previous < id)) return satisfactionChecksByLookup(incidents, all, happy, total, satisfied);
    previous = id;
    while (a < all.length && all[a] < id) a++;
    while (a < all.length && all[a] === id) {
      total[i]++;
      a++;
    }
    while (h < happy.length && happy[h] < id) h++;
    while (h < happy.length && happy[h] === id) {
      satisfied[i]++;
      h++;
    }
  }
  return { satisfied, total };
}

function satisfactionChecksByLookup(incidents: Incident[], all: string[], happy: string[], total: Int32Array, satisfied: Int32Array): SatisfactionChecks {
  const counts = new Map<string, { total: number; satisfied: number }>();
  for (const id of all) {
    const count = counts.get(id);
    if (count) count.total++;
    else counts.set(id, { total: 1, satisfied: 0 });
  }
  for (const id of happy) counts.get(id)!.satisfied++;
  for (let i = 0; i < incidents.length; i++) {
    const count = counts.get(incidents[i].id);
    total[i] = count?.total ?? 0;
    satisfied[i] = count?.satisfied ?? 0;
  }
  return { satisfied, total };
}

/**
 * Share of the incidents in scope that are a repeat failure: the same customer had another
 * incident (any, in or out of the filters: it is the customer's experience) opened in the
 * repeat window before this one.
 */
function repeatFailureRate(
  customerOfIncident: Int32Array,
  customerCount: number,
  openedSeconds: Float64Array,
  scopeIndex: Int32Array,
  size: number,
  windowDays: number,
): number | null {
  if (size === 0) return null;
  // Incidents grouped by customer with a counting sort, then each group put in time order.
  const n = customerOfIncident.length;
  const groupStart = new Int32Array(customerCount + 1);
  // Incidents far from the range have no customer (-1): they cannot be a repeat of one in it.
  for (let i = 0; i < n; i++) if (customerOfIncident[i] >= 0) groupStart[customerOfIncident[i] + 1]++;
  for (let c = 0; c < customerCount; c++) groupStart[c + 1] += groupStart[c];
  const fill = groupStart.slice(0, customerCount);
  const work = workspaceFor(n);
  const grouped = work.grouped.subarray(0, n);
  for (let i = 0; i < n; i++) if (customerOfIncident[i] >= 0) grouped[fill[customerOfIncident[i]]++] = i;
  const repeat = work.repeat.subarray(0, n).fill(0);
  const windowSeconds = windowDays * 86400;
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
    for (let k = start + 1; k < end; k++) {
      if (openedSeconds[grouped[k]] - openedSeconds[grouped[k - 1]] <= windowSeconds) repeat[grouped[k]] = 1;
    }
  }
  let repeats = 0;
  for (let at = 0; at < size; at++) repeats += repeat[scopeIndex[at]];
  return round(repeats / size, 4);
}

/** Referrals and repeat purchases: customer facts, so the incident filters do not apply. */
function fillCustomerScorecard(
  file: LoyalFile,
  customerIndex: Map<string, number>,
  scorecard: ScorecardMonth[],
  firstMonth: number,
  fromDn: number,
  endDn: number,
): void {
  for (const customer of file.customers) {
    if (customer.referredBy === undefined) continue;
    const dn = dayNumberOf(customer.createdAt);
    if (dn >= fromDn && dn <= endDn) scorecard[monthIndexOf(dn) - firstMonth].referrals++;
  }
  // (month, customer) pairs as numbers sorted once: one lookup per purchase and no set per month.
  const purchases = file.purchases;
  const firstPurchase: number[] = new Array<number>(customerIndex.size).fill(Infinity);
  const monthCount = scorecard.length;
  const monthStarts = new Int32Array(monthCount + 1);
  for (let mi = 0; mi <= monthCount; mi++) monthStarts[mi] = monthStartDay(firstMonth + mi);
  const pairs = new Float64Array(purchases.length);
  let pairCount = 0;
  for (const purchase of purchases) {
    const dn = fastDayNumber(purchase.date);
    if (dn > endDn) continue;
    let c = customerIndex.get(purchase.customerId);
    if (c === undefined) {
      c = customerIndex.size;
      customerIndex.set(purchase.customerId, c);
      firstPurchase.push(Infinity);
    }
    if (dn < firstPurchase[c]) firstPurchase[c] = dn;
    if (dn >= fromDn) {
      let month = Math.min(monthCount - 1, Math.floor((dn - fromDn) / 31));
      while (month > 0 && dn < monthStarts[month]) month--;
      while (dn >= monthStarts[month + 1]) month++;
      pairs[pairCount++] = month * 2 ** 32 + c;
    }
  }
  const sorted = pairs.subarray(0, pairCount).sort();
  const buyers = new Int32Array(monthCount);
  const repeats = new Int32Array(monthCount);
  for (let k = 0; k < pairCount; k++) {
    const pair = sorted[k];
    if (k > 0 && sorted[k - 1] === pair) continue;
    const month = Math.floor(pair / 2 ** 32);
    const c = pair - month * 2 ** 32;
    buyers[month]++;
    if (firstPurchase[c] < monthStarts[month]) repeats[month]++;
  }
  scorecard.forEach((row, mi) => {
    row.purchasingCustomers = buyers[mi];
    row.repeatPurchaseRate = buyers[mi] === 0 ? null : round(repeats[mi] / buyers[mi], 4);
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
