// What every source reads its file into, before it meets the book: customers, purchases
// (net of refunds) and incidents, each with the key it has in its system and the line it
// came from, plus the rows left out and why.
import type { Category, Channel } from '../records';

export interface CustomerRef {
  /** The customer's key in its system (Stripe's cus_..., "shopify:7012...") */
  externalId?: string;
  /** Lower case; matched case-insensitively. */
  email?: string;
  name?: string;
  company?: string;
  phone?: string;
  address?: string;
  tags?: string[];
  notes?: string;
}

export interface BatchCustomer extends CustomerRef {
  line: number;
}

export interface BatchPurchase {
  line: number;
  /** The order or charge id, kept on the purchase as its externalId ("shopify:#1001"). */
  key: string;
  customer: CustomerRef;
  date: string;
  /** Net of refunds: what the customer paid and kept paid. */
  amount: string;
  /** The refunded part ("0.00" when none). */
  refunded: string;
  currency: string;
  note?: string;
}

export interface BatchIncident {
  line: number;
  /** The ticket or conversation id ("zendesk:4521"). */
  key: string;
  customer: CustomerRef;
  openedAt: string;
  channel: Channel;
  /** Set by a mapping of Loyal's own columns; help desks leave it to the tag mapping. */
  category?: Category;
  staff?: string;
  severity?: 'minor' | 'major' | 'critical';
  cause?: 'preventable' | 'unforeseeable' | 'unknown';
  component?: string;
  tags: string[];
  summary: string;
  resolvedAt?: string;
  firstResponseAt?: string;
  /** The help desk's satisfaction rating, kept as a done satisfaction check. */
  satisfaction?: { satisfied: boolean; comment?: string };
}

/** Rows a user may choose to leave out (counted), instead of the whole import being refused. */
export const SKIP_KINDS = ['test-mode', 'no-customer'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

export interface BatchProblem {
  line: number;
  column?: string;
  message: string;
  /** Set when the row may be skipped by choice (then it is counted instead). */
  skip?: SkipKind;
}

export interface Batch {
  kind: 'customers' | 'purchases' | 'incidents';
  /** Data rows read. */
  rows: number;
  customers: BatchCustomer[];
  purchases: BatchPurchase[];
  incidents: BatchIncident[];
  problems: BatchProblem[];
  /** Rows left out by rule (cancelled, pending, failed...) or by choice (test mode), by reason. */
  skipped: Record<string, number>;
}

export function emptyBatch(kind: Batch['kind'], rows: number): Batch {
  return { kind, rows, customers: [], purchases: [], incidents: [], problems: [], skipped: {} };
}

export function countSkip(batch: Batch, reason: string): void {
  batch.skipped[reason] = (batch.skipped[reason] ?? 0) + 1;
}
