/**
 * Subscription value and churn.
 *
 * Value of an active subscription (payments at the start of each month, the first
 * one now, the customer still subscribed in month k with probability (1 - c)^k,
 * discounted at d per month):
 *
 *   LTV = sum_{k>=0} m g (1-c)^k / (1+d)^k = m g (1+d) / (d + c)
 *
 * with m the monthly revenue (a yearly amount counts as amount / 12 per month),
 * g the gross margin and c the monthly churn. With d = 0 this is the textbook
 * "monthly revenue x margin / churn"; it is the standard discounted form
 * m g (1+d) / (1+d-retention) (Gupta & Lehmann 2003, "Customers as assets").
 * When the subscription already has an end date after asOf, the sum stops at the
 * K remaining months: m g (1+d)/(d+c) x (1 - ((1-c)/(1+d))^K).
 *
 * Churn measured from the book: cancelled subscriptions / subscription-months of
 * exposure (each subscription from its start to its end or asOf), the maximum-
 * likelihood estimate of a constant monthly hazard.
 */
import { DAYS_PER_MONTH, addMonthsToDay, dayNumber } from './days';
import type { ChurnModel, LtvSubscription } from './types';

export interface SubscriptionFacts {
  subscription: LtvSubscription;
  startDay: number;
  endDay?: number;
  /** Payments made up to asOf, in cents (one at the start of each period before the end). */
  paidCents: number;
  payments: number;
  /** Started on or before asOf and not ended by then. */
  active: boolean;
  /** Ended on or before asOf. */
  cancelled: boolean;
  exposureMonths: number;
  monthlyRevenue: number;
  /** End before start: ignored for churn and payments. */
  invalid: boolean;
}

/** Facts of one subscription as of `asOfDay`; undefined when it starts after asOf. */
export function subscriptionFacts(sub: LtvSubscription, asOfDay: number): SubscriptionFacts | undefined {
  const startDay = dayNumber(sub.start);
  if (startDay > asOfDay) return undefined;
  const endDay = sub.end !== undefined ? dayNumber(sub.end) : undefined;
  const monthlyRevenue = sub.period === 'year' ? sub.amountPerPeriod / 12 : sub.amountPerPeriod;
  const invalid = endDay !== undefined && endDay < startDay;
  const cancelled = endDay !== undefined && endDay <= asOfDay;
  const active = !cancelled;
  let payments = 0;
  if (!invalid) {
    const step = sub.period === 'year' ? 12 : 1;
    for (let k = 0; ; k++) {
      const due = addMonthsToDay(startDay, k * step);
      if (due > asOfDay || (endDay !== undefined && due >= endDay)) break;
      payments++;
    }
  }
  const exposureEnd = Math.min(endDay ?? asOfDay, asOfDay);
  const exposureMonths = invalid ? 0 : Math.max(0, exposureEnd - startDay) / DAYS_PER_MONTH;
  return {
    subscription: sub,
    startDay,
    endDay,
    paidCents: payments * Math.round(sub.amountPerPeriod * 100),
    payments,
    active: active && !invalid,
    cancelled: cancelled && !invalid,
    exposureMonths,
    monthlyRevenue,
    invalid,
  };
}

/** Cancellations per subscription-month when there are enough cancellations, else the setting. */
export function measureChurn(facts: readonly SubscriptionFacts[], settingChurn: number, minCancelledForChurn: number): ChurnModel {
  let cancelled = 0;
  let exposureMonths = 0;
  for (const f of facts) {
    if (f.invalid) continue;
    if (f.cancelled) cancelled++;
    exposureMonths += f.exposureMonths;
  }
  const enough = cancelled >= Math.max(1, minCancelledForChurn) && exposureMonths > 0;
  return {
    source: enough ? 'measured' : 'setting',
    monthlyChurn: enough ? Math.min(1, cancelled / exposureMonths) : settingChurn,
    cancelled,
    exposureMonths,
    minCancelledForChurn,
  };
}

/**
 * m g (1+d)/(d+c), or with K remaining months m g (1+d)/(d+c) (1 - ((1-c)/(1+d))^K).
 */
export function subscriptionLtv(monthlyRevenue: number, margin: number, monthlyDiscountRate: number, monthlyChurn: number, monthsLeft?: number): number {
  const d = monthlyDiscountRate;
  const c = monthlyChurn;
  const perpetuity = (monthlyRevenue * margin * (1 + d)) / (d + c);
  if (monthsLeft === undefined) return perpetuity;
  return perpetuity * (1 - Math.pow((1 - c) / (1 + d), monthsLeft));
}
