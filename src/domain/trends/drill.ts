// The incidents behind one bar or cell of a trend report: read from the records (not the
// columns), with the same scope and windows as the report.
import type { LoyalFile } from '../records';
import { dayNumberOf, epochSecondsOf, hourOf, parseDayOption, weekdayOf } from './calendar';
import { releaseWindow, type ReleaseWindow } from './releases';
import { bucketKeyOf, matchesFilters, scopeOf, tagKey, TREND_DEFAULTS } from './scope';
import type { DrillSelector, TrendOptions } from './types';

function firstDayOfLog(file: LoyalFile): number {
  let first = Infinity;
  for (const incident of file.incidents) {
    const dn = dayNumberOf(incident.openedAt);
    if (dn < first) first = dn;
  }
  return first;
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
      const [start, end] = selector.release.side === 'before' ? [window.beforeStart, window.beforeEnd] : [window.afterStart, window.afterEnd];
      if (dn < start || dn > end) continue;
    }
    found.push({ id: incident.id, t: epochSecondsOf(incident.openedAt) });
  }
  return found.sort((a, b) => b.t - a.t || (a.id < b.id ? -1 : 1)).map((row) => row.id);
}
