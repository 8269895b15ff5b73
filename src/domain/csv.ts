// CSV import and export (README "CSV formats"), shared by the extension's import
// command and `loyal import` / `loyal export`. Import is all or nothing: planImport reads
// and checks every row against the book first and reports each bad row with its line in
// the file; only a plan without errors gets an `apply`, which makes the changes inside
// one store update. This module never touches the disk or the store itself.
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { restoreCell, spreadsheetSafeCell } from './csvCells';
import type { z } from 'zod';
import {
  Amount,
  Category,
  Cause,
  Channel,
  Currency,
  Day,
  ID_PREFIX,
  Severity,
  type CollectionName,
  type Customer,
  type LoyalFile,
  type RecordKind,
  type RecordOf,
  type RECORD_SCHEMAS,
} from './records';
import { instantOf } from './time';

export type ImportKind = 'customers' | 'purchases' | 'incidents';
export type ExportKind = ImportKind | 'followups';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'purchases', 'incidents'];
export const EXPORT_KINDS: readonly ExportKind[] = ['customers', 'purchases', 'incidents', 'followups'];

export const CSV_COLUMNS = {
  customers: ['customer_id', 'name', 'company', 'email', 'phone', 'address', 'tags', 'owner', 'source', 'referred_by', 'keep_in_touch_days'],
  purchases: ['customer_id', 'date', 'amount', 'currency', 'note'],
  incidents: ['customer_id', 'opened_at', 'channel', 'category', 'component', 'staff', 'severity', 'cause', 'tags', 'summary', 'resolved_at'],
  followups: ['customer_id', 'incident_id', 'kind', 'due', 'assignee', 'status', 'snoozed_until', 'satisfied', 'rating', 'comment', 'done_at', 'done_by'],
} as const satisfies Record<ExportKind, readonly string[]>;

export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: ['customer_id', 'name'],
  purchases: ['customer_id', 'date', 'amount'],
  incidents: ['customer_id', 'opened_at', 'category'],
};

/** Columns a file may carry besides the format's own: `name` names customers that --create-customers makes. */
const EXTRA_COLUMNS: Record<ImportKind, readonly string[]> = { customers: [], purchases: ['name'], incidents: ['name'] };

export interface ImportOptions {
  /** Create a customer for an unknown customer_id instead of refusing the row. */
  createCustomers?: boolean;
  /** Currency of purchases whose row leaves it empty (default EUR). */
  currency?: string;
  /** How many rows `preview` holds (default 10). */
  previewRows?: number;
}

export interface ImportProblem {
  /** 1-based line in the file where the row starts (the header is line 1). */
  line: number;
  column?: string;
  message: string;
}

type AuditKey = 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy';
/** A record to insert without its audit fields (same shape as the store's InsertInput). */
export type ImportInsertInput<C extends CollectionName> = Omit<z.input<(typeof RECORD_SCHEMAS)[C]>, AuditKey | 'id'> & { id?: string };

/** The part of the store's Transaction an import uses. */
export interface ImportTransaction {
  readonly file: LoyalFile;
  insert<C extends CollectionName>(collection: C, record: ImportInsertInput<C>): RecordOf<C>;
  patch<C extends CollectionName>(collection: C, id: string, changes: Partial<RecordOf<C>>): RecordOf<C>;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Customers made for unknown customer_id values (--create-customers); also counted in `created`. */
  customersCreated: number;
}

export interface ImportPlan {
  kind: ImportKind;
  /** Data rows read (blank lines not counted). */
  rows: number;
  errors: ImportProblem[];
  /** The header's column names, as read (trimmed, lower case). */
  columns: string[];
  /** The first rows as read, by column name. */
  preview: Array<Record<string, string>>;
  /** What apply will do, for a dry run or a confirmation. */
  summary: { create: number; update: number; customersToCreate: number };
  /** Present only when there is no error. Throws when the book changed so that a row no longer fits. */
  apply?: (tx: ImportTransaction) => ImportResult;
}

// ---------------------------------------------------------------------------------------
// Reading values

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads an ISO 8601 date and time. Without an offset it is local time and is written
 * with the local offset, so the hour on the clock when it happened is kept.
 * Returns undefined for anything that is not a real moment (2026-02-30T10:00).
 */
export function readInstant(text: string): string | undefined {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '00', , offset] = match;
  const day = `${y}-${mo}-${d}`;
  if (!Day.safeParse(day).success || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (offset) {
    const normal = offset.toUpperCase() === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const [oh, om] = normal === 'Z' ? [0, 0] : [Number(normal.slice(1, 3)), Number(normal.slice(4, 6))];
    if (oh > 23 || om > 59) return undefined;
    return `${day}T${h}:${mi}:${s}${normal}`;
  }
  return instantOf(new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

export const INSTANT_HINT = 'must be a date and time such as 2026-03-02T09:15 (local time) or 2026-03-02T09:15:00+01:00';

function message(schema: z.ZodType, value: string): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0].message;
}

function enumMessage(values: readonly string[]): string {
  return `must be one of ${values.join(', ')}`;
}

const splitList = (text: string): string[] => {
  const out: string[] = [];
  for (const part of text.split(';')) {
    const item = part.trim();
    if (item && !out.includes(item)) out.push(item);
  }
  return out;
};

const EMAIL = /^[^\s@]+@[^\s@]+$/;

// ---------------------------------------------------------------------------------------
// Reading the file

interface Row {
  /** Index of the record in the parsed file (the header is 0); turned into a line only for errors. */
  record: number;
  values: Record<string, string>;
}

interface ReadTable {
  columns: string[];
  rows: Row[];
  /** Problems whose `line` is still a record index (see lineOfRecord). */
  errors: ImportProblem[];
  /** The text as parsed, to find the lines of records with problems. */
  text: string;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

class NotCsv extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function readTable(kind: ImportKind, csvText: string): ReadTable {
  const errors: ImportProblem[] = [];
  let text = csvText.charCodeAt(0) === 0xfeff ? csvText.slice(1) : csvText;
  // One line ending throughout, so line numbers count what an editor shows.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  let records: string[][];
  try {
    // No `info` here: per-record info objects cost a third of a large import; lines are
    // worked out afterwards, only when some row has a problem.
    records = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    const at = (error as { lines?: number }).lines;
    const reason = (error as Error).message.replace(/^[A-Za-z ]+: /, '');
    throw new NotCsv(typeof at === 'number' ? at : 1, `the file is not valid CSV: ${reason}`);
  }
  if (records.length === 0) throw new NotCsv(1, 'the file is empty: a header row is required');

  const columns = records[0].map((name) => name.trim().toLowerCase());
  const known = new Set<string>([...CSV_COLUMNS[kind], ...EXTRA_COLUMNS[kind]]);
  const seen = new Set<string>();
  columns.forEach((name) => {
    if (!name) errors.push({ line: 0, message: 'a column of the header has no name' });
    else if (!known.has(name)) errors.push({ line: 0, column: name, message: `unknown column "${name}" (the ${kind} columns are ${CSV_COLUMNS[kind].join(', ')})` });
    else if (seen.has(name)) errors.push({ line: 0, column: name, message: `the column "${name}" appears twice` });
    seen.add(name);
  });
  for (const name of REQUIRED_COLUMNS[kind]) {
    if (!seen.has(name)) errors.push({ line: 0, column: name, message: `the required column "${name}" is missing` });
  }

  const rows: Row[] = [];
  const width = columns.length;
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record.every((value) => value.trim() === '')) continue;
    if (record.length !== width) {
      errors.push({ line: r, message: `the row has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${width}` });
    }
    const values: Record<string, string> = {};
    for (let c = 0; c < width; c++) values[columns[c]] = restoreCell(record[c] ?? '');
    rows.push({ record: r, values });
  }
  return { columns, rows, errors, text };
}

/** The line each record starts on, by record index: parsed again, with csv-parse's line info. */
function recordLines(text: string): number[] {
  // eslint-disable-next-line no-restricted-syntax -- csv-parse types the result as string[][] even with `info` and `raw`.
  const records = parse(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Array<{ raw: string; info: { lines: number } }>;
  return records.map(startLine);
}

/** The line a record starts on: csv-parse tells where it ends; a quoted field may hold newlines. */
function startLine(parsed: { raw: string; info: { lines: number } }): number {
  let raw = parsed.raw;
  if (raw.endsWith('\n')) raw = raw.slice(0, -1);
  let lead = 0;
  while (raw.charCodeAt(lead) === 10) lead++;
  return parsed.info.lines - countNewlines(lead ? raw.slice(lead) : raw);
}

// ---------------------------------------------------------------------------------------
// Customers by key

/** customer_id matches a customer's id first, then its external id. */
export class CustomerKeys {
  private readonly byKey = new Map<string, string>();
  constructor(customers: readonly Customer[]) {
    for (const customer of customers) if (customer.externalId !== undefined && !this.byKey.has(customer.externalId)) this.byKey.set(customer.externalId, customer.id);
    for (const customer of customers) this.byKey.set(customer.id, customer.id);
  }
  find(key: string): string | undefined {
    return this.byKey.get(key);
  }
}

/** The key a customer is exported under: the external id when it has one, else its id. */
export function customerKey(customer: Customer): string {
  return customer.externalId ?? customer.id;
}

// ---------------------------------------------------------------------------------------
// Planning

type Fields = Record<string, unknown>;

interface PlannedRow {
  line: number;
  key: string;
  /** Fields of the record to write; for customers, only the columns present. */
  fields: Fields;
  referredBy?: string;
}

interface RowReader {
  problems: ImportProblem[];
  line: number;
  values: Record<string, string>;
}

function fail(reader: RowReader, column: string, text: string): void {
  reader.problems.push({ line: reader.line, column, message: `${column}: ${text}` });
}

function cell(reader: RowReader, column: string): string | undefined {
  const value = reader.values[column];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function required(reader: RowReader, column: string): string | undefined {
  const value = cell(reader, column);
  if (value === undefined) fail(reader, column, 'is empty; a value is required');
  return value;
}

function checked(reader: RowReader, column: string, schema: z.ZodType, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = message(schema, value);
  if (problem) {
    fail(reader, column, `"${value}" ${problem}`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(reader: RowReader, column: string, values: readonly T[], value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase() as T;
  if (values.includes(lower)) return lower;
  fail(reader, column, `"${value}" ${enumMessage(values)}`);
  return undefined;
}

function instant(reader: RowReader, column: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const read = readInstant(value);
  if (!read) fail(reader, column, `"${value}" ${INSTANT_HINT}`);
  return read;
}

function text(reader: RowReader, column: string, max: number): string | undefined {
  const value = reader.values[column];
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > max) {
    fail(reader, column, `is longer than ${max} characters`);
    return undefined;
  }
  return value;
}

function readCustomerRow(reader: RowReader, present: Set<string>): Fields {
  const fields: Fields = {};
  const optionalText = (column: string, field: string, max: number): void => {
    if (present.has(column)) fields[field] = text(reader, column, max)?.trim();
  };
  const name = required(reader, 'name');
  if (name !== undefined) {
    if (name.length > 500) fail(reader, 'name', 'is longer than 500 characters');
    else fields.name = name;
  }
  optionalText('company', 'company', 500);
  if (present.has('email')) {
    const email = cell(reader, 'email');
    if (email !== undefined && !EMAIL.test(email)) fail(reader, 'email', `"${email}" is not an email address`);
    fields.email = email;
  }
  optionalText('phone', 'phone', 100);
  if (present.has('address')) fields.address = text(reader, 'address', 2000);
  if (present.has('tags')) {
    const tags = splitList(reader.values.tags ?? '');
    const long = tags.find((tag) => tag.length > 100);
    if (long) fail(reader, 'tags', `the tag "${long.slice(0, 20)}..." is longer than 100 characters`);
    fields.tags = tags;
  }
  optionalText('owner', 'owner', 200);
  optionalText('source', 'source', 200);
  if (present.has('keep_in_touch_days')) {
    const value = cell(reader, 'keep_in_touch_days');
    if (value !== undefined) {
      const days = Number(value);
      if (!/^\d+$/.test(value) || days < 1 || days > 3650) fail(reader, 'keep_in_touch_days', `"${value}" must be a whole number of days from 1 to 3650`);
      else fields.keepInTouchDays = days;
    } else fields.keepInTouchDays = undefined;
  }
  return fields;
}

function readPurchaseRow(reader: RowReader, defaultCurrency: string): Fields {
  const date = checked(reader, 'date', Day, required(reader, 'date'));
  const amountText = required(reader, 'amount');
  const amount = checked(reader, 'amount', Amount, amountText);
  const currencyText = cell(reader, 'currency');
  const currency = currencyText === undefined ? defaultCurrency : checked(reader, 'currency', Currency, currencyText.toUpperCase());
  const note = text(reader, 'note', 10_000);
  return { date, amount, currency, note };
}

function readIncidentRow(reader: RowReader): Fields {
  const openedAt = instant(reader, 'opened_at', required(reader, 'opened_at'));
  const channel = oneOf(reader, 'channel', Channel.options, cell(reader, 'channel')) ?? 'other';
  const category = oneOf(reader, 'category', Category.options, required(reader, 'category'));
  const component = text(reader, 'component', 200)?.trim();
  const staff = text(reader, 'staff', 200)?.trim();
  const severity = oneOf(reader, 'severity', Severity.options, cell(reader, 'severity')) ?? 'minor';
  const cause = oneOf(reader, 'cause', Cause.options, cell(reader, 'cause')) ?? 'unknown';
  const tags = splitList(reader.values.tags ?? '');
  const long = tags.find((tag) => tag.length > 100);
  if (long) fail(reader, 'tags', `the tag "${long.slice(0, 20)}..." is longer than 100 characters`);
  const summary = text(reader, 'summary', 10_000) ?? '';
  const resolvedAt = instant(reader, 'resolved_at', cell(reader, 'resolved_at'));
  if (openedAt && resolvedAt && Date.parse(resolvedAt) < Date.parse(openedAt)) fail(reader, 'resolved_at', 'is before opened_at');
  return { openedAt, channel, category, component, staff, severity, cause, summary, tags, resolvedAt };
}

/**
 * Reads a CSV file of customers, purchases or incidents and checks every row against the
 * book. The plan has an `apply` only when no row is bad: an import is all or nothing.
 */
export function planImport(kind: ImportKind, csvText: string, file: LoyalFile, options: ImportOptions = {}): ImportPlan {
  let table: ReadTable;
  try {
    table = readTable(kind, csvText);
  } catch (error) {
    if (!(error instanceof NotCsv)) throw error;
    const empty = { create: 0, update: 0, customersToCreate: 0 };
    return { kind, rows: 0, errors: [{ line: error.line, message: error.message }], columns: [], preview: [], summary: empty };
  }
  const errors = table.errors;
  const previewCount = options.previewRows ?? 10;
  const preview = table.rows.slice(0, previewCount).map((row) => row.values);
  const present = new Set(table.columns);
  const keys = new CustomerKeys(file.customers);
  const defaultCurrency = (options.currency ?? 'EUR').toUpperCase();
  const planned: PlannedRow[] = [];
  /** Unknown customers to create, by key, with the name they will get. */
  const newCustomers = new Map<string, string>();
  /** Record index of the row that first used each customer_id (customers import). */
  const firstLineOfKey = new Map<string, number>();
  const duplicates: Array<{ line: number; earlier: number; key: string }> = [];
  let create = 0;
  let update = 0;

  for (const row of table.rows) {
    const reader: RowReader = { problems: errors, line: row.record, values: row.values };
    const before = errors.length;
    const key = required(reader, 'customer_id');
    if (kind === 'customers') {
      const fields = readCustomerRow(reader, present);
      let referredBy: string | undefined;
      if (present.has('referred_by')) referredBy = cell(reader, 'referred_by') ?? '';
      if (key !== undefined) {
        const earlier = firstLineOfKey.get(key);
        if (earlier !== undefined) duplicates.push({ line: row.record, earlier, key });
        else firstLineOfKey.set(key, row.record);
        if (key.length > 200) fail(reader, 'customer_id', 'is longer than 200 characters');
      }
      if (errors.length === before && key !== undefined) {
        planned.push({ line: row.record, key, fields, referredBy });
        if (keys.find(key)) update++;
        else create++;
      }
      continue;
    }
    const fields = kind === 'purchases' ? readPurchaseRow(reader, defaultCurrency) : readIncidentRow(reader);
    if (key !== undefined && !keys.find(key)) {
      if (!options.createCustomers) fail(reader, 'customer_id', `no customer has the id or external id "${key}" (use --create-customers to create it)`);
      else if (key.length > 200) fail(reader, 'customer_id', 'is longer than 200 characters');
      else if (!newCustomers.has(key)) {
        const name = cell(reader, 'name') ?? key;
        if (name.length > 500) fail(reader, 'name', 'is longer than 500 characters');
        else newCustomers.set(key, name);
      }
    }
    if (errors.length === before && key !== undefined) {
      planned.push({ line: row.record, key, fields });
      create++;
    }
  }

  // Referrals may point at customers of the same file, so they are checked once all keys are known.
  if (kind === 'customers') {
    for (const row of planned) {
      const ref = row.referredBy;
      if (ref && !keys.find(ref) && !firstLineOfKey.has(ref)) {
        errors.push({ line: row.line, column: 'referred_by', message: `referred_by: no customer has the id or external id "${ref}"` });
      }
    }
  }

  if (errors.length || duplicates.length) {
    const lines = recordLines(table.text);
    for (const error of errors) error.line = lines[error.line];
    for (const d of duplicates) errors.push({ line: lines[d.line], column: 'customer_id', message: `customer_id: "${d.key}" is already on line ${lines[d.earlier]}` });
    errors.sort((a, b) => a.line - b.line);
  }
  const plan: ImportPlan = {
    kind,
    rows: table.rows.length,
    errors,
    columns: table.columns,
    preview,
    summary: { create: create + newCustomers.size, update, customersToCreate: newCustomers.size },
  };
  if (errors.length === 0) {
    const lineOf = (record: number): number => recordLines(table.text)[record];
    plan.apply = (tx) => (kind === 'customers' ? applyCustomers(tx, planned, lineOf) : applyRecords(tx, kind, planned, newCustomers, lineOf));
  }
  return plan;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const SORTABLE_SPAN = 36 ** 10;

/**
 * New ids in ascending order, in the format of newId: records are kept sorted by id, so
 * inserting them in this order appends instead of shifting a large array on every row.
 * One buffer of random bytes for all of them: tens of thousands of newId calls would
 * spend most of an import asking the system for 14 bytes at a time.
 */
export function sortedNewIds(kind: RecordKind, count: number): string[] {
  const bytes = randomBytes(count * 12);
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * 12;
    // 48 random bits x 12 + a bit more: below 36^10, so 10 base-36 digits that sort as numbers do.
    const high = bytes[o] * 2 ** 40 + bytes[o + 1] * 2 ** 32 + bytes.readUInt32BE(o + 2);
    keys[i] = (high * 12 + (bytes[o + 6] % 12)) % SORTABLE_SPAN;
  }
  keys.sort();
  const prefix = `${ID_PREFIX[kind]}_`;
  const ids: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * 12 + 7;
    let key = keys[i];
    let digits = '';
    // By hand: Number#toString(36) of a large double is slow in V8.
    for (let d = 0; d < 10; d++) {
      const next = Math.floor(key / 36);
      digits = ID_ALPHABET[key - next * 36] + digits;
      key = next;
    }
    ids[i] = prefix + digits + ID_ALPHABET[bytes[o] % 36] + ID_ALPHABET[bytes[o + 1] % 36] + ID_ALPHABET[bytes[o + 2] % 36] + ID_ALPHABET[bytes[o + 3] % 36];
  }
  return ids;
}

/** A copy without the undefined fields (no `delete`: it would make every record a slow dictionary object). */
function compact(fields: Fields): Fields {
  const out: Fields = {};
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

function applyCustomers(tx: ImportTransaction, planned: PlannedRow[], lineOf: (record: number) => number): ImportResult {
  const keys = new CustomerKeys(tx.file.customers);
  const fresh = planned.filter((row) => !keys.find(row.key));
  const ids = sortedNewIds('customer', fresh.length);
  const idOfKey = new Map<string, string>();
  fresh.forEach((row, i) => idOfKey.set(row.key, ids[i]));
  const resolve = (key: string): string | undefined => keys.find(key) ?? idOfKey.get(key);
  const current = new Map(tx.file.customers.map((customer) => [customer.id, customer]));
  let created = 0;
  let updated = 0;
  const referrals: Array<{ id: string; line: number; ref: string }> = [];
  for (const row of planned) {
    const existing = keys.find(row.key);
    if (row.referredBy) referrals.push({ id: existing ?? idOfKey.get(row.key)!, line: row.line, ref: row.referredBy });
    if (existing) {
      const changes: Fields = { ...row.fields };
      if (row.referredBy === '') changes.referredBy = undefined;
      const after = tx.patch('customers', existing, changes as Partial<Customer>);
      // The store hands back the same record when nothing changed.
      if (after !== current.get(existing)) updated++;
      current.set(existing, after);
    } else {
      const record = tx.insert('customers', compact({ id: idOfKey.get(row.key)!, externalId: row.key, tags: [], ...row.fields }) as ImportInsertInput<'customers'>);
      current.set(record.id, record);
      created++;
    }
  }
  for (const referral of referrals) {
    const target = resolve(referral.ref);
    if (!target) throw new Error(`line ${lineOf(referral.line)}: referred_by: no customer has the id or external id "${referral.ref}"`);
    if (current.get(referral.id)?.referredBy !== target) tx.patch('customers', referral.id, { referredBy: target });
  }
  return { created, updated, customersCreated: 0 };
}

function applyRecords(tx: ImportTransaction, kind: 'purchases' | 'incidents', planned: PlannedRow[], newCustomers: Map<string, string>, lineOf: (record: number) => number): ImportResult {
  const keys = new CustomerKeys(tx.file.customers);
  const toCreate = [...newCustomers].filter(([key]) => !keys.find(key));
  const customerIds = sortedNewIds('customer', toCreate.length);
  const created = new Map<string, string>();
  toCreate.forEach(([key, name], i) => {
    tx.insert('customers', { id: customerIds[i], externalId: key, name, tags: [] } as ImportInsertInput<'customers'>);
    created.set(key, customerIds[i]);
  });
  const ids = sortedNewIds(kind === 'purchases' ? 'purchase' : 'incident', planned.length);
  planned.forEach((row, i) => {
    const customerId = keys.find(row.key) ?? created.get(row.key);
    if (!customerId) throw new Error(`line ${lineOf(row.line)}: customer_id: no customer has the id or external id "${row.key}"`);
    const record = compact({ id: ids[i], customerId, ...row.fields });
    if (kind === 'purchases') tx.insert('purchases', record as ImportInsertInput<'purchases'>);
    else tx.insert('incidents', record as ImportInsertInput<'incidents'>);
  });
  return { created: planned.length + toCreate.length, updated: 0, customersCreated: toCreate.length };
}

// ---------------------------------------------------------------------------------------
// Export

function rowsOf(kind: ExportKind, file: LoyalFile): Array<Array<string | number>> {
  const byId = new Map(file.customers.map((customer) => [customer.id, customer]));
  const keyOf = (id: string | undefined): string => {
    if (!id) return '';
    const customer = byId.get(id);
    return customer ? customerKey(customer) : id;
  };
  const s = (value: string | number | undefined): string | number => value ?? '';
  switch (kind) {
    case 'customers':
      return file.customers.map((c) => [
        customerKey(c),
        c.name,
        s(c.company),
        s(c.email),
        s(c.phone),
        s(c.address),
        c.tags.join(';'),
        s(c.owner),
        s(c.source),
        keyOf(c.referredBy),
        s(c.keepInTouchDays),
      ]);
    case 'purchases':
      return file.purchases.map((p) => [keyOf(p.customerId), p.date, p.amount, p.currency, s(p.note)]);
    case 'incidents':
      return file.incidents.map((i) => [keyOf(i.customerId), i.openedAt, i.channel, i.category, s(i.component), s(i.staff), i.severity, i.cause, i.tags.join(';'), i.summary, s(i.resolvedAt)]);
    case 'followups':
      return file.followUps.map((f) => [
        keyOf(f.customerId),
        s(f.incidentId),
        f.kind,
        f.due,
        s(f.assignee),
        f.status,
        s(f.snoozedUntil),
        f.outcome ? (f.outcome.satisfied ? 'yes' : 'no') : '',
        s(f.outcome?.rating),
        s(f.outcome?.comment),
        s(f.doneAt),
        s(f.doneBy),
      ]);
  }
}

/** The rows an export writes, as objects keyed by column (for `loyal export --json`). */
export function exportRows(kind: ExportKind, file: LoyalFile): Array<Record<string, string | number>> {
  const columns = CSV_COLUMNS[kind];
  return rowsOf(kind, file).map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
}

/** The book's records of one kind as CSV text, header first, in the columns import reads. */
export function exportCsv(kind: ExportKind, file: LoyalFile): string {
  return stringify(rowsOf(kind, file), { header: true, columns: [...CSV_COLUMNS[kind]], record_delimiter: '\n', cast: { string: spreadsheetSafeCell } });
}
