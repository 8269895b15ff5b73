// The trend review's protocol (what protocol.ts is for the customer page and the incident
// form): zod schemas of every message between the host and the trend review page, used on
// both sides. The host checks what the page posts before acting on it; the page checks
// what the host posts before drawing it, and tells the host when it refused one. The
// types the two sides program against (src/panels/trendsModel.ts, src/domain/trends/types.ts)
// are checked at compile time to be exactly what these schemas accept, so a field added to
// the report without its schema fails the type check instead of being dropped or refused at
// run time. No `vscode` import: the webview bundles this.
import { z } from 'zod';
import { Category, Cause, Channel, Severity } from '../domain/records';
import type { DrillSelector, TrendReport } from '../domain/trends/types';
import type { DrillResult, HostToPage, PageToHost, RenderedReport, TrendStrings, TrendsChoices, TrendsPayload, TrendsQuery } from './trendsModel';
import { DRILL_LIMIT, TREND_SECTIONS } from './trendsModel';

const line = z.string().max(100_000);
/** A word chosen on the page (a filter value, a tag clicked). */
const text = z.string().max(500);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().min(0);
/** A figure of the report: finite (NaN or an infinity would be drawn as garbage). */
const figure = z.number();
const share = z.number().min(0).max(1);
const many = 1_000_000;

// ---- The query and the drill-down (page to host, and back in the payload) ----

export const TrendsFiltersSchema = z.strictObject({ category: text.optional(), component: text.optional(), staff: text.optional(), tag: text.optional() });

export const TrendsQuerySchema = z.strictObject({
  preset: z.enum(['last30', 'quarter', 'year', 'all', 'custom']),
  from: day.optional(),
  to: day.optional(),
  bucket: z.enum(['week', 'month']),
  filters: TrendsFiltersSchema,
});

export const DrillSelectorSchema = z.strictObject({
  tag: text.optional(),
  category: text.optional(),
  channel: text.optional(),
  severity: text.optional(),
  cause: text.optional(),
  hour: z.number().int().min(0).max(23).optional(),
  weekday: z.number().int().min(0).max(6).optional(),
  staff: text.optional(),
  component: text.optional(),
  bucket: z
    .string()
    .regex(/^\d{4}-\d{2}(-\d{2})?$/)
    .optional(),
  release: z.strictObject({ component: text, date: day, side: z.enum(['before', 'after']) }).optional(),
});

const SectionId = z.enum(TREND_SECTIONS);

export const RenderedSchema = z.strictObject({
  firstPaintMs: z.number().nonnegative(),
  renderMs: z.number().nonnegative(),
  completeMs: z.number().nonnegative(),
  renderCount: z.number().int().min(1),
  total: count,
  query: TrendsQuerySchema,
  tables: z.partialRecord(SectionId, z.strictObject({ rows: count, cells: z.array(z.array(z.string().max(1000)).max(40)).max(20) })),
  charts: z.array(SectionId).max(20),
});

// ---- The report (host to page) ----

const TrendFiltersSchema = z.strictObject({
  category: z.array(line).max(many).optional(),
  component: z.array(line).max(many).optional(),
  staff: z.array(line).max(many).optional(),
  tag: z.array(line).max(many).optional(),
});

const counts = z.array(count).max(many);

export const TrendReportSchema = z.strictObject({
  from: day,
  to: day,
  asOf: day,
  bucket: z.enum(['week', 'month']),
  filters: TrendFiltersSchema,
  total: count,
  topComplaints: z.array(z.strictObject({ tag: line, count })).max(many),
  byCategory: z.record(Category, count),
  byChannel: z.record(Channel, count),
  bySeverity: z.record(Severity, count),
  byCause: z.record(Cause, count),
  byComponent: z.array(z.strictObject({ component: line, count })).max(many),
  series: z.strictObject({
    buckets: z.array(z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/)).max(many),
    total: counts,
    byCategory: z.record(Category, counts),
    byTag: z.array(z.strictObject({ tag: line, counts })).max(many),
    byComponent: z.array(z.strictObject({ component: line, counts })).max(many),
  }),
  heatmapWeekdayHour: z.array(z.array(count).length(24)).length(7),
  heatmapStaffHour: z.array(z.strictObject({ staff: line, total: count, hours: z.array(count).length(24) })).max(many),
  withoutStaff: count,
  spikes: z
    .array(
      z.strictObject({
        staff: line,
        hour: z.number().int().min(0).max(23),
        count,
        expected: figure,
        pValue: share,
        adjustedPValue: share,
        ratio: figure,
      }),
    )
    .max(many),
  releases: z
    .array(
      z.strictObject({
        component: line,
        version: line,
        date: day,
        before: figure,
        after: figure,
        weeks: figure,
        weeksBefore: figure,
        weeksAfter: figure,
        countBefore: count,
        countAfter: count,
        pValue: share,
        adjustedPValue: share,
        significant: z.boolean(),
      }),
    )
    .max(many),
  outcomes: z.strictObject({
    satisfiedRate: share.nullable(),
    satisfactionChecks: count,
    repeatFailureRate: share.nullable(),
    medianHoursToFirstResponse: figure.nullable(),
    medianHoursToResolve: figure.nullable(),
    resolved: count,
    open: count,
    reopened: count,
  }),
  scorecard: z
    .array(
      z.strictObject({
        month: z.string().regex(/^\d{4}-\d{2}$/),
        complaints: count,
        written: count,
        oral: count,
        otherChannel: count,
        referrals: count,
        purchasingCustomers: count,
        repeatPurchaseRate: share.nullable(),
        rework: count,
        medianHoursToFirstResponse: figure.nullable(),
      }),
    )
    .max(many),
});

export const TrendsChoicesSchema = z.strictObject({ components: z.array(line).max(5000), staff: z.array(line).max(5000), tags: z.array(line).max(5000) });

export const TrendsPayloadSchema = z.strictObject({
  query: TrendsQuerySchema.extend({ from: day, to: day }),
  report: TrendReportSchema,
  choices: TrendsChoicesSchema,
  emptyBook: z.boolean(),
});

export const DrillResultSchema = z.strictObject({
  requestId: count,
  total: count,
  incidents: z
    .array(
      z.strictObject({
        id: z.string().max(64),
        openedAt: z.string().max(64),
        customer: line,
        category: line,
        summary: line,
        tags: z.array(line).max(100),
        resolved: z.boolean(),
      }),
    )
    .max(DRILL_LIMIT),
});

/** Every key of TrendStrings: the page shows only words the host translated. */
const TREND_STRING_KEYS = [
  'title',
  'summary',
  'emptyBook',
  'emptyRange',
  'range',
  'presetLast30',
  'presetQuarter',
  'presetYear',
  'presetAll',
  'presetCustom',
  'from',
  'to',
  'bucket',
  'week',
  'month',
  'filters',
  'allCategories',
  'allComponents',
  'allStaff',
  'allTags',
  'clearFilters',
  'exportMarkdown',
  'exportCsv',
  'showTable',
  'showChart',
  'topComplaints',
  'topComplaintsHint',
  'categoryOverTime',
  'tagOverTime',
  'weekdayHour',
  'staffHour',
  'staffHourHint',
  'spikeText',
  'noSpikes',
  'withoutStaff',
  'components',
  'componentsHint',
  'releases',
  'noReleases',
  'outcomes',
  'scorecard',
  'complaint',
  'incidents',
  'category',
  'tag',
  'component',
  'staff',
  'weekday',
  'hour',
  'count',
  'expected',
  'spikes',
  'version',
  'date',
  'beforePerWeek',
  'afterPerWeek',
  'significant',
  'flagged',
  'notFlagged',
  'measure',
  'value',
  'satisfiedRate',
  'satisfactionChecks',
  'repeatFailureRate',
  'medianFirstResponse',
  'medianResolve',
  'resolved',
  'open',
  'reopened',
  'hours',
  'monthColumn',
  'complaints',
  'written',
  'oral',
  'otherChannel',
  'referrals',
  'repeatPurchaseRate',
  'rework',
  'firstResponseHours',
  'total',
  'none',
  'noData',
  'drillTitle',
  'drillMore',
  'drillClose',
  'drillLoading',
  'resolvedBadge',
  'openBadge',
  'categoryProduct',
  'categoryPeople',
  'categoryTimeliness',
  'categoryProcess',
  'categoryOther',
  'before',
  'after',
  'chartLabel',
] as const satisfies ReadonlyArray<keyof TrendStrings>;

export const TrendStringsSchema = z.strictObject(Object.fromEntries(TREND_STRING_KEYS.map((key) => [key, z.string().max(2000)])) as Record<(typeof TREND_STRING_KEYS)[number], z.ZodString>);

export const TrendsHostMessage: z.ZodType<HostToPage> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('init'), strings: TrendStringsSchema, locale: z.string().max(35), payload: TrendsPayloadSchema }),
  z.strictObject({ type: z.literal('report'), payload: TrendsPayloadSchema }),
  z.strictObject({ type: z.literal('drillResult'), result: DrillResultSchema }),
  z.strictObject({ type: z.literal('error'), message: line }),
  z.strictObject({ type: z.literal('applyQuery'), query: TrendsQuerySchema }),
]);

export const TrendsPageMessage: z.ZodType<PageToHost> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('query'), query: TrendsQuerySchema }),
  z.strictObject({ type: z.literal('drill'), requestId: count, selector: DrillSelectorSchema }),
  z.strictObject({ type: z.literal('openIncident'), id: z.string().regex(/^inc_[0-9a-z]{4,32}$/) }),
  z.strictObject({ type: z.literal('export'), format: z.enum(['markdown', 'csv']) }),
  z.strictObject({ type: z.literal('rendered'), rendered: RenderedSchema }),
  z.strictObject({ type: z.literal('refused'), detail: z.string().max(2000) }),
]);

// ---- Compile-time checks: each schema accepts exactly the type the code uses ----

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type ProtocolMatchesTypes = [
  Check<Same<z.output<typeof TrendReportSchema>, TrendReport>>,
  Check<Same<z.output<typeof TrendsQuerySchema>, TrendsQuery>>,
  Check<Same<z.output<typeof DrillSelectorSchema>, DrillSelector>>,
  Check<Same<z.output<typeof RenderedSchema>, RenderedReport>>,
  Check<Same<z.output<typeof TrendsPayloadSchema>, TrendsPayload>>,
  Check<Same<z.output<typeof TrendsChoicesSchema>, TrendsChoices>>,
  Check<Same<z.output<typeof DrillResultSchema>, DrillResult>>,
  Check<Same<z.output<typeof TrendStringsSchema>, TrendStrings>>,
];
