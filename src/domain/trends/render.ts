// The trend report as text a team can paste into a pull request or an email (Markdown),
// and as one CSV table per section for a spreadsheet.
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafeCell } from '../csvCells';
import type { TrendReport } from './types';

/** Every word of the Markdown report, so the extension can pass translated ones. */
export interface TrendLabels {
  title: string;
  /** Replaces {from} and {to}. */
  range: string;
  /** Replaces {total}. */
  total: string;
  none: string;
  topComplaints: string;
  tag: string;
  count: string;
  byCategory: string;
  category: string;
  categories: Record<string, string>;
  spikes: string;
  noSpikes: string;
  staff: string;
  hour: string;
  expected: string;
  pValue: string;
  releases: string;
  noReleases: string;
  component: string;
  version: string;
  date: string;
  beforePerWeek: string;
  afterPerWeek: string;
  significant: string;
  yes: string;
  no: string;
  outcomes: string;
  satisfiedRate: string;
  repeatFailureRate: string;
  medianHoursToFirstResponse: string;
  medianHoursToResolve: string;
  resolved: string;
  open: string;
  reopened: string;
  scorecard: string;
  month: string;
  written: string;
  oral: string;
  otherChannel: string;
  referrals: string;
  repeatPurchaseRate: string;
  rework: string;
  firstResponseHours: string;
  measure: string;
  value: string;
}

export const ENGLISH_TREND_LABELS: TrendLabels = {
  title: 'Trend review',
  range: '{from} to {to}',
  total: '{total} incidents in this period.',
  none: '–',
  topComplaints: 'Top 5 complaints',
  tag: 'Complaint',
  count: 'Incidents',
  byCategory: 'Incidents by category',
  category: 'Category',
  categories: { product: 'Product', people: 'People', timeliness: 'Timeliness', process: 'Process', other: 'Other' },
  spikes: 'Spikes (hour and staff member well above expected)',
  noSpikes: 'No hour and staff member stands out.',
  staff: 'Staff member',
  hour: 'Hour',
  expected: 'Expected',
  pValue: 'p-value',
  releases: 'Releases (incidents per week before and after)',
  noReleases: 'No releases in this period.',
  component: 'Component',
  version: 'Version',
  date: 'Date',
  beforePerWeek: 'Before (per week)',
  afterPerWeek: 'After (per week)',
  significant: 'More after?',
  yes: 'yes',
  no: 'no',
  outcomes: 'Recovery outcomes',
  satisfiedRate: 'Satisfied after follow-up',
  repeatFailureRate: 'Repeat failures',
  medianHoursToFirstResponse: 'Median hours to first response',
  medianHoursToResolve: 'Median hours to resolve',
  resolved: 'Resolved',
  open: 'Open',
  reopened: 'Reopened',
  scorecard: 'Scorecard',
  month: 'Month',
  written: 'Written complaints',
  oral: 'Oral complaints',
  otherChannel: 'Other channel',
  referrals: 'Referrals',
  repeatPurchaseRate: 'Repeat purchase rate',
  rework: 'Rework',
  firstResponseHours: 'First response (median hours)',
  measure: 'Measure',
  value: 'Value',
};

/**
 * User text (tags, staff names, components, versions) must not break the table or inject
 * markup: Markdown's punctuation is escaped, and `&`, `<` and `>` become entities, so an
 * entity typed as text (`&lt;b&gt;`) is shown as typed, never decoded into a tag.
 */
function cell(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]|#~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A cell already written in Markdown (only ever built from escaped text). */
interface MarkdownCell {
  markdown: string;
}

function table(header: string[], rows: Array<Array<string | number | MarkdownCell>>): string {
  const lines = [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const cells = row.map((value) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? cell(value) : value.markdown));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function percent(rate: number | null, labels: TrendLabels): string {
  return rate === null ? labels.none : `${Math.round(rate * 1000) / 10}%`;
}

function hours(value: number | null, labels: TrendLabels): string {
  return value === null ? labels.none : (Math.round(value * 10) / 10).toFixed(1);
}

function pValueText(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

function hourText(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;
}

/** A weekly or monthly report in Markdown: plain English unless translated labels are given. */
export function trendsToMarkdown(report: TrendReport, labels: Partial<TrendLabels> = {}): string {
  const l: TrendLabels = { ...ENGLISH_TREND_LABELS, ...labels, categories: { ...ENGLISH_TREND_LABELS.categories, ...labels.categories } };
  const parts: string[] = [];
  parts.push(`# ${cell(l.title)}: ${cell(l.range.replace('{from}', report.from).replace('{to}', report.to))}`);
  parts.push(cell(l.total.replace('{total}', String(report.total))));

  parts.push(`## ${cell(l.topComplaints)}`);
  parts.push(
    report.topComplaints.length === 0
      ? cell(l.none)
      : table(
          [l.tag, l.count],
          report.topComplaints.map((row) => [row.tag, row.count]),
        ),
  );

  parts.push(`## ${cell(l.byCategory)}`);
  parts.push(
    table(
      [l.category, l.count],
      Object.entries(report.byCategory).map(([category, count]) => [l.categories[category] ?? category, count]),
    ),
  );

  parts.push(`## ${cell(l.spikes)}`);
  parts.push(
    report.spikes.length === 0
      ? cell(l.noSpikes)
      : table(
          [l.staff, l.hour, l.count, l.expected, l.pValue],
          report.spikes.map((spike) => [spike.staff, hourText(spike.hour), spike.count, spike.expected.toFixed(1), pValueText(spike.pValue)]),
        ),
  );

  parts.push(`## ${cell(l.releases)}`);
  parts.push(
    report.releases.length === 0
      ? cell(l.noReleases)
      : table(
          [l.component, l.version, l.date, l.beforePerWeek, l.afterPerWeek, l.significant],
          report.releases.map((release) => [
            release.component,
            release.version,
            release.date,
            release.before.toFixed(2),
            release.after.toFixed(2),
            release.significant ? { markdown: `**${cell(l.yes)}**` } : l.no,
          ]),
        ),
  );

  const o = report.outcomes;
  parts.push(`## ${cell(l.outcomes)}`);
  parts.push(
    table(
      [l.measure, l.value],
      [
        [l.satisfiedRate, percent(o.satisfiedRate, l)],
        [l.repeatFailureRate, percent(o.repeatFailureRate, l)],
        [l.medianHoursToFirstResponse, hours(o.medianHoursToFirstResponse, l)],
        [l.medianHoursToResolve, hours(o.medianHoursToResolve, l)],
        [l.resolved, o.resolved],
        [l.open, o.open],
        [l.reopened, o.reopened],
      ],
    ),
  );

  parts.push(`## ${cell(l.scorecard)}`);
  parts.push(
    table(
      [l.month, l.written, l.oral, l.otherChannel, l.referrals, l.repeatPurchaseRate, l.rework, l.firstResponseHours],
      report.scorecard.map((row) => [row.month, row.written, row.oral, row.otherChannel, row.referrals, percent(row.repeatPurchaseRate, l), row.rework, hours(row.medianHoursToFirstResponse, l)]),
    ),
  );
  return `${parts.join('\n\n')}\n`;
}

export const TREND_CSV_SECTIONS = [
  'topComplaints',
  'byCategory',
  'byChannel',
  'bySeverity',
  'byCause',
  'byComponent',
  'series',
  'heatmapWeekdayHour',
  'heatmapStaffHour',
  'spikes',
  'releases',
  'outcomes',
  'scorecard',
] as const;
export type TrendCsvSection = (typeof TREND_CSV_SECTIONS)[number];

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h));

/**
 * One table of the report as CSV (RFC 4180, header row, CRLF). Column names are the JSON
 * field names so scripts can rely on them; text that a spreadsheet would run as a formula
 * (=, +, -, @, tab or CR at the start) is neutralised as in every export (see csvCells.ts).
 */
export function trendsToCsv(report: TrendReport, section: TrendCsvSection): string {
  const write = (header: string[], rows: Array<Array<string | number | boolean | null>>): string =>
    stringify([header, ...rows.map((row) => row.map((value) => (value === null ? '' : value)))], {
      record_delimiter: 'windows',
      cast: { boolean: (value) => (value ? 'true' : 'false'), string: spreadsheetSafeCell },
    });
  const counts = (key: string, record: Record<string, number>): string => write([key, 'count'], Object.entries(record));
  switch (section) {
    case 'topComplaints':
      return write(
        ['tag', 'count'],
        report.topComplaints.map((row) => [row.tag, row.count]),
      );
    case 'byCategory':
      return counts('category', report.byCategory);
    case 'byChannel':
      return counts('channel', report.byChannel);
    case 'bySeverity':
      return counts('severity', report.bySeverity);
    case 'byCause':
      return counts('cause', report.byCause);
    case 'byComponent':
      return write(
        ['component', 'count'],
        report.byComponent.map((row) => [row.component, row.count]),
      );
    case 'series': {
      const s = report.series;
      const columns: Array<[string, number[]]> = [
        ['total', s.total],
        ...Object.entries(s.byCategory).map(([category, counts]): [string, number[]] => [`category:${category}`, counts]),
        ...s.byTag.map((row): [string, number[]] => [`tag:${row.tag}`, row.counts]),
        ...s.byComponent.map((row): [string, number[]] => [`component:${row.component}`, row.counts]),
      ];
      return write(
        [report.bucket, ...columns.map(([name]) => name)],
        s.buckets.map((bucket, b) => [bucket, ...columns.map(([, values]) => values[b])]),
      );
    }
    case 'heatmapWeekdayHour':
      return write(
        ['weekday', ...HOURS],
        report.heatmapWeekdayHour.map((hours, d) => [WEEKDAYS[d], ...hours]),
      );
    case 'heatmapStaffHour':
      return write(
        ['staff', ...HOURS],
        report.heatmapStaffHour.map((row) => [row.staff, ...row.hours]),
      );
    case 'spikes':
      return write(
        ['staff', 'hour', 'count', 'expected', 'ratio', 'pValue', 'adjustedPValue'],
        report.spikes.map((s) => [s.staff, s.hour, s.count, s.expected, s.ratio, s.pValue, s.adjustedPValue]),
      );
    case 'releases':
      return write(
        ['component', 'version', 'date', 'before', 'after', 'weeks', 'weeksBefore', 'weeksAfter', 'countBefore', 'countAfter', 'pValue', 'adjustedPValue', 'significant'],
        report.releases.map((r) => [r.component, r.version, r.date, r.before, r.after, r.weeks, r.weeksBefore, r.weeksAfter, r.countBefore, r.countAfter, r.pValue, r.adjustedPValue, r.significant]),
      );
    case 'outcomes':
      return write(['measure', 'value'], Object.entries(report.outcomes));
    case 'scorecard':
      return write(
        ['month', 'complaints', 'written', 'oral', 'otherChannel', 'referrals', 'purchasingCustomers', 'repeatPurchaseRate', 'rework', 'medianHoursToFirstResponse'],
        report.scorecard.map((r) => [r.month, r.complaints, r.written, r.oral, r.otherChannel, r.referrals, r.purchasingCustomers, r.repeatPurchaseRate, r.rework, r.medianHoursToFirstResponse]),
      );
  }
}
