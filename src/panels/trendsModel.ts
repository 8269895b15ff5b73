// What the trend review's host and page say to each other. Only aggregates cross the
// boundary (a report is a few tens of kilobytes whatever the size of the book), and every
// word the page shows comes from the host, already translated. The zod schemas that check
// each message on arrival, on both sides, are in src/panels/trendsProtocol.ts.
import type { DrillSelector, TrendBucket, TrendReport } from '../domain/trends/types';

export type RangePreset = 'last30' | 'quarter' | 'year' | 'all' | 'custom';

export interface TrendsFilters {
  category?: string;
  component?: string;
  staff?: string;
  tag?: string;
}

/** What the person asked to see: the page sends it, the host resolves it into a report. */
export interface TrendsQuery {
  preset: RangePreset;
  /** YYYY-MM-DD; only read when preset is `custom`. */
  from?: string;
  to?: string;
  bucket: TrendBucket;
  filters: TrendsFilters;
}

/** The values each filter can take, from the whole book (not only the current range). */
export interface TrendsChoices {
  components: string[];
  staff: string[];
  tags: string[];
}

export interface TrendsPayload {
  /** The query as resolved by the host: from and to are always filled in. */
  query: TrendsQuery & { from: string; to: string };
  report: TrendReport;
  choices: TrendsChoices;
  /** True when the book has no incident at all (as opposed to none in this range). */
  emptyBook: boolean;
}

export interface DrillIncident {
  id: string;
  /** Opening date and time as written in the file (the page formats it). */
  openedAt: string;
  customer: string;
  category: string;
  summary: string;
  tags: string[];
  resolved: boolean;
}

export interface DrillResult {
  requestId: number;
  total: number;
  /** The newest first, at most DRILL_LIMIT of them. */
  incidents: DrillIncident[];
}

export const DRILL_LIMIT = 200;

/** The sections of the page, in order; also the keys of the rendered report. */
export const TREND_SECTIONS = ['topComplaints', 'categoryOverTime', 'tagOverTime', 'weekdayHour', 'staffHour', 'spikes', 'components', 'releases', 'outcomes', 'scorecard'] as const;
export type TrendSectionId = (typeof TREND_SECTIONS)[number];

/** What the page drew, sent back after each render so tests and the bench can check it. */
export interface RenderedReport {
  /** From the page's script starting to run to the frame after the first cards were drawn. */
  firstPaintMs: number;
  /** From the report arriving to the frame after the first cards were drawn. */
  renderMs: number;
  /** From that first frame to the frame after every other card was drawn. */
  completeMs: number;
  /** Which render this is on this page (1 = first paint). */
  renderCount: number;
  total: number;
  query: TrendsQuery;
  /** Per section: its table's body rows (first cells of each row, as shown). */
  tables: Partial<Record<TrendSectionId, { rows: number; cells: string[][] }>>;
  charts: TrendSectionId[];
}

export type HostToPage =
  | { type: 'init'; strings: TrendStrings; locale: string; payload: TrendsPayload }
  | { type: 'report'; payload: TrendsPayload }
  | { type: 'drillResult'; result: DrillResult }
  | { type: 'error'; message: string }
  /** Test hook: the page applies this query as if the person had chosen it. */
  | { type: 'applyQuery'; query: TrendsQuery };

export type PageToHost =
  | { type: 'ready' }
  | { type: 'query'; query: TrendsQuery }
  | { type: 'drill'; requestId: number; selector: DrillSelector }
  | { type: 'openIncident'; id: string }
  | { type: 'export'; format: 'markdown' | 'csv' }
  | { type: 'rendered'; rendered: RenderedReport }
  /** The page refused a message from the host (it did not fit the protocol); the host logs why. */
  | { type: 'refused'; detail: string };

/** Every word of the page, translated by the host. `{0}` placeholders are filled by the page. */
export interface TrendStrings {
  title: string;
  /** {0} incidents, {1} from, {2} to */
  summary: string;
  emptyBook: string;
  emptyRange: string;
  range: string;
  presetLast30: string;
  presetQuarter: string;
  presetYear: string;
  presetAll: string;
  presetCustom: string;
  from: string;
  to: string;
  bucket: string;
  week: string;
  month: string;
  filters: string;
  allCategories: string;
  allComponents: string;
  allStaff: string;
  allTags: string;
  clearFilters: string;
  exportMarkdown: string;
  exportCsv: string;
  showTable: string;
  showChart: string;
  topComplaints: string;
  topComplaintsHint: string;
  categoryOverTime: string;
  tagOverTime: string;
  weekdayHour: string;
  staffHour: string;
  staffHourHint: string;
  /** {0} staff member, {1} hour, {2} count, {3} expected */
  spikeText: string;
  noSpikes: string;
  /** {0} incidents without a staff member */
  withoutStaff: string;
  components: string;
  componentsHint: string;
  releases: string;
  noReleases: string;
  outcomes: string;
  scorecard: string;
  complaint: string;
  incidents: string;
  category: string;
  tag: string;
  component: string;
  staff: string;
  weekday: string;
  hour: string;
  count: string;
  expected: string;
  spikes: string;
  version: string;
  date: string;
  beforePerWeek: string;
  afterPerWeek: string;
  significant: string;
  flagged: string;
  notFlagged: string;
  measure: string;
  value: string;
  satisfiedRate: string;
  /** {0} completed satisfaction checks */
  satisfactionChecks: string;
  repeatFailureRate: string;
  medianFirstResponse: string;
  medianResolve: string;
  resolved: string;
  open: string;
  reopened: string;
  hours: string;
  monthColumn: string;
  complaints: string;
  written: string;
  oral: string;
  otherChannel: string;
  referrals: string;
  repeatPurchaseRate: string;
  rework: string;
  firstResponseHours: string;
  total: string;
  none: string;
  noData: string;
  /** {0} what was clicked, {1} count */
  drillTitle: string;
  /** {0} shown, {1} total */
  drillMore: string;
  drillClose: string;
  drillLoading: string;
  resolvedBadge: string;
  openBadge: string;
  categoryProduct: string;
  categoryPeople: string;
  categoryTimeliness: string;
  categoryProcess: string;
  categoryOther: string;
  before: string;
  after: string;
  chartLabel: string;
}
