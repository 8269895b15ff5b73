// The LTV engine's input from a data file: shared by the extension (through the worker)
// and the `loyal` CLI, so both estimate from exactly the same numbers.
import { toCents } from '../money';
import type { LoyalFile } from '../records';
import type { LtvInput, LtvSettings } from './types';

/** The settings a user chooses (`loyal.ltv.*` or the CLI's flags); the churn threshold is fixed. */
export type LtvUserSettings = Omit<LtvSettings, 'minCancelledForChurn'>;

/**
 * 20 cancellations before the book's own churn replaces the setting: fewer make the
 * measured rate swing by more than the setting's own uncertainty.
 */
export const MIN_CANCELLED_FOR_CHURN = 20;

export function ltvInputFromFile(file: LoyalFile, settings: LtvUserSettings, asOf: string): LtvInput {
  return {
    asOf,
    customerIds: file.customers.map((c) => c.id),
    purchases: file.purchases.map((p) => ({ customerId: p.customerId, date: p.date, amount: toCents(p.amount) / 100 })),
    subscriptions: file.subscriptions.map((s) => ({
      customerId: s.customerId,
      amountPerPeriod: toCents(s.amount) / 100,
      period: s.period,
      start: s.start,
      end: s.end,
      grossMargin: s.grossMargin,
    })),
    settings: { ...settings, minCancelledForChurn: MIN_CANCELLED_FOR_CHURN },
  };
}
