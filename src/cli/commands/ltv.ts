// `loyal ltv`: every customer's lifetime value with its explanation, and the book's model
// with its fitted parameters (README "How Loyal estimates lifetime value"). The estimate helpers here are
// shared by `loyal review` and `loyal resolve`, so every command ranks customers alike.
import { Day, type LoyalFile } from '../../domain/records';
import { estimateBook, formatNumber, type EstimateOptions } from '../../domain/ltv/estimate';
import type { BookModel, CustomerLtv, LtvBook } from '../../domain/ltv/types';
import { ltvInputFromFile, type LtvUserSettings } from '../../domain/ltv/fromBook';
import { fromCents } from '../../domain/money';
import { dayOf } from '../../domain/time';
import type { CliCommand, CliContext, Flags } from '../command';
import { UsageError } from '../errors';
import { check, readNumberFlag } from '../values';

/** The defaults of the extension's `loyal.ltv.*` settings. */
export const CLI_LTV_DEFAULTS: Readonly<LtvUserSettings> = Object.freeze({
  margin: 1,
  monthlyDiscountRate: 0.01,
  horizonMonths: 36,
  monthlyChurn: 0.03,
  minRepeatBuyers: 1,
});

export const AS_OF_FLAG: Flags = {
  'as-of': { type: 'string', value: 'DATE', description: 'the day the report is made as of, YYYY-MM-DD (default today): later records are ignored' },
};

export const LTV_FLAGS: Flags = {
  margin: { type: 'string', value: 'SHARE', description: 'gross margin from 0 to 1 (default 1: values are revenue)' },
  'discount-rate': { type: 'string', value: 'RATE', description: 'monthly discount rate (default 0.01)' },
  'horizon-months': { type: 'string', value: 'N', description: 'horizon of the purchase models in months (default 36)' },
  'monthly-churn': { type: 'string', value: 'RATE', description: 'monthly churn when the book cannot measure it (default 0.03)' },
  'min-repeat-buyers': {
    type: 'string',
    value: 'N',
    description: 'repeat buyers needed before BG/NBD + Gamma-Gamma are fitted (default 1: fitted, shrunk toward priors, from the first repeat buyer)',
  },
};

/** The day of the report: --as-of, else today on the command's clock. */
export function readAsOf(ctx: CliContext, command: string): string {
  const raw = ctx.values['as-of'];
  if (typeof raw !== 'string') return dayOf(ctx.clock.now());
  return check('as-of', Day, raw.trim(), command);
}

function rangeFlag(ctx: CliContext, flag: string, fallback: number, integer: boolean, min: number, max: number, command: string, minExclusive = false): number {
  const raw = ctx.values[flag];
  if (typeof raw !== 'string') return fallback;
  const value = readNumberFlag(flag, raw, integer, command);
  if (value < min || value > max || (minExclusive && value === min)) {
    throw new UsageError(`--${flag}: "${raw}" must be ${minExclusive ? 'above' : 'at least'} ${min} and at most ${max}`, command);
  }
  return value;
}

/** The LTV settings from the flags of LTV_FLAGS (defaults for those not given). */
export function readLtvSettings(ctx: CliContext, command: string): LtvUserSettings {
  return {
    margin: rangeFlag(ctx, 'margin', CLI_LTV_DEFAULTS.margin, false, 0, 1, command),
    monthlyDiscountRate: rangeFlag(ctx, 'discount-rate', CLI_LTV_DEFAULTS.monthlyDiscountRate, false, 0, 1, command),
    horizonMonths: rangeFlag(ctx, 'horizon-months', CLI_LTV_DEFAULTS.horizonMonths, true, 1, 1200, command),
    monthlyChurn: rangeFlag(ctx, 'monthly-churn', CLI_LTV_DEFAULTS.monthlyChurn, false, 0, 1, command, true),
    minRepeatBuyers: rangeFlag(ctx, 'min-repeat-buyers', CLI_LTV_DEFAULTS.minRepeatBuyers, true, 1, 1_000_000, command),
  };
}

/** `options.backtest: false` for the commands that only rank by value (review, resolve): the back-test is a second fit. */
export function estimateFile(file: LoyalFile, settings: LtvUserSettings, asOf: string, options?: EstimateOptions): LtvBook {
  return estimateBook(ltvInputFromFile(file, settings, asOf), undefined, options);
}

/** Lifetime value in cents, as the rules and the review expect it (0 for an unknown customer). */
export function ltvCentsOf(book: LtvBook): (customerId: string) => number {
  return (customerId) => Math.round((book.customers.get(customerId)?.ltv ?? 0) * 100);
}

const MODEL_WORDS: Record<CustomerLtv['model'], string> = { subscription: 'subscription', 'bg-nbd': 'BG/NBD', simple: 'simple', none: 'none' };

/** One line on the book's model, with its fitted numbers. */
export function describeBookModel(model: BookModel): string {
  const c = model.counts;
  const seen = `${c.customers} buying customers, ${c.repeatBuyers} repeat buyers, ${c.transactions} purchase days`;
  let line: string;
  if (model.kind === 'bg-nbd') {
    const p = model.params;
    const fitted = `r=${formatNumber(p.r)} alpha=${formatNumber(p.alpha)} a=${formatNumber(p.a)} b=${formatNumber(p.b)} (days)`;
    const spend = model.spend.model === 'gamma-gamma' ? `Gamma-Gamma p=${formatNumber(p.p!)} q=${formatNumber(p.q!)} v=${formatNumber(p.v!)}` : `spend: each customer's mean (${model.spend.reason})`;
    line = `Book model: BG/NBD ${fitted}${model.shrinkage ? ', shrunk toward the priors' : ''}; ${spend}; ${seen}`;
  } else {
    line = `Book model: simple (${model.reason}, ${model.minRepeatBuyers} repeat buyers needed for BG/NBD); typical gap ${formatNumber(model.typicalGapDays)} days (${model.typicalGapSource}); ${seen}`;
  }
  const b = model.backtest;
  if (b) {
    const error = b.revenueError !== undefined ? ` (${b.revenueError >= 0 ? '+' : ''}${(b.revenueError * 100).toFixed(0)}%)` : '';
    line += `\nBack-test: fitted as of ${b.from} on ${b.customers} customers, predicted ${money(b.predictedRevenue)} (${formatNumber(b.predictedPurchases)} purchases) to ${model.asOf}, actual ${money(b.actualRevenue)} (${b.actualPurchases} purchases)${error}.`;
  }
  const churn = model.churn;
  return `${line}\nMonthly churn: ${formatNumber(churn.monthlyChurn)} (${churn.source === 'measured' ? `measured on ${churn.cancelled} cancelled subscriptions` : 'setting'}). As of ${model.asOf}.`;
}

const compareNames = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare;

function money(value: number): string {
  return fromCents(Math.round(value * 100));
}

export const ltvCommand: CliCommand = {
  name: 'ltv',
  summary: "every customer's lifetime value and its explanation, and the book's model",
  usage: 'ltv [--as-of DATE] [--margin SHARE] [--discount-rate RATE] [--horizon-months N] [--monthly-churn RATE] [--min-repeat-buyers N] [--json]',
  flags: () => ({ ...AS_OF_FLAG, ...LTV_FLAGS }),
  async run(ctx) {
    const asOf = readAsOf(ctx, 'ltv');
    const settings = readLtvSettings(ctx, 'ltv');
    const store = await ctx.openBook();
    const file = store.file;
    const book = estimateFile(file, settings, asOf);
    const rows = file.customers.map((customer) => ({ customer, value: book.customers.get(customer.id) }));
    rows.sort((a, b) => (b.value?.ltv ?? 0) - (a.value?.ltv ?? 0) || (b.value?.historicalValue ?? 0) - (a.value?.historicalValue ?? 0) || compareNames(a.customer.name, b.customer.name));

    if (ctx.json) {
      ctx.printJson({
        asOf,
        settings,
        model: book.model,
        customers: rows.map(({ customer, value }) => ({
          id: customer.id,
          ...(customer.externalId !== undefined ? { externalId: customer.externalId } : {}),
          name: customer.name,
          ...(customer.archived ? { archived: true } : {}),
          historicalValue: value?.historicalValue ?? 0,
          ltv: value?.ltv ?? 0,
          model: value?.model ?? 'none',
          ...(value?.pAlive !== undefined ? { pAlive: value.pAlive } : {}),
          ...(value?.expectedPurchases12m !== undefined ? { expectedPurchases12m: value.expectedPurchases12m } : {}),
          ...(value?.pPurchase12m !== undefined ? { pPurchase12m: value.pPurchase12m } : {}),
          explanation: value?.explanation ?? null,
        })),
      });
      return;
    }
    const table = rows.map(({ customer, value }) => [customer.name, money(value?.historicalValue ?? 0), money(value?.ltv ?? 0), MODEL_WORDS[value?.model ?? 'none']]);
    const header = ['Customer', 'Paid', 'LTV', 'Model'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
    const line = (r: string[]): string => [r[0].padEnd(widths[0]), r[1].padStart(widths[1]), r[2].padStart(widths[2]), r[3]].join('  ').trimEnd();
    ctx.print([line(header), ...table.map(line), '', describeBookModel(book.model)].join('\n'));
  },
};
