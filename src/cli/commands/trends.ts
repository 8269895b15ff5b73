// `loyal trends`: the trend review on the command line (top complaints, counts, spikes of
// one staff member at one hour, incidents around releases, outcomes, scorecard), as JSON
// for scripts or Markdown for a weekly mail. The same computeTrends as the webview.
import { Category, Day } from '../../domain/records';
import { computeTrends } from '../../domain/trends/compute';
import { trendsToMarkdown } from '../../domain/trends/render';
import type { TrendFilters, TrendReport } from '../../domain/trends/types';
import type { CliCommand } from '../command';
import { UsageError } from '../errors';
import { check, readEnumFlag } from '../values';
import { AS_OF_FLAG, readAsOf } from './ltv';

function day(flag: string, value: unknown): string | undefined {
  return typeof value === 'string' ? check(flag, Day, value.trim(), 'trends') : undefined;
}

function list(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map((v: string) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export const trendsCommand: CliCommand = {
  name: 'trends',
  summary: 'the trend review: top complaints, counts, spikes, releases, outcomes, scorecard',
  usage: 'trends [--from DATE] [--to DATE] [--as-of DATE] [--bucket week|month] [--category C] [--component C] [--staff S] [--tag T] [--json | --md]',
  flags: () => ({
    from: { type: 'string', value: 'DATE', description: 'first day included, YYYY-MM-DD (default the earliest incident)' },
    to: { type: 'string', value: 'DATE', description: 'last day included, YYYY-MM-DD (default the as-of day)' },
    ...AS_OF_FLAG,
    bucket: { type: 'string', value: 'week|month', description: 'time series by week or by month (default week)' },
    category: { type: 'string', multiple: true, value: Category.options.join('|'), description: 'only incidents of this category' },
    component: { type: 'string', multiple: true, value: 'C', description: 'only incidents of this component' },
    staff: { type: 'string', multiple: true, value: 'S', description: 'only incidents with this staff member on duty' },
    tag: { type: 'string', multiple: true, value: 'T', description: 'only incidents with this tag' },
    md: { type: 'boolean', description: 'the report in Markdown (the default text output)' },
  }),
  async run(ctx) {
    if (ctx.json && ctx.values.md === true) throw new UsageError('--json and --md cannot be used together', 'trends');
    const asOf = readAsOf(ctx, 'trends');
    const from = day('from', ctx.values.from);
    const to = day('to', ctx.values.to);
    // YYYY-MM-DD compares as text; checked before the book is read.
    if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${from} is after --to ${to}`, 'trends');
    const bucket = typeof ctx.values.bucket === 'string' ? readEnumFlag('bucket', ctx.values.bucket, ['week', 'month'] as const, 'trends') : 'week';
    const categories = list(ctx.values.category)?.map((c) => readEnumFlag('category', c, Category.options, 'trends'));
    const filters: TrendFilters = {};
    if (categories) filters.category = categories;
    for (const key of ['component', 'staff', 'tag'] as const) {
      const values = list(ctx.values[key]);
      if (values) filters[key] = values;
    }

    const store = await ctx.openBook();
    let report: TrendReport;
    try {
      report = computeTrends(store.file, { asOf, bucket, filters, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    } catch (error) {
      // The range itself is impossible (from after the earlier of to and as-of): wrong usage.
      if (error instanceof RangeError) throw new UsageError(error.message, 'trends');
      throw error;
    }
    if (ctx.json) ctx.printJson(report);
    else ctx.print(trendsToMarkdown(report));
  },
};
