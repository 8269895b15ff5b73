import type { Category, Cause, Channel, Severity } from '../records';

/** A calendar day written YYYY-MM-DD. */
export type Day = string;
export type TrendBucket = 'week' | 'month';

export interface TrendFilters {
  category?: string[];
  component?: string[];
  staff?: string[];
  /** An incident matches when it carries any of these tags (compared case-insensitively). */
  tag?: string[];
}

export interface TrendOptions {
  /** First day included; defaults to the day of the earliest incident in scope. */
  from?: Day;
  /** Last day included; defaults to asOf, and is never later than asOf. */
  to?: Day;
  /** The day the report is made as of: nothing recorded after it counts. */
  asOf: Day;
  bucket: TrendBucket;
  filters?: TrendFilters;
  /** Weeks of the window before and after each release (default 4). */
  releaseWindowWeeks?: number;
  /** A spike must have at least this many incidents (default 5). */
  minSpikeCount?: number;
  /** A spike must be at least this many times its expected count (default 1.5). */
  minSpikeRatio?: number;
  /** A release is flagged only with at least this many incidents after it (default 3). */
  minReleaseCount?: number;
  /** False discovery rate for spikes and release effects (default 0.05). */
  falseDiscoveryRate?: number;
  /** An incident is a repeat failure when the customer had another in these days before (default 365). */
  repeatWindowDays?: number;
  /** How many tags get their own time series (default 5, the top complaints; at most 30). */
  seriesTopTags?: number;
}

export interface CountByTag {
  tag: string;
  count: number;
}

export interface TrendSeries {
  /** Bucket keys in order: the Monday of each ISO week (YYYY-MM-DD) or the month (YYYY-MM). */
  buckets: string[];
  total: number[];
  byCategory: Record<Category, number[]>;
  /** The top tags (by count over the range), each with its count per bucket. */
  byTag: Array<{ tag: string; counts: number[] }>;
  /** Every component seen in scope, most incidents first. */
  byComponent: Array<{ component: string; counts: number[] }>;
}

export interface StaffHourRow {
  staff: string;
  total: number;
  hours: number[];
}

export interface Spike {
  staff: string;
  /** Wall-clock hour (0-23) of the opening instant, in the offset written in the file. */
  hour: number;
  count: number;
  /**
   * Expected count when nothing is special about this staff member at this hour: the
   * quasi-independence model (staff factor x weekday-and-half-hour factor, on the cells where
   * the staff member is on duty, presence per day type and half hour) fitted WITHOUT this
   * cell, then predicted for it (compute.ts SpikeModel).
   */
  expected: number;
  /**
   * One-sided conditional binomial test: given the incidents of the cell's weekday x half-hour
   * cells (this staff member's and the others' on duty), P(X >= count) with share
   * expected / (expected + the others' count).
   */
  pValue: number;
  /** Benjamini-Hochberg adjusted p-value over every on-duty staff x hour cell. */
  adjustedPValue: number;
  /** count / expected. */
  ratio: number;
}

export interface ReleaseEffect {
  component: string;
  version: string;
  date: Day;
  /** Incidents per week in the window before the release (days before the release day). */
  before: number;
  /** Incidents per week in the window after it (from the release day on). */
  after: number;
  /** The nominal window in weeks on each side. */
  weeks: number;
  /** Weeks actually observed before and after, once cut by the range and the as-of day. */
  weeksBefore: number;
  weeksAfter: number;
  countBefore: number;
  countAfter: number;
  /** One-sided conditional binomial test that the after rate exceeds the before rate. */
  pValue: number;
  /** Benjamini-Hochberg adjusted over the releases that could be tested. */
  adjustedPValue: number;
  significant: boolean;
}

export interface RecoveryOutcomes {
  /** Share of completed satisfaction checks on these incidents that found the customer satisfied. */
  satisfiedRate: number | null;
  satisfactionChecks: number;
  /** Share of these incidents whose customer had another incident in the repeat window before. */
  repeatFailureRate: number | null;
  medianHoursToFirstResponse: number | null;
  medianHoursToResolve: number | null;
  resolved: number;
  open: number;
  /** Incidents whose recovery was reopened by a "not satisfied" follow-up at least once. */
  reopened: number;
}

export interface ScorecardMonth {
  month: string;
  complaints: number;
  /** Email, chat and social. */
  written: number;
  /** Phone and in person. */
  oral: number;
  /** Channel `other`: neither written nor oral. */
  otherChannel: number;
  /** Customers created this month with a referrer. */
  referrals: number;
  purchasingCustomers: number;
  /** Share of this month's purchasing customers who had bought before the month. */
  repeatPurchaseRate: number | null;
  /** Reopened incidents (reopenCount > 0) by the month they were resolved. */
  rework: number;
  medianHoursToFirstResponse: number | null;
}

export interface TrendReport {
  from: Day;
  to: Day;
  asOf: Day;
  bucket: TrendBucket;
  filters: TrendFilters;
  total: number;
  topComplaints: CountByTag[];
  byCategory: Record<Category, number>;
  byChannel: Record<Channel, number>;
  bySeverity: Record<Severity, number>;
  byCause: Record<Cause, number>;
  byComponent: Array<{ component: string; count: number }>;
  series: TrendSeries;
  /** [weekday][hour], Monday = 0, wall-clock hour of the offset written in openedAt. */
  heatmapWeekdayHour: number[][];
  heatmapStaffHour: StaffHourRow[];
  /** Incidents in scope with no staff member recorded (left out of the staff heatmap and spikes). */
  withoutStaff: number;
  spikes: Spike[];
  releases: ReleaseEffect[];
  outcomes: RecoveryOutcomes;
  scorecard: ScorecardMonth[];
}

export interface DrillSelector {
  tag?: string;
  category?: string;
  channel?: string;
  severity?: string;
  cause?: string;
  /** Wall-clock hour 0-23. */
  hour?: number;
  /** Monday = 0 ... Sunday = 6. */
  weekday?: number;
  staff?: string;
  component?: string;
  /** A bucket key of the report's series (week Monday YYYY-MM-DD or month YYYY-MM). */
  bucket?: string;
  /** The incidents counted before or after one release. */
  release?: { component: string; date: Day; side: 'before' | 'after' };
}
