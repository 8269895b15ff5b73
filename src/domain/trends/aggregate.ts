// The counting passes of the trend pass, over the typed arrays of columns.ts: which incidents
// are in scope and what they add up to (tallyScope), the series and the monthly scorecard
// (seriesAndScorecard, with the customer facts of fillCustomerScorecard), the recovery
// outcomes and the staff x hour heatmap.
import type { Category, LoyalFile } from '../records';
import { dayNumberOf, monthIndexOf, monthStartDay, monthText, weekStartOf } from './calendar';
import type { BookColumns, PurchaseColumns, WorkArrays } from './columns';
import { CATEGORIES, CAUSES, CHANNEL_CODE, CHANNELS, IS_WRITTEN, markRepeats, NO_DAY, SEVERITIES } from './columns';
import { allowed, bucketKeys, TOP_COMPLAINTS, tagKey, type Scope } from './scope';
import { SLOT_COLUMNS } from './spikes';
import { medianInPlace, round, roundOrNull } from './stats';
import type { CountByTag, RecoveryOutcomes, ScorecardMonth, StaffHourRow, TrendBucket, TrendReport, TrendSeries } from './types';

/** Ascending by count then name for "top" lists: count descending, ties by name. */
function byCountThenName<T extends { count: number }>(name: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

function countsOf<K extends string>(keys: readonly K[], counts: Int32Array): Record<K, number> {
  const record = {} as Record<K, number>;
  keys.forEach((key, code) => (record[key] = counts[code]));
  return record;
}

/** What the incidents in range and filters add up to (see tallyScope). */
export interface ScopeTally {
  /** Incidents in scope; the first `size` entries of the work arrays below are meaningful. */
  readonly size: number;
  /** Per incident in scope, by position in scope order: its position in the book. */
  readonly scopeIndex: Int32Array;
  /** Hours to the first response as of the day (NaN: none yet), by position in scope order. */
  readonly scopeFirstResponse: Float64Array;
  /** Hours to resolve of the first `resolvedCount` incidents in scope resolved as of the day. */
  readonly resolveHours: Float64Array;
  readonly resolvedCount: number;
  /** [position in scope, complaint] pairs for the second and later tags of an incident. */
  readonly moreTags: number[];
  readonly categoryCounts: Int32Array;
  readonly channelCounts: Int32Array;
  readonly severityCounts: Int32Array;
  readonly causeCounts: Int32Array;
  readonly weekdayHour: Int32Array;
  readonly staffHour: Int32Array;
  /** Per staff member, weekday (Monday = 0) and half hour of the day (0-47): what the spike model fits. */
  readonly staffSlots: Int32Array;
  readonly componentCounts: Int32Array;
  /** Per complaint (tagKey): its count, and how it was first written in scope. */
  readonly tagCounts: Int32Array;
  readonly tagLabels: string[];
  /** Resolution days of reopened incidents in the filters resolved by the end of the range. */
  readonly reworkResolvedDays: number[];
  /** First day of any incident of the book, and of those in scope (Infinity: none). */
  readonly fileFirstDn: number;
  readonly scopeFirstDn: number;
  readonly withoutStaff: number;
  readonly reopenedCount: number;
  readonly satisfied: number;
  readonly satisfactionTotal: number;
  /** The component written as "" (counts as none), or -1. */
  readonly noComponent: number;
}

/** The second pass, over the arrays: filters, range and counts. */
export function tallyScope({ columns, scope, work }: { columns: BookColumns; scope: Scope; work: WorkArrays }): ScopeTally {
  const { endDn, asOfDn } = scope;
  const n = columns.incidents.length;
  const {
    day,
    hour,
    half,
    openedSeconds,
    category,
    channel,
    severity,
    cause,
    staff,
    component,
    firstTag,
    responseDay,
    responseSeconds,
    resolvedDay,
    resolvedSeconds,
    reopened,
    checkTotal,
    checkSatisfied,
    keyOfTag,
  } = columns;
  const staffNames = columns.staffNames.names;
  const componentNames = columns.componentNames.names;
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
    // weekdayOf (calendar.ts), written out in the loop.
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

  return {
    size,
    scopeIndex,
    scopeFirstResponse,
    resolveHours,
    resolvedCount,
    moreTags,
    categoryCounts,
    channelCounts,
    severityCounts,
    causeCounts,
    weekdayHour,
    staffHour,
    staffSlots,
    componentCounts,
    tagCounts,
    tagLabels,
    reworkResolvedDays,
    fileFirstDn,
    scopeFirstDn,
    withoutStaff,
    reopenedCount,
    satisfied,
    satisfactionTotal,
    noComponent,
  };
}

/** A complaint with its index among the book's complaints (tagKeys). */
export type RankedComplaint = CountByTag & { index: number };

/** The complaints in scope, most incidents first: enough for the report's list and for the series. */
export function topComplaintsOf(columns: BookColumns, tally: ScopeTally, seriesTopTags: number): RankedComplaint[] {
  const tagKeys = columns.tagKeys.names;
  return Array.from(tally.tagCounts, (count, index) => ({ key: tagKeys[index], tag: tally.tagLabels[index], count, index }))
    .filter((row) => row.count > 0)
    .sort(byCountThenName((row) => row.key))
    .slice(0, Math.max(TOP_COMPLAINTS, seriesTopTags))
    .map(({ tag, count, index }) => ({ tag, count, index }));
}

/** Components with incidents in scope, most incidents first. */
export function componentOrderOf(columns: BookColumns, tally: ScopeTally): Array<{ component: string; index: number; count: number }> {
  return columns.componentNames.names
    .map((name, index) => ({ component: name, index, count: tally.componentCounts[index] }))
    .filter((row) => row.count > 0)
    .sort(byCountThenName((row) => row.component));
}

export interface SeriesInput {
  columns: BookColumns;
  tally: ScopeTally;
  /** The complaints that get a series of their own, in order. */
  seriesTags: readonly RankedComplaint[];
  componentOrder: ReadonlyArray<{ component: string; index: number }>;
  customers: LoyalFile['customers'];
  purchases: PurchaseColumns;
  bucket: TrendBucket;
  fromDn: number;
  endDn: number;
}

/** The third pass, over the typed arrays of the incidents in scope: series and scorecard. */
export function seriesAndScorecard(input: SeriesInput): { series: TrendSeries; scorecard: ScorecardMonth[] } {
  const { columns, tally, seriesTags, fromDn, endDn } = input;
  const { day, category, channel, component, firstTag, keyOfTag } = columns;
  const { size, scopeIndex, scopeFirstResponse, moreTags, noComponent } = tally;
  const tagKeys = columns.tagKeys.names;
  const componentNames = columns.componentNames.names;

  const buckets = bucketKeys(input.bucket, fromDn, endDn);
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
  const weekly = input.bucket === 'week';
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
  for (const resolvedDn of tally.reworkResolvedDays) {
    if (resolvedDn >= fromDn) scorecard[monthIndexOf(resolvedDn) - firstMonth].rework++;
  }
  fillCustomerScorecard({ customers: input.customers, purchases: input.purchases, scorecard, firstMonth, monthOfDay, monthStarts, fromDn, endDn });

  const byCategory = {} as Record<Category, number[]>;
  const seriesRow = (counts: Int32Array, row: number) => Array.from(counts.subarray(row * bucketCount, (row + 1) * bucketCount));
  CATEGORIES.forEach((name, code) => (byCategory[name] = seriesRow(categorySeries, code)));
  const series: TrendSeries = {
    buckets,
    total: Array.from(total),
    byCategory,
    byTag: seriesTags.map((row, index) => ({ tag: row.tag, counts: seriesRow(tagSeries, index) })),
    byComponent: input.componentOrder.map(({ component, index }) => ({ component, counts: seriesRow(componentSeries, index) })),
  };
  return { series, scorecard };
}

/**
 * Recovery outcomes of the incidents in scope. Run after seriesAndScorecard: it compacts the
 * response times in place and takes medians of the work arrays.
 */
export function recoveryOutcomesOf({ columns, tally, work, repeatWindowDays }: { columns: BookColumns; tally: ScopeTally; work: WorkArrays; repeatWindowDays: number }): RecoveryOutcomes {
  const { size, scopeFirstResponse, resolveHours, resolvedCount } = tally;
  let responses = 0;
  for (let at = 0; at < size; at++) if (!Number.isNaN(scopeFirstResponse[at])) scopeFirstResponse[responses++] = scopeFirstResponse[at];
  return {
    satisfiedRate: tally.satisfactionTotal === 0 ? null : round(tally.satisfied / tally.satisfactionTotal, 4),
    satisfactionChecks: tally.satisfactionTotal,
    repeatFailureRate: repeatFailureRate(columns, tally, work, repeatWindowDays),
    medianHoursToFirstResponse: roundOrNull(medianInPlace(scopeFirstResponse, responses), 2),
    medianHoursToResolve: roundOrNull(medianInPlace(resolveHours, resolvedCount), 2),
    resolved: resolvedCount,
    open: size - resolvedCount,
    reopened: tally.reopenedCount,
  };
}

/** Staff members with incidents in scope, by name, with their incidents per hour. */
export function staffHourRowsOf(columns: BookColumns, tally: ScopeTally): StaffHourRow[] {
  return columns.staffNames.names
    .map((name, index) => {
      const hours = Array.from(tally.staffHour.subarray(index * 24, index * 24 + 24));
      return { staff: name, total: hours.reduce((sum, v) => sum + v, 0), hours };
    })
    .filter((row) => row.total > 0)
    .sort((a, b) => (a.staff < b.staff ? -1 : a.staff > b.staff ? 1 : 0));
}

/** The spike model's counts (weekday x half hour) of each heatmap row's staff member. */
export function staffSlotsOf(columns: BookColumns, tally: ScopeTally, rows: readonly StaffHourRow[]): Int32Array[] {
  return rows.map((row) => {
    const s = columns.staffNames.index.get(row.staff)!;
    return tally.staffSlots.subarray(s * SLOT_COLUMNS, (s + 1) * SLOT_COLUMNS);
  });
}

/** The counts by category, channel, severity, cause and component, and the top complaints. */
export function countsOfScope(
  tally: ScopeTally,
  topComplaints: readonly RankedComplaint[],
  componentOrder: ReadonlyArray<{ component: string; count: number }>,
): Pick<TrendReport, 'topComplaints' | 'byCategory' | 'byChannel' | 'bySeverity' | 'byCause' | 'byComponent'> {
  return {
    topComplaints: topComplaints.slice(0, TOP_COMPLAINTS).map(({ tag, count }) => ({ tag, count })),
    byCategory: countsOf(CATEGORIES, tally.categoryCounts),
    byChannel: countsOf(CHANNELS, tally.channelCounts),
    bySeverity: countsOf(SEVERITIES, tally.severityCounts),
    byCause: countsOf(CAUSES, tally.causeCounts),
    byComponent: componentOrder.map(({ component, count }) => ({ component, count })),
  };
}

/** Incidents per weekday (Monday first) and hour. */
export function weekdayHourRowsOf(tally: ScopeTally): number[][] {
  return Array.from({ length: 7 }, (_, d) => Array.from(tally.weekdayHour.subarray(d * 24, d * 24 + 24)));
}

/**
 * Share of the incidents in scope that are a repeat failure: the same customer had another
 * incident (any, in or out of the filters: it is the customer's experience) opened in the
 * repeat window before this one.
 */
function repeatFailureRate(columns: BookColumns, tally: ScopeTally, work: WorkArrays, windowDays: number): number | null {
  const { scopeIndex, size } = tally;
  if (size === 0) return null;
  if (columns.repeatWindowDays !== windowDays) markRepeats(columns, windowDays, work);
  const repeat = columns.repeat;
  let repeats = 0;
  for (let at = 0; at < size; at++) repeats += repeat[scopeIndex[at]];
  return round(repeats / size, 4);
}

const NO_PURCHASE = 2 ** 31 - 1;

/**
 * Referrals and repeat purchases: customer facts, so the incident filters do not apply.
 * monthOfDay gives the scorecard row of each day of [fromDn, endDn].
 */
function fillCustomerScorecard({
  customers,
  purchases,
  scorecard,
  firstMonth,
  monthOfDay,
  monthStarts,
  fromDn,
  endDn,
}: {
  customers: LoyalFile['customers'];
  purchases: PurchaseColumns;
  scorecard: ScorecardMonth[];
  firstMonth: number;
  monthOfDay: Int32Array;
  monthStarts: readonly number[];
  fromDn: number;
  endDn: number;
}): void {
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
