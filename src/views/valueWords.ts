// The lifetime-value explanation in the display language: which model, its inputs, the
// formula with the numbers, and what to keep in mind. The engine gives stable codes.
import * as vscode from 'vscode';
import type { CustomerValue } from '../figures';
import type { LtvExplanation } from '../domain/ltv/types';
import { money, wholeMoney } from './words';

function modelName(model: LtvExplanation['model']): string {
  switch (model) {
    case 'subscription':
      return vscode.l10n.t('Subscription: monthly revenue x margin / monthly churn, discounted');
    case 'bg-nbd':
      return vscode.l10n.t('BG/NBD and Gamma-Gamma, fitted on the whole book');
    case 'simple':
      return vscode.l10n.t('Average order value x purchase rate x expected lifetime x margin');
    case 'none':
      return vscode.l10n.t('No estimate: no purchases or active subscription');
  }
}

export function inputLabel(key: string): string {
  const labels: Record<string, string> = {
    pAlive: vscode.l10n.t('probability still active'),
    pPurchase12m: vscode.l10n.t('chance of buying again in the next 12 months'),
    discountedPurchases: vscode.l10n.t('expected purchases over the horizon, discounted'),
    expectedSpend: vscode.l10n.t('expected spend per purchase'),
    expectedPurchases12m: vscode.l10n.t('expected purchases in the next 12 months'),
    margin: vscode.l10n.t('margin'),
    averageOrderValue: vscode.l10n.t('average order value'),
    purchasesPerMonth: vscode.l10n.t('purchases per month'),
    lifetimeMonths: vscode.l10n.t('expected remaining lifetime (months)'),
    lapsedFactor: vscode.l10n.t('lapse factor'),
    monthlyRevenue: vscode.l10n.t('monthly revenue'),
    monthlyDiscountRate: vscode.l10n.t('monthly discount rate'),
    monthlyChurn: vscode.l10n.t('monthly churn'),
    x: vscode.l10n.t('repeat purchases'),
    purchases: vscode.l10n.t('purchases'),
    daysSinceLastPurchase: vscode.l10n.t('days since the last purchase'),
    gapDays: vscode.l10n.t('usual days between purchases'),
    lapseAfterDays: vscode.l10n.t('lapsed after (days)'),
    horizonMonths: vscode.l10n.t('horizon (months)'),
  };
  const part = /^part(\d+)$/.exec(key);
  if (part) return vscode.l10n.t('part {0}', part[1]);
  return labels[key] ?? key;
}

function noteWords(code: string): string | undefined {
  const notes: Record<string, string> = {
    'revenue-margin-1': vscode.l10n.t('Margin is 1, so this is revenue, not profit (setting loyal.ltv.margin).'),
    lapsed: vscode.l10n.t('Lapsed: no purchase for much longer than usual, so little value is expected.'),
    'same-day-merged': vscode.l10n.t('Purchases on the same day count as one.'),
    'single-purchase': vscode.l10n.t('Only one purchase so far: the book’s habits fill in.'),
    'churn-measured': vscode.l10n.t('Churn measured from this book’s cancelled subscriptions.'),
    'churn-setting': vscode.l10n.t('Churn from the setting loyal.ltv.monthlyChurn (too few cancellations to measure).'),
    'yearly-as-monthly': vscode.l10n.t('A yearly subscription, counted per month.'),
    'subscription-cancelled': vscode.l10n.t('The subscription is cancelled.'),
    'later-records-ignored': vscode.l10n.t('Records after the as-of date are ignored.'),
    'refunds-deducted': vscode.l10n.t('Refunds are taken off the purchases they follow.'),
    'refunded-purchases-ignored': vscode.l10n.t('Purchases refunded in full do not count as purchases.'),
    'zero-amounts-ignored': vscode.l10n.t('Entries with an amount of 0 do not count as purchases.'),
    'zero-amounts-only': vscode.l10n.t('Only entries with an amount of 0 so far.'),
    'fit-shrunk': vscode.l10n.t('A small book: the fitted habits are pulled toward typical ones, which predicted better on books this size.'),
    'spend-capped': vscode.l10n.t('One purchase says little: spend per purchase is capped at 3 times the book’s median purchase.'),
    'rule-no-repeat-buyers': vscode.l10n.t('A simple rule, because nobody has bought twice yet, so the statistical model has nothing to learn from.'),
    'rule-fit-failed': vscode.l10n.t('A simple rule, because the statistical model could not be fitted on this book.'),
    'rule-repeat-buyers-setting': vscode.l10n.t('A simple rule, because the book has fewer repeat buyers than the setting loyal.ltv.minRepeatBuyers asks for.'),
    'book-gap-default': vscode.l10n.t('The book has too few repeat purchases to know its usual gap, so a default gap is used.'),
    'spend-population-mean': vscode.l10n.t('Spend per purchase from the whole book (no repeat purchase yet).'),
    'spend-customer-mean': vscode.l10n.t('Spend per purchase from this customer’s own average.'),
    'margin-override': vscode.l10n.t('This subscription has its own gross margin.'),
    'ends-on-date': vscode.l10n.t('The subscription ends on a known date: value stops there.'),
    'subscription-invalid-dates': vscode.l10n.t('A subscription has dates that do not make sense and is left out.'),
    'refunds-only': vscode.l10n.t('Only refunds so far.'),
    'no-history': vscode.l10n.t('No purchases or subscriptions yet.'),
    'plus-purchases': vscode.l10n.t('Subscription plus one-off purchases.'),
    'multiple-subscriptions': vscode.l10n.t('Several subscriptions, added up.'),
  };
  return notes[code];
}

function plainNumber(value: number | string): string {
  if (typeof value === 'string') return value;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return new Intl.NumberFormat(vscode.env.language, { maximumFractionDigits: digits }).format(value);
}

/** Inputs that are amounts of money (major units), shown rounded to whole units. */
const MONEY_TERMS = new Set(['averageOrderValue', 'expectedSpend', 'monthlyRevenue']);
/** Inputs that are shares (0-1), shown as percentages. */
const SHARE_TERMS = new Set(['pAlive', 'margin', 'monthlyDiscountRate', 'monthlyChurn', 'lapsedFactor']);

function percent(share: number): string {
  return new Intl.NumberFormat(vscode.env.language, { style: 'percent', maximumFractionDigits: share < 0.1 ? 1 : 0 }).format(share);
}

function termValue(key: string, value: number | string | undefined, currency: string): string {
  if (value === undefined || typeof value === 'string') return value ?? '';
  if (MONEY_TERMS.has(key) || /^part\d+$/.test(key)) return wholeMoney(Math.round(value * 100), currency);
  if (SHARE_TERMS.has(key)) return percent(value);
  return new Intl.NumberFormat(vscode.env.language, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 1 }).format(value);
}

/** The estimate, the figure after "=" of the formula (major units). */
function resultOf(e: LtvExplanation): number | undefined {
  const result = Number(e.formula.split('=').pop());
  return Number.isFinite(result) ? result : undefined;
}

/**
 * The formula said in words, with money rounded to whole units: what a person checks at a
 * glance ("about €25,725"), not the arithmetic with every decimal.
 */
function formulaWords(e: LtvExplanation, currency: string): string | undefined {
  const result = resultOf(e);
  if (result === undefined) return undefined;
  const about = wholeMoney(Math.round(result * 100), currency);
  const value = (key: string): string => termValue(key, e.inputs[key], currency);
  const terms = [...new Set(e.formulaTerms)];
  const ofParts = terms.length > 0 && terms.every((t) => /^part\d+$/.test(t));
  if (e.model === 'subscription' && !ofParts) {
    const words = vscode.l10n.t(
      '{0} a month at a margin of {1}, for as long as the customer stays ({2} of subscribers leave each month), later months discounted by {3} a month: about {4}',
      value('monthlyRevenue'),
      value('margin'),
      value('monthlyChurn'),
      value('monthlyDiscountRate'),
      about,
    );
    return e.inputs.monthsLeft === undefined ? words : `${words} ${vscode.l10n.t('(until the end date, {0} months from now)', value('monthsLeft'))}`;
  }
  if (!terms.length) return undefined;
  const joiner = ofParts ? ' + ' : ' × ';
  return vscode.l10n.t('{0}: about {1}', terms.map((t) => `${inputLabel(t)} ${value(t)}`).join(joiner), about);
}

function explanationLines(e: LtvExplanation, currency: string, exact: boolean): string[] {
  const lines = [modelName(e.model)];
  if (e.formula && e.model !== 'none') {
    const words = formulaWords(e, currency);
    if (words) lines.push(words);
    // The page also keeps the arithmetic, for whoever checks it by hand.
    if (exact || !words) lines.push(vscode.l10n.t('Exactly: {0}', e.formula));
  }
  for (const code of e.notes) {
    const words = noteWords(code);
    if (words) lines.push(words);
  }
  for (const part of e.parts ?? []) lines.push(...explanationLines(part, currency, exact));
  return lines;
}

/** Lines for a tooltip or a page: value, paid so far, model, the formula in words, notes; `exact` adds the arithmetic. */
export function explainValue(value: CustomerValue, currency: string, options: { exact?: boolean } = {}): string[] {
  const lines = [vscode.l10n.t('Lifetime value estimate: {0}', wholeMoney(value.ltvCents, currency)), vscode.l10n.t('Paid so far: {0}', wholeMoney(value.historicalCents, currency))];
  if (value.pPurchase12m !== undefined) lines.push(vscode.l10n.t('Chance of buying again in the next 12 months: {0}%', Math.round(value.pPurchase12m * 100)));
  if (value.pAlive !== undefined) lines.push(vscode.l10n.t('Probability still active: {0}%', Math.round(value.pAlive * 100)));
  if (value.expectedPurchases12m !== undefined) lines.push(vscode.l10n.t('Expected purchases in the next 12 months: {0}', plainNumber(value.expectedPurchases12m)));
  return [...lines, ...explanationLines(value.explanation, currency, options.exact ?? false)];
}

/** How the model did on the book's own past, in one sentence (undefined without a back-test). */
export function backtestWords(value: CustomerValue, currency: string): string | undefined {
  const b = value.backtest;
  if (!b) return undefined;
  const predicted = money(Math.round(b.predictedRevenue * 100), currency);
  const actual = money(Math.round(b.actualRevenue * 100), currency);
  if (b.revenueError === undefined) {
    return vscode.l10n.t('How the model did: fitted on the book as of {0}, it expected {1} from the customers known then; they have bought nothing since.', b.from, predicted);
  }
  const pct = Math.round(b.revenueError * 100);
  return vscode.l10n.t(
    'How the model did: fitted on the book as of {0}, it expected {1} from the customers known then; they paid {2} ({3}% {4}). Read the estimates with that in mind.',
    b.from,
    predicted,
    actual,
    Math.abs(pct),
    pct >= 0 ? vscode.l10n.t('too high') : vscode.l10n.t('too low'),
  );
}
