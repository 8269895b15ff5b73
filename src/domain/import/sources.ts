// The exports owners already have, read as they are. Each source is recognised by the
// columns of its header (case-insensitive), reads its rows into a Batch, and keeps the
// quirks of its system:
// - Shopify orders: one row per line item; the order's own fields (Email, Financial Status,
//   Paid at, Total, Refunded Amount, Cancelled at, Billing ...) only on its first row;
//   grouped by Name (#1001). Paid orders are purchases net of refunds; cancelled, voided,
//   pending (and other unpaid) orders are left out and counted.
// - Stripe payments (unified payments export): only paid/succeeded charges, refunds net,
//   test-mode rows refused unless the user skips them.
// - Stripe customers, Shopify customers (both layouts), WooCommerce orders (Customer/Order
//   CSV Export), Zendesk tickets, Help Scout conversations, Freshdesk tickets.
import { fromCents, toCents } from '../money';
import type { Channel } from '../records';
import { countSkip, emptyBatch, type Batch, type BatchProblem, type CustomerRef, type SkipKind } from './batch';
import type { CsvTable } from './table';
import { plain, readAmount, readMoment, type DateFormat, type DecimalSeparator } from './values';

export const SOURCE_IDS = ['shopify-orders', 'shopify-customers', 'stripe-payments', 'stripe-customers', 'woocommerce-orders', 'zendesk', 'helpscout', 'freshdesk'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];
/** The systems `--source` names; one system may have several layouts (Shopify orders and customers). */
export const SYSTEMS = ['shopify', 'stripe', 'woocommerce', 'zendesk', 'helpscout', 'freshdesk'] as const;
export type SystemId = (typeof SYSTEMS)[number];

export interface ReadOptions {
  /** Currency when the file has none (default EUR). */
  currency?: string;
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
}

export interface SourceLayout {
  id: SourceId;
  system: SystemId;
  /** The name people know it by. */
  label: string;
  kind: Batch['kind'];
  /** Columns that identify the layout and that the reader needs. */
  required: readonly string[];
  read(rows: Rows, options: ReadOptions): Batch;
}

/** Cells by column name, case-insensitive, for a table. */
export class Rows {
  private readonly index = new Map<string, number>();
  constructor(readonly table: CsvTable) {
    table.header.forEach((name, i) => {
      const key = name.toLowerCase();
      if (!this.index.has(key)) this.index.set(key, i);
    });
  }
  has(column: string): boolean {
    return this.index.has(column.toLowerCase());
  }
  /** The cell, trimmed, without a leading text apostrophe; '' when empty or absent. */
  get(row: number, column: string): string {
    const i = this.index.get(column.toLowerCase());
    return i === undefined ? '' : plain(this.table.rows[row][i]);
  }
  raw(row: number, column: string): string {
    const i = this.index.get(column.toLowerCase());
    return i === undefined ? '' : (this.table.rows[row][i] ?? '');
  }
  line(row: number): number {
    return this.table.lines[row];
  }
  get count(): number {
    return this.table.rows.length;
  }
}

// ---------------------------------------------------------------------------------------
// Shared readers

class RowProblems {
  constructor(
    private readonly batch: Batch,
    private readonly line: number,
  ) {}
  failed = false;
  fail(column: string | undefined, message: string, skip?: SkipKind): void {
    const problem: BatchProblem = { line: this.line, message: column ? `${column}: ${message}` : message };
    if (column) problem.column = column;
    if (skip) problem.skip = skip;
    this.batch.problems.push(problem);
    this.failed = true;
  }
}

function amountOf(p: RowProblems, rows: Rows, row: number, column: string, options: ReadOptions, required = true): string | undefined {
  const text = rows.get(row, column);
  if (text === '') {
    if (required) p.fail(column, 'is empty; an amount is required');
    return required ? undefined : '0.00';
  }
  const amount = readAmount(text, options.decimal);
  if (amount === undefined) p.fail(column, `"${text}" is not an amount (such as 129.90 or 129,90)`);
  return amount;
}

function momentOf(p: RowProblems, rows: Rows, row: number, column: string, options: ReadOptions, required: boolean, utc = false): { day: string; instant: string } | undefined {
  const text = rows.get(row, column);
  if (text === '') {
    if (required) p.fail(column, 'is empty; a date is required');
    return undefined;
  }
  const moment = readMoment(text, options.dateFormat ?? 'YYYY-MM-DD', utc);
  if (!moment) p.fail(column, `"${text}" is not a date and time (such as 2025-10-07 09:50:26 +0200)`);
  return moment;
}

function currencyOf(p: RowProblems, text: string, options: ReadOptions): string | undefined {
  const code = text.trim().toUpperCase() || (options.currency ?? 'EUR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    p.fail('Currency', `"${text}" is not a three-letter currency code such as EUR`);
    return undefined;
  }
  return code;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function emailOf(p: RowProblems, text: string, column: string): string | undefined {
  const email = text.trim().toLowerCase();
  if (!email) return undefined;
  if (!EMAIL.test(email)) {
    p.fail(column, `"${text}" is not an email address`);
    return undefined;
  }
  return email;
}

/** The non-empty parts joined by ", " (an address from its columns). */
function joined(...parts: string[]): string | undefined {
  const kept = parts.map((part) => part.trim()).filter((part) => part !== '');
  return kept.length ? kept.join(', ') : undefined;
}

function splitTags(text: string, separator: RegExp): string[] {
  const out: string[] = [];
  for (const part of text.split(separator)) {
    // Zendesk tags are one word: late_delivery is the tag "late delivery".
    const tag = part.trim().replace(/_/g, ' ').slice(0, 100).trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

function noCustomer(p: RowProblems, what: string): void {
  p.fail(undefined, `the ${what} has no customer email or id: Loyal cannot tell whose it is`, 'no-customer');
}

function net(amount: string, refunded: string): string {
  return fromCents(toCents(amount) - toCents(refunded));
}

/** Lines of a Shopify order's items, for the purchase's note: "2 × Mug; 1 × Tea". */
function itemsNote(items: string[]): string | undefined {
  if (items.length === 0) return undefined;
  const text = items.join('; ');
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

function prefixed(system: string, id: string): string | undefined {
  const clean = id.trim();
  return clean ? `${system}:${clean}`.slice(0, 200) : undefined;
}

// ---------------------------------------------------------------------------------------
// Shopify

const SHOPIFY_PAID = new Set(['paid', 'partially_refunded', 'refunded', 'partially_paid']);

const shopifyOrders: SourceLayout = {
  id: 'shopify-orders',
  system: 'shopify',
  label: 'Shopify orders',
  kind: 'purchases',
  required: ['Name', 'Email', 'Financial Status', 'Paid at', 'Currency', 'Total', 'Lineitem quantity', 'Lineitem name'],
  read(rows, options) {
    const batch = emptyBatch('purchases', rows.count);
    // Orders by Name, each with the row that carries its own fields and its item lines.
    const orders = new Map<string, { first: number | undefined; firstLine: number; items: string[] }>();
    for (let r = 0; r < rows.count; r++) {
      const name = rows.get(r, 'Name');
      if (!name) {
        new RowProblems(batch, rows.line(r)).fail('Name', 'is empty; each row belongs to an order such as #1001');
        continue;
      }
      let order = orders.get(name);
      if (!order) orders.set(name, (order = { first: undefined, firstLine: rows.line(r), items: [] }));
      // Only an order's first row has its Financial Status; later rows are its other items.
      if (order.first === undefined && rows.get(r, 'Financial Status') !== '') order.first = r;
      const item = rows.get(r, 'Lineitem name');
      if (item) order.items.push(`${rows.get(r, 'Lineitem quantity') || '1'} × ${item}`);
    }
    for (const [name, order] of orders) {
      if (order.first === undefined) {
        new RowProblems(batch, order.firstLine).fail('Financial Status', `order ${name} has no row with its Financial Status (the export may have been cut)`);
        continue;
      }
      const r = order.first;
      const p = new RowProblems(batch, rows.line(r));
      const status = rows.get(r, 'Financial Status').toLowerCase().replace(/\s+/g, '_');
      if (rows.get(r, 'Cancelled at')) {
        countSkip(batch, 'cancelled');
        continue;
      }
      if (!SHOPIFY_PAID.has(status)) {
        countSkip(batch, status || 'unpaid');
        continue;
      }
      const total = amountOf(p, rows, r, 'Total', options);
      const refunded = amountOf(p, rows, r, 'Refunded Amount', options, false);
      const paid = momentOf(p, rows, r, rows.get(r, 'Paid at') ? 'Paid at' : 'Created at', options, true);
      const currency = currencyOf(p, rows.get(r, 'Currency'), options);
      const email = emailOf(p, rows.get(r, 'Email'), 'Email');
      if (!email && !p.failed) noCustomer(p, `order ${name}`);
      if (p.failed || !total || !refunded || !paid || !currency || !email) continue;
      const customer: CustomerRef = {
        email,
        name: rows.get(r, 'Billing Name') || rows.get(r, 'Shipping Name') || undefined,
        company: rows.get(r, 'Billing Company') || undefined,
        phone: rows.get(r, 'Billing Phone') || rows.get(r, 'Phone') || undefined,
        address: joined(
          rows.get(r, 'Billing Address1'),
          rows.get(r, 'Billing Address2'),
          `${rows.get(r, 'Billing Zip')} ${rows.get(r, 'Billing City')}`,
          rows.get(r, 'Billing Province'),
          rows.get(r, 'Billing Country'),
        ),
      };
      batch.purchases.push({ line: rows.line(r), key: `shopify:${name}`, customer, date: paid.day, amount: net(total, refunded), refunded, currency, note: itemsNote(order.items) });
    }
    return batch;
  },
};

const shopifyCustomers: SourceLayout = {
  id: 'shopify-customers',
  system: 'shopify',
  label: 'Shopify customers',
  kind: 'customers',
  required: ['First Name', 'Last Name', 'Email', 'Total Orders'],
  read(rows) {
    const batch = emptyBatch('customers', rows.count);
    // The 2023 layout names address columns "Default Address ..."; the older one does not.
    const a = (column: string): string => (rows.has(`Default Address ${column}`) ? `Default Address ${column}` : column);
    for (let r = 0; r < rows.count; r++) {
      const p = new RowProblems(batch, rows.line(r));
      const email = emailOf(p, rows.get(r, 'Email'), 'Email');
      const id = rows.get(r, 'Customer ID');
      const name = joined(rows.get(r, 'First Name'), rows.get(r, 'Last Name'))?.replace(', ', ' ');
      if (!email && !id && !p.failed) noCustomer(p, 'row');
      if (p.failed) continue;
      batch.customers.push({
        line: rows.line(r),
        externalId: id ? prefixed('shopify', id) : undefined,
        email,
        name: name ?? email,
        company: rows.get(r, a('Company')) || undefined,
        phone: rows.get(r, 'Phone') || rows.get(r, 'Default Address Phone') || undefined,
        address: joined(rows.get(r, a('Address1')), rows.get(r, a('Address2')), `${rows.get(r, a('Zip'))} ${rows.get(r, a('City'))}`, rows.get(r, a('Province Code')), rows.get(r, a('Country Code'))),
        tags: splitTags(rows.get(r, 'Tags'), /,/),
        notes: rows.raw(r, 'Note').trim() || undefined,
      });
    }
    return batch;
  },
};

// ---------------------------------------------------------------------------------------
// Stripe

const STRIPE_PAID = new Set(['paid', 'succeeded', 'refunded', 'partially refunded', 'partially_refunded']);

const stripePayments: SourceLayout = {
  id: 'stripe-payments',
  system: 'stripe',
  label: 'Stripe payments',
  kind: 'purchases',
  required: ['id', 'Created date (UTC)', 'Amount', 'Amount Refunded', 'Currency', 'Status'],
  read(rows, options) {
    const batch = emptyBatch('purchases', rows.count);
    const seen = new Map<string, number>();
    for (let r = 0; r < rows.count; r++) {
      const p = new RowProblems(batch, rows.line(r));
      const id = rows.get(r, 'id');
      if (!id) {
        p.fail('id', 'is empty; every charge has an id such as ch_3N...');
        continue;
      }
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        p.fail('id', `"${id}" is already on line ${earlier}`);
        continue;
      }
      seen.set(id, rows.line(r));
      const status = rows.get(r, 'Status').toLowerCase();
      if (!STRIPE_PAID.has(status)) {
        countSkip(batch, status || 'unpaid');
        continue;
      }
      if (rows.get(r, 'Captured').toLowerCase() === 'false') {
        countSkip(batch, 'uncaptured');
        continue;
      }
      if (rows.get(r, 'Mode').toLowerCase() === 'test') {
        p.fail('Mode', 'is a test-mode charge (skip test-mode rows to import the others)', 'test-mode');
        continue;
      }
      const amount = amountOf(p, rows, r, 'Amount', options);
      const refunded = amountOf(p, rows, r, 'Amount Refunded', options, false);
      const created = momentOf(p, rows, r, 'Created date (UTC)', options, true, true);
      const currency = currencyOf(p, rows.get(r, 'Currency'), options);
      const email = emailOf(p, rows.get(r, 'Customer Email'), 'Customer Email');
      const customerId = rows.get(r, 'Customer ID');
      if (!email && !customerId && !p.failed) noCustomer(p, `charge ${id}`);
      if (p.failed || !amount || !refunded || !created || !currency) continue;
      const customer: CustomerRef = { externalId: customerId || undefined, email, name: rows.get(r, 'Customer Description') || rows.get(r, 'Card Name') || undefined };
      batch.purchases.push({ line: rows.line(r), key: `stripe:${id}`, customer, date: created.day, amount: net(amount, refunded), refunded, currency, note: rows.get(r, 'Description') || undefined });
    }
    return batch;
  },
};

const stripeCustomers: SourceLayout = {
  id: 'stripe-customers',
  system: 'stripe',
  label: 'Stripe customers',
  kind: 'customers',
  required: ['id', 'Email', 'Created (UTC)'],
  read(rows) {
    const batch = emptyBatch('customers', rows.count);
    for (let r = 0; r < rows.count; r++) {
      const p = new RowProblems(batch, rows.line(r));
      const id = rows.get(r, 'id');
      const email = emailOf(p, rows.get(r, 'Email'), 'Email');
      if (!id) p.fail('id', 'is empty; every Stripe customer has an id such as cus_...');
      if (p.failed) continue;
      batch.customers.push({
        line: rows.line(r),
        externalId: id,
        email,
        name: rows.get(r, 'Name') || rows.get(r, 'Description') || email || id,
        phone: rows.get(r, 'Phone') || undefined,
        address: joined(
          rows.get(r, 'Address Line1'),
          rows.get(r, 'Address Line2'),
          `${rows.get(r, 'Address Zip')} ${rows.get(r, 'Address City')}`,
          rows.get(r, 'Address State'),
          rows.get(r, 'Address Country'),
        ),
      });
    }
    return batch;
  },
};

// ---------------------------------------------------------------------------------------
// WooCommerce (the Customer/Order CSV Export layout, one row per order or per item)

const WOO_PAID = new Set(['completed', 'processing', 'refunded', 'wc-completed', 'wc-processing', 'wc-refunded']);

const wooOrders: SourceLayout = {
  id: 'woocommerce-orders',
  system: 'woocommerce',
  label: 'WooCommerce orders',
  kind: 'purchases',
  required: ['order_id', 'order_date', 'status', 'order_total', 'billing_email'],
  read(rows, options) {
    const batch = emptyBatch('purchases', rows.count);
    const seen = new Set<string>();
    for (let r = 0; r < rows.count; r++) {
      const p = new RowProblems(batch, rows.line(r));
      const id = rows.get(r, 'order_id');
      if (!id) {
        p.fail('order_id', 'is empty');
        continue;
      }
      // One row per item repeats the order: the first row stands for it.
      if (seen.has(id)) continue;
      seen.add(id);
      const status = rows.get(r, 'status').toLowerCase();
      if (!WOO_PAID.has(status)) {
        countSkip(batch, status.replace(/^wc-/, '') || 'unpaid');
        continue;
      }
      const total = amountOf(p, rows, r, 'order_total', options);
      const refunded = amountOf(p, rows, r, 'refunded_total', options, false);
      const date = momentOf(p, rows, r, rows.get(r, 'paid_date') ? 'paid_date' : 'order_date', options, true);
      const currency = currencyOf(p, rows.get(r, 'order_currency'), options);
      const email = emailOf(p, rows.get(r, 'billing_email'), 'billing_email');
      const customerId = rows.get(r, 'customer_id');
      if (!email && !p.failed) noCustomer(p, `order ${id}`);
      if (p.failed || !total || !refunded || !date || !currency || !email) continue;
      const customer: CustomerRef = {
        externalId: customerId && customerId !== '0' ? prefixed('woocommerce', customerId) : undefined,
        email,
        name: rows.get(r, 'billing_full_name') || joined(rows.get(r, 'billing_first_name'), rows.get(r, 'billing_last_name'))?.replace(', ', ' '),
        company: rows.get(r, 'billing_company') || undefined,
        phone: rows.get(r, 'billing_phone') || undefined,
        address: joined(
          rows.get(r, 'billing_address_1'),
          rows.get(r, 'billing_address_2'),
          `${rows.get(r, 'billing_postcode')} ${rows.get(r, 'billing_city')}`,
          rows.get(r, 'billing_state'),
          rows.get(r, 'billing_country'),
        ),
      };
      const number = rows.get(r, 'order_number') || id;
      batch.purchases.push({ line: rows.line(r), key: `woocommerce:${id}`, customer, date: date.day, amount: net(total, refunded), refunded, currency, note: `Order ${number}` });
    }
    return batch;
  },
};

// ---------------------------------------------------------------------------------------
// Help desks to incidents

function channelOf(text: string): Channel {
  const via = text.toLowerCase();
  if (/chat|messag|widget/.test(via)) return 'chat';
  if (/phone|call|voice|sms/.test(via)) return 'phone';
  if (/twitter|facebook|instagram|whatsapp|social|x corp/.test(via)) return 'social';
  if (/mail|web|portal|form|help ?center|api/.test(via)) return 'email';
  if (/walk|in.?person|desk/.test(via)) return 'in-person';
  return 'other';
}

function minutesAfter(instant: string, minutes: string): string | undefined {
  const n = Number(minutes.replace(',', '.'));
  if (!minutes || !Number.isFinite(n) || n < 0) return undefined;
  const offset = /([+-]\d{2}:\d{2}|Z)$/.exec(instant)?.[1] ?? 'Z';
  const at = new Date(Date.parse(instant) + Math.round(n) * 60_000);
  if (offset === 'Z') return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sign = offset.startsWith('-') ? -1 : 1;
  const shift = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(at.getTime() + shift * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

interface TicketColumns {
  id: string;
  created: string;
  solved: string[];
  firstReplyAt?: string;
  firstReplyMinutes?: string;
  staff: string;
  channel: string;
  tags: string;
  tagSeparator: RegExp;
  summary: string;
  email: string;
  name: string;
  company?: string;
  customerId?: string;
  rating?: string;
  ratingComment?: string;
  /** A rating to a satisfaction outcome, or undefined when there is no answer. */
  satisfied(text: string): boolean | undefined;
}

function readTickets(system: SystemId, columns: TicketColumns, rows: Rows, options: ReadOptions): Batch {
  const batch = emptyBatch('incidents', rows.count);
  const seen = new Map<string, number>();
  for (let r = 0; r < rows.count; r++) {
    const p = new RowProblems(batch, rows.line(r));
    const id = rows.get(r, columns.id);
    if (!id) {
      p.fail(columns.id, 'is empty');
      continue;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      p.fail(columns.id, `"${id}" is already on line ${earlier}`);
      continue;
    }
    seen.set(id, rows.line(r));
    const opened = momentOf(p, rows, r, columns.created, options, true);
    const solvedColumn = columns.solved.find((column) => rows.get(r, column) !== '');
    const solved = solvedColumn ? momentOf(p, rows, r, solvedColumn, options, false) : undefined;
    let firstResponseAt: string | undefined;
    if (columns.firstReplyAt && rows.get(r, columns.firstReplyAt)) firstResponseAt = momentOf(p, rows, r, columns.firstReplyAt, options, false)?.instant;
    else if (columns.firstReplyMinutes && opened) firstResponseAt = minutesAfter(opened.instant, rows.get(r, columns.firstReplyMinutes));
    const email = emailOf(p, rows.get(r, columns.email), columns.email);
    const customerId = columns.customerId ? rows.get(r, columns.customerId) : '';
    if (!email && !customerId && !p.failed) noCustomer(p, `ticket ${id}`);
    if (opened && solved && Date.parse(solved.instant) < Date.parse(opened.instant)) p.fail(solvedColumn, 'is before the ticket was created');
    if (p.failed || !opened) continue;
    const satisfied = columns.rating ? columns.satisfied(rows.get(r, columns.rating)) : undefined;
    const comment = columns.ratingComment ? rows.raw(r, columns.ratingComment).trim() : '';
    batch.incidents.push({
      line: rows.line(r),
      key: `${system}:${id}`,
      customer: {
        externalId: customerId ? prefixed(system, customerId) : undefined,
        email,
        name: rows.get(r, columns.name) || undefined,
        company: columns.company ? rows.get(r, columns.company) || undefined : undefined,
      },
      openedAt: opened.instant,
      channel: channelOf(rows.get(r, columns.channel)),
      staff: rows.get(r, columns.staff).slice(0, 200) || undefined,
      tags: splitTags(rows.get(r, columns.tags), columns.tagSeparator),
      summary: rows.raw(r, columns.summary).trim().slice(0, 10_000),
      resolvedAt: solved?.instant,
      firstResponseAt,
      satisfaction: satisfied === undefined ? undefined : { satisfied, comment: comment ? comment.slice(0, 10_000) : undefined },
    });
  }
  return batch;
}

const zendesk: SourceLayout = {
  id: 'zendesk',
  system: 'zendesk',
  label: 'Zendesk tickets',
  kind: 'incidents',
  required: ['Id', 'Requester', 'Subject', 'Created at', 'Via'],
  read: (rows, options) =>
    readTickets(
      'zendesk',
      {
        id: 'Id',
        created: 'Created at',
        solved: ['Solved at'],
        firstReplyMinutes: 'First reply time in minutes',
        staff: 'Assignee',
        channel: 'Via',
        tags: 'Tags',
        // Zendesk separates tags with spaces (a tag is one word, with underscores).
        tagSeparator: /\s+/,
        summary: 'Subject',
        email: 'Requester email',
        name: 'Requester',
        company: 'Organization',
        customerId: 'Requester id',
        rating: 'Satisfaction Score',
        ratingComment: 'Satisfaction Comment',
        satisfied: (text) => (/^good/i.test(text) ? true : /^bad/i.test(text) ? false : undefined),
      },
      rows,
      options,
    ),
};

const helpscout: SourceLayout = {
  id: 'helpscout',
  system: 'helpscout',
  label: 'Help Scout conversations',
  kind: 'incidents',
  required: ['Conversation ID', 'Customer Email', 'Subject', 'Created At'],
  read: (rows, options) =>
    readTickets(
      'helpscout',
      {
        id: 'Conversation ID',
        created: 'Created At',
        solved: ['Closed At'],
        firstReplyAt: 'First Response At',
        staff: 'Assigned To',
        channel: 'Type',
        tags: 'Tags',
        tagSeparator: /,/,
        summary: 'Subject',
        email: 'Customer Email',
        name: 'Customer Name',
        rating: 'Rating',
        ratingComment: 'Rating Comment',
        satisfied: (text) => (/^(great|okay|ok)$/i.test(text) ? true : /^not ?good$/i.test(text) ? false : undefined),
      },
      rows,
      options,
    ),
};

const freshdesk: SourceLayout = {
  id: 'freshdesk',
  system: 'freshdesk',
  label: 'Freshdesk tickets',
  kind: 'incidents',
  required: ['Ticket ID', 'Subject', 'Created time', 'Source'],
  read: (rows, options) =>
    readTickets(
      'freshdesk',
      {
        id: 'Ticket ID',
        created: 'Created time',
        solved: ['Resolved time', 'Closed time'],
        firstReplyAt: 'Initial response time',
        staff: 'Agent',
        channel: 'Source',
        tags: 'Tags',
        tagSeparator: /,/,
        summary: 'Subject',
        email: 'Email',
        name: 'Full name',
        company: 'Company Name',
        customerId: 'Contact ID',
        rating: 'Survey results',
        satisfied: (text) => (/^(extremely )?happy$|^awesome$|^satisfied$/i.test(text) ? true : /unhappy|not good|dissatisfied/i.test(text) ? false : undefined),
      },
      rows,
      options,
    ),
};

/** In detection order: the more specific layout first. */
export const SOURCES: readonly SourceLayout[] = [shopifyOrders, shopifyCustomers, stripePayments, stripeCustomers, wooOrders, zendesk, helpscout, freshdesk];

export function sourceById(id: SourceId): SourceLayout {
  return SOURCES.find((s) => s.id === id)!;
}

/** The layout whose columns the header has, or undefined. */
export function detectSource(header: readonly string[], system?: SystemId): SourceLayout | undefined {
  const names = new Set(header.map((name) => name.trim().toLowerCase()));
  return SOURCES.find((source) => (!system || source.system === system) && source.required.every((column) => names.has(column.toLowerCase())));
}

/** The columns a layout of the system needs that the header lacks (the closest layout first). */
export function missingColumns(header: readonly string[], system: SystemId): { source: SourceLayout; missing: string[] } {
  const names = new Set(header.map((name) => name.trim().toLowerCase()));
  const candidates = SOURCES.filter((s) => s.system === system).map((source) => ({ source, missing: source.required.filter((c) => !names.has(c.toLowerCase())) }));
  return candidates.sort((a, b) => a.missing.length - b.missing.length)[0];
}
