// What a trend report covers: the range (as of a day), the filters and the settings, read
// and checked from the caller's options. Every pass of the trend pass applies these.
import type { Incident } from '../records';
import { dayText, monthIndexOf, monthText, parseDayOption, weekStartOf } from './calendar';
import type { TrendBucket, TrendOptions } from './types';

/** The most complained-about tags a report lists. */
export const TOP_COMPLAINTS = 5;

export const TREND_DEFAULTS = {
  releaseWindowWeeks: 4,
  minSpikeCount: 5,
  minSpikeRatio: 1.5,
  minReleaseCount: 3,
  falseDiscoveryRate: 0.05,
  repeatWindowDays: 365,
  seriesTopTags: TOP_COMPLAINTS,
} as const;

export type TrendSettings = typeof TREND_DEFAULTS;

/** Tags are free words: "Late delivery" and "late delivery" are the same complaint. */
export function tagKey(tag: string): string {
  return tag.trim().toLowerCase();
}

export interface Scope {
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

export function scopeOf(options: Pick<TrendOptions, 'from' | 'to' | 'asOf' | 'filters'>): Scope {
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

export function matchesFilters(incident: Incident, scope: Scope): boolean {
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
export function bucketKeys(bucket: TrendBucket, fromDn: number, endDn: number): string[] {
  const keys: string[] = [];
  if (bucket === 'week') {
    for (let w = weekStartOf(fromDn); w <= endDn; w += 7) keys.push(dayText(w));
  } else {
    for (let mi = monthIndexOf(fromDn); mi <= monthIndexOf(endDn); mi++) keys.push(monthText(mi));
  }
  return keys;
}

export function bucketKeyOf(bucket: TrendBucket, dn: number): string {
  return bucket === 'week' ? dayText(weekStartOf(dn)) : monthText(monthIndexOf(dn));
}

/** For each name of a table, whether a filter (null: no filter) lets it through. */
export function allowed(names: readonly string[], filter: Set<string> | null, normalise: (name: string) => string = (name) => name): Uint8Array | null {
  if (filter === null) return null;
  return Uint8Array.from(names, (name) => (filter.has(normalise(name)) ? 1 : 0));
}

/** The defaults with the numbers the caller gave; a negative or non-finite one is refused. */
export function settingsOf(options: TrendOptions): TrendSettings {
  return { ...TREND_DEFAULTS, ...definedOnly(options) };
}

function definedOnly(options: TrendOptions): Partial<TrendSettings> {
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
