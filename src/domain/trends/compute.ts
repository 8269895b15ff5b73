// The trend review (README "Trend review"; the module map is in docs/ARCHITECTURE.md).
// The incident records are read in one pass into typed arrays (columns.ts); the counts,
// series and scorecard (aggregate.ts), spikes (spikes.ts) and release effects (releases.ts)
// are then computed from those arrays and the small tables they leave behind.
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
import type { LoyalFile } from '../records';
import { componentOrderOf, countsOfScope, recoveryOutcomesOf, seriesAndScorecard, staffHourRowsOf, staffSlotsOf, tallyScope, topComplaintsOf, weekdayHourRowsOf } from './aggregate';
import { dayText } from './calendar';
import { TrendCache } from './columns';
import { releaseEffects } from './releases';
import { scopeOf, settingsOf } from './scope';
import { findSpikes } from './spikes';
import type { TrendOptions, TrendReport } from './types';

/**
 * Everything the trend review and `loyal trends` show, for the incidents in range and
 * filters. A big book is bound by memory, not arithmetic: the incident records are read
 * once, in one pass, into typed arrays owned by `cache`; everything after works on those
 * arrays. A caller that reports more than once keeps its cache (the trend review, the MCP
 * server): the arrays are then read once per version of the book and allocated once.
 * Without one, the report reads into arrays of its own.
 */
export function computeTrends(file: LoyalFile, options: TrendOptions, cache = new TrendCache()): TrendReport {
  return report(file, options, cache);
}

function report(file: LoyalFile, options: TrendOptions, cache: TrendCache): TrendReport {
  const scope = scopeOf(options);
  const settings = settingsOf(options);
  const { endDn } = scope;
  const columns = cache.columnsOf(file, scope.asOfDn);
  const work = cache.workArrays(columns.incidents.length);
  const tally = tallyScope({ columns, scope, work });
  const fromDn = scope.fromDn ?? (tally.size > 0 ? tally.scopeFirstDn : endDn);
  // Without a "from", the log itself starts where the first incident was recorded.
  const logStartDn = scope.fromDn ?? (Number.isFinite(tally.fileFirstDn) ? Math.min(tally.fileFirstDn, endDn) : endDn);
  const topComplaints = topComplaintsOf(columns, tally, settings.seriesTopTags);
  const seriesTags = topComplaints.slice(0, Math.min(30, Math.floor(settings.seriesTopTags)));
  const componentOrder = componentOrderOf(columns, tally);
  const purchases = cache.purchasesOf(file, columns);
  const { series, scorecard } = seriesAndScorecard({ columns, tally, seriesTags, componentOrder, customers: file.customers, purchases, bucket: options.bucket, fromDn, endDn });
  const outcomes = recoveryOutcomesOf({ columns, tally, work, repeatWindowDays: settings.repeatWindowDays });
  const heatmapStaffHour = staffHourRowsOf(columns, tally);
  return {
    from: dayText(fromDn),
    to: dayText(endDn),
    asOf: options.asOf,
    bucket: options.bucket,
    filters: options.filters ?? {},
    total: tally.size,
    ...countsOfScope(tally, topComplaints, componentOrder),
    series,
    heatmapWeekdayHour: weekdayHourRowsOf(tally),
    heatmapStaffHour,
    withoutStaff: tally.withoutStaff,
    spikes: findSpikes({ rows: heatmapStaffHour, slots: staffSlotsOf(columns, tally, heatmapStaffHour), settings }),
    releases: releaseEffects({ releases: file.releases, scope, columns, tally, fromDn, logStartDn, settings }),
    outcomes,
    scorecard,
  };
}
