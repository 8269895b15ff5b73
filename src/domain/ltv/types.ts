/**
 * Public types of the lifetime-value engine. Independent of the stored record
 * schemas: callers map their purchases and subscriptions onto these.
 */

export interface LtvPurchase {
  customerId: string;
  /** YYYY-MM-DD, local calendar day. */
  date: string;
  /** Major units, e.g. 29.33. Negative amounts (refunds) reduce historical value. */
  amount: number;
}

export interface LtvSubscription {
  customerId: string;
  amountPerPeriod: number;
  period: 'month' | 'year';
  /** YYYY-MM-DD. */
  start: string;
  /** YYYY-MM-DD, the day it was cancelled (no payment is due from that day on). */
  end?: string;
  /** 0..1, overrides settings.margin for this subscription. */
  grossMargin?: number;
}

export interface LtvSettings {
  /** Gross margin 0..1; 1 means the values are revenue. */
  margin: number;
  /** Monthly discount rate, e.g. 0.01. */
  monthlyDiscountRate: number;
  /** Horizon of the purchase models, in months, e.g. 36. */
  horizonMonths: number;
  /** Fallback monthly churn (subscriptions, and the simple purchase model's survival), e.g. 0.03. */
  monthlyChurn: number;
  /** Repeat buyers needed in the book before BG/NBD + Gamma-Gamma are fitted. */
  minRepeatBuyers: number;
  /** Cancelled subscriptions needed before churn is measured from the book. */
  minCancelledForChurn: number;
}

export interface LtvInput {
  /** YYYY-MM-DD; purchases and subscription events after it are ignored. */
  asOf: string;
  customerIds: string[];
  purchases: LtvPurchase[];
  subscriptions: LtvSubscription[];
  settings: LtvSettings;
}

export interface BgNbdParams {
  r: number;
  /** Time unit: days. */
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface BookCounts {
  /** Customers with at least one purchase day (net amount >= 0) up to asOf. */
  customers: number;
  /** Of those, customers with at least one repeat purchase day. */
  repeatBuyers: number;
  /** Purchase days (same-day purchases merged) up to asOf. */
  transactions: number;
  /** Repeat purchase days (transactions minus first purchases), the sum of x. */
  repeatTransactions: number;
}

export interface BgNbdBookModel {
  kind: 'bg-nbd';
  timeUnit: 'day';
  /** BG/NBD r, alpha, a, b with its log-likelihood; Gamma-Gamma p, q, v when the spend model is gamma-gamma. */
  params: { r: number; alpha: number; a: number; b: number; p?: number; q?: number; v?: number; logLikelihood: number };
  counts: BookCounts;
  spend: { model: 'gamma-gamma'; logLikelihood: number; customers: number } | { model: 'customer-mean'; reason: 'too-few-spend-observations' | 'fit-failed' | 'infinite-mean' };
  /** Whether the fit was shrunk toward the priors (estimate.ts PRIOR_WEIGHT). */
  shrinkage: boolean;
  minRepeatBuyers: number;
}

export interface SimpleBookModel {
  kind: 'simple';
  reason: 'too-few-repeat-buyers' | 'fit-failed' | 'no-purchase-customers';
  counts: BookCounts;
  minRepeatBuyers: number;
  /** The book's typical gap between purchases (days), used for single-purchase customers. */
  typicalGapDays: number;
  typicalGapSource: 'book' | 'default';
}

export interface ChurnModel {
  source: 'measured' | 'setting';
  monthlyChurn: number;
  /** Subscriptions cancelled up to asOf. */
  cancelled: number;
  /** Subscription-months of exposure up to asOf. */
  exposureMonths: number;
  minCancelledForChurn: number;
}

/**
 * How the same model did on this book: fitted as of `from`, its undiscounted forecast of the
 * purchases and revenue of the customers then known, against what they actually bought up to asOf.
 */
export interface Backtest {
  from: string;
  months: number;
  customers: number;
  model: 'bg-nbd' | 'simple';
  predictedPurchases: number;
  actualPurchases: number;
  predictedRevenue: number;
  actualRevenue: number;
  /** predictedRevenue / actualRevenue - 1 (undefined when nothing was bought). */
  revenueError?: number;
}

export type BookModel = (BgNbdBookModel | SimpleBookModel) & { asOf: string; churn: ChurnModel; backtest?: Backtest };

export type CustomerModel = 'subscription' | 'bg-nbd' | 'simple' | 'none';

export interface LtvExplanation {
  model: CustomerModel;
  /** Named inputs; keys are stable identifiers for the UI to translate. */
  inputs: Record<string, number | string>;
  /** The formula with the numbers filled in, language neutral, e.g. "29.33 x 0.84 x 1.7 x 1 = 41.89". */
  formula: string;
  /** The input keys in the order their numbers appear on the left of `formula`. */
  formulaTerms: string[];
  /** Codes such as 'revenue-margin-1', 'lapsed', 'same-day-merged'. */
  notes: string[];
  /** For a subscriber who also buys: one explanation per component. */
  parts?: LtvExplanation[];
}

export interface CustomerLtv {
  customerId: string;
  model: CustomerModel;
  /** What the customer has paid up to asOf: purchases plus subscription payments (major units). */
  historicalValue: number;
  /** Estimated future value (major units, rounded to cents). */
  ltv: number;
  pAlive?: number;
  /** Expected purchases in the 365 days after asOf. */
  expectedPurchases12m?: number;
  /** Chance of at least one purchase in the 365 days after asOf (purchase customers). */
  pPurchase12m?: number;
  explanation: LtvExplanation;
}

export interface LtvBook {
  model: BookModel;
  customers: Map<string, CustomerLtv>;
  /** With EstimateOptions.forecastDays: the book's undiscounted purchases and revenue over those days. */
  forecast?: { days: number; purchases: number; revenue: number };
}
