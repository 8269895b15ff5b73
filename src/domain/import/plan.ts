// Planning an import from any file owners have: decode, read the table, recognise the
// source (or read it through the user's column mapping), then meet the book: customers
// matched by external id, then by email (case-insensitive), else created; purchases and
// incidents keyed by the source's order / charge / ticket id, kept on the record, so a
// second import of the same file (or of an overlapping later export) adds nothing.
// All or nothing: the plan has an `apply` only when no row is wrong; rows of a named kind
// (test-mode charges, rows without a customer) may be skipped by choice, and are counted.
import type { ImportInsertInput, ImportProblem, ImportTransaction } from '../csv';
import { CSV_COLUMNS, sortedNewIds } from '../csv';
import type { Category, Customer, LoyalFile } from '../records';
import { countSkip, type Batch, type CustomerRef, type SkipKind } from './batch';
import { decodeBytes, type TextEncoding } from './decode';
import { dateFormatsOf, decimalOf, guessMapping, headerSignature, mappingProblems, readMapped, type ColumnMapping, type MappedKind, type MappingChoice } from './mapping';
import { detectSource, missingColumns, Rows, SOURCES, type SourceId, type SystemId } from './sources';
import { NotCsvError, readCsv, type CsvTable, type Separator } from './table';
import type { DateFormat, DecimalSeparator } from './values';

export interface FileImportOptions {
  /** `auto` (default) recognises the layout from the header; a system only looks at its layouts. */
  source?: 'auto' | SystemId;
  /** Read the file through this mapping instead (any other CSV). */
  mapping?: MappingChoice;
  encoding?: TextEncoding;
  separator?: Separator;
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
  /** Currency of rows that have none (default EUR). */
  currency?: string;
  /** Row kinds to leave out (counted) instead of refusing the import. */
  skip?: readonly SkipKind[];
  /** Help desks: tag -> category, as the user confirmed it. */
  categories?: Readonly<Record<string, Category>>;
  /** How many records the preview holds (default 20). */
  previewRows?: number;
}

export interface ImportSummary {
  /** Customers to create. */
  created: number;
  /** Customers of the book the file's rows belong to. */
  matched: number;
  /** Purchases to add. */
  purchases: number;
  /** Orders and charges with a refund netted against them (refunded in full, they are skipped instead: nothing was bought). */
  refunds: number;
  /** Incidents to add. */
  incidents: number;
  /** Done satisfaction checks made from help-desk ratings. */
  satisfactionChecks: number;
  /** Records already imported whose values changed in the source (a later refund, a ticket since solved). */
  updated: number;
  /** Records already imported, left as they are. */
  unchanged: number;
  /** Rows left out, by reason (cancelled, pending, test-mode, ...). */
  skipped: Record<string, number>;
  /** Incidents whose tags map to no category (they get `other`). */
  otherCategory: number;
}

export interface PreviewRecord {
  /** `new`, `matched` (customers), `new`, `update`, `unchanged` (purchases, incidents). */
  status: 'new' | 'matched' | 'update' | 'unchanged';
  line: number;
  values: Record<string, string>;
}

export interface TagUse {
  tag: string;
  count: number;
  /** The category the user chose, else undefined (`other`). */
  category?: Category;
  /** Loyal's guess from the words of the tag, to offer. */
  guess?: Category;
}

export interface FilePlan {
  /** The layout read: a source, `mapped` (through a mapping), `loyal` (Loyal's own columns) or undefined (unknown). */
  source: SourceId | 'mapped' | 'loyal' | undefined;
  sourceLabel: string;
  kind: MappedKind | undefined;
  encoding: TextEncoding;
  separator: Separator;
  header: string[];
  signature: string;
  rows: number;
  errors: ImportProblem[];
  /** For an unknown layout: the guessed mapping for each kind and the date formats still possible. */
  guesses?: Record<MappedKind, ColumnMapping>;
  dateFormats?: DateFormat[];
  decimal?: DecimalSeparator;
  previewColumns: string[];
  preview: PreviewRecord[];
  summary: ImportSummary;
  tags: TagUse[];
  /** The raw first rows, by column, for the mapping step. */
  sample: string[][];
  /** Present only when nothing is wrong. Throws when the book changed so that a record no longer fits. */
  apply?: (tx: ImportTransaction) => ImportSummary;
}

const emptySummary = (): ImportSummary => ({ created: 0, matched: 0, purchases: 0, refunds: 0, incidents: 0, satisfactionChecks: 0, updated: 0, unchanged: 0, skipped: {}, otherCategory: 0 });

/** Which of Loyal's own formats a header is, if it is one (every column is one of Loyal's). */
export function loyalKindOf(header: readonly string[]): MappedKind | undefined {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('customer_id')) return undefined;
  for (const kind of ['purchases', 'incidents', 'customers'] as const) {
    const known = new Set<string>([...CSV_COLUMNS[kind], 'name']);
    const needs = kind === 'purchases' ? ['date', 'amount'] : kind === 'incidents' ? ['opened_at'] : ['name'];
    if (needs.every((n) => names.includes(n)) && names.every((n) => known.has(n))) return kind;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Tags to categories

const CATEGORY_WORDS: Array<[Category, RegExp]> = [
  ['timeliness', /late|delay|slow|wait|shipping|delivery|livraison|retard|ritardo|consegna|spedizione|on.?time|overdue/i],
  ['product', /broken|defect|damag|bug|crash|quality|faulty|wrong.?item|missing.?item|size|casse|defaut|difetto|rotto|qualit/i],
  ['people', /rude|attitude|staff|agent|unfriendly|impoli|rude|scortese|personnel|personale|behaviou?r/i],
  ['process', /refund|billing|invoice|payment|charge|return|account|password|login|rembours|factur|rimborso|fattur|pagamento|process|policy/i],
];

export function guessCategory(tag: string): Category | undefined {
  return CATEGORY_WORDS.find(([, words]) => words.test(tag))?.[0];
}

// ---------------------------------------------------------------------------------------
// Customers

interface NewCustomer {
  ref: CustomerRef;
}

type Match = { existing: string } | { fresh: NewCustomer };

/** Matches customer references to the book: external id (or Loyal id), then email, else a new customer (shared by rows that name the same one). */
class CustomerMatcher {
  private readonly byExternal = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();
  private readonly freshByExternal = new Map<string, NewCustomer>();
  private readonly freshByEmail = new Map<string, NewCustomer>();
  readonly fresh: NewCustomer[] = [];
  readonly matched = new Set<string>();
  readonly customers: Map<string, Customer>;

  constructor(customers: readonly Customer[]) {
    this.customers = new Map(customers.map((c) => [c.id, c]));
    for (const c of customers) {
      if (c.externalId && !this.byExternal.has(c.externalId)) this.byExternal.set(c.externalId, c.id);
      const email = c.email?.trim().toLowerCase();
      if (email && !this.byEmail.has(email)) this.byEmail.set(email, c.id);
    }
    for (const c of customers) this.byExternal.set(c.id, c.id);
  }

  resolve(ref: CustomerRef): Match {
    const byId = ref.externalId ? this.byExternal.get(ref.externalId) : undefined;
    const existing = byId ?? (ref.email ? this.byEmail.get(ref.email) : undefined);
    if (existing) {
      this.matched.add(existing);
      return { existing };
    }
    let fresh = (ref.externalId ? this.freshByExternal.get(ref.externalId) : undefined) ?? (ref.email ? this.freshByEmail.get(ref.email) : undefined);
    if (!fresh) {
      fresh = { ref: { ...ref } };
      this.fresh.push(fresh);
    } else {
      // A later row may know more about the same customer (a name, a phone).
      for (const key of ['externalId', 'email', 'name', 'company', 'phone', 'address', 'notes'] as const) if (!fresh.ref[key] && ref[key]) fresh.ref[key] = ref[key];
    }
    if (fresh.ref.externalId) this.freshByExternal.set(fresh.ref.externalId, fresh);
    if (fresh.ref.email) this.freshByEmail.set(fresh.ref.email, fresh);
    return { fresh };
  }
}

/** What a matched customer gets from the file: only what the book leaves empty (a person's edits win), and tags added. */
function fillsFor(customer: Customer, ref: CustomerRef): Partial<Customer> {
  const changes: Partial<Customer> = {};
  if (ref.externalId && !customer.externalId) changes.externalId = ref.externalId;
  if (ref.email && !customer.email) changes.email = ref.email;
  if (ref.company && !customer.company) changes.company = ref.company.slice(0, 500);
  if (ref.phone && !customer.phone) changes.phone = ref.phone.slice(0, 100);
  if (ref.address && !customer.address) changes.address = ref.address.slice(0, 2000);
  if (ref.notes && !customer.notes) changes.notes = ref.notes.slice(0, 10_000);
  const tags = (ref.tags ?? []).filter((t) => !customer.tags.includes(t));
  if (tags.length) changes.tags = [...customer.tags, ...tags];
  return changes;
}

function newCustomerRecord(id: string, ref: CustomerRef): Record<string, unknown> {
  const record: Record<string, unknown> = { id, name: (ref.name || ref.email || ref.externalId || 'Customer').slice(0, 500), tags: ref.tags ?? [] };
  if (ref.externalId) record.externalId = ref.externalId;
  if (ref.email) record.email = ref.email;
  if (ref.company) record.company = ref.company.slice(0, 500);
  if (ref.phone) record.phone = ref.phone.slice(0, 100);
  if (ref.address) record.address = ref.address.slice(0, 2000);
  if (ref.notes) record.notes = ref.notes.slice(0, 10_000);
  return record;
}

// ---------------------------------------------------------------------------------------
// Meeting the book

interface Meeting {
  summary: ImportSummary;
  preview: PreviewRecord[];
  tags: TagUse[];
}

function categoryOf(tags: readonly string[], categories: Readonly<Record<string, Category>>): Category | undefined {
  for (const tag of tags) {
    const category = categories[tag] ?? categories[tag.toLowerCase()];
    if (category) return category;
  }
  return undefined;
}

function nameOf(ref: CustomerRef): string {
  return ref.name || ref.email || ref.externalId || '';
}

/**
 * Matches the batch with the book. With a transaction, writes it too; without, only counts
 * (the plan's summary and preview come from the same code that applies it).
 */
function meet(batch: Batch, file: LoyalFile, options: FileImportOptions, tx?: ImportTransaction): Meeting {
  const summary = emptySummary();
  summary.skipped = { ...batch.skipped };
  const previewCount = options.previewRows ?? 20;
  const preview: PreviewRecord[] = [];
  const matcher = new CustomerMatcher(file.customers);
  const categories = options.categories ?? {};
  const show = (record: PreviewRecord): void => void (preview.length < previewCount && preview.push(record));

  // Customers first, so the rows of purchases and incidents can point at them.
  const matches = new Map<object, Match>();
  for (const row of batch.customers) matches.set(row, matcher.resolve(row));
  for (const row of batch.purchases) matches.set(row, matcher.resolve(row.customer));
  for (const row of batch.incidents) matches.set(row, matcher.resolve(row.customer));
  summary.created = matcher.fresh.length;
  summary.matched = matcher.matched.size;

  const freshIds = new Map<NewCustomer, string>();
  if (tx) {
    const ids = sortedNewIds('customer', matcher.fresh.length);
    matcher.fresh.forEach((fresh, i) => {
      freshIds.set(fresh, ids[i]);
      tx.insert('customers', newCustomerRecord(ids[i], fresh.ref) as ImportInsertInput<'customers'>);
    });
  }
  const customerIdOf = (match: Match): string => ('existing' in match ? match.existing : freshIds.get(match.fresh)!);

  for (const row of batch.customers) {
    const match = matches.get(row)!;
    if ('existing' in match) {
      const current = matcher.customers.get(match.existing)!;
      const changes = fillsFor(current, row);
      if (Object.keys(changes).length) {
        summary.updated++;
        matcher.customers.set(match.existing, tx ? tx.patch('customers', match.existing, changes) : { ...current, ...changes });
      } else summary.unchanged++;
      show({
        status: 'matched',
        line: row.line,
        values: { name: current.name, email: row.email ?? '', company: row.company ?? '', phone: row.phone ?? '', address: row.address ?? '', tags: (row.tags ?? []).join('; ') },
      });
    } else {
      show({
        status: 'new',
        line: row.line,
        values: { name: nameOf(match.fresh.ref), email: row.email ?? '', company: row.company ?? '', phone: row.phone ?? '', address: row.address ?? '', tags: (row.tags ?? []).join('; ') },
      });
    }
  }

  if (batch.purchases.length) {
    const existing = new Map<string, LoyalFile['purchases'][number]>();
    for (const p of file.purchases) if (p.externalId) existing.set(p.externalId, p);
    const fresh = batch.purchases.filter((row) => !existing.has(row.key) && row.amount !== '0.00');
    const ids = tx ? sortedNewIds('purchase', fresh.length) : [];
    let next = 0;
    for (const row of batch.purchases) {
      const match = matches.get(row)!;
      const who = 'existing' in match ? (matcher.customers.get(match.existing)?.name ?? '') : nameOf(match.fresh.ref);
      const refunded = row.refunded !== '0.00';
      const before = existing.get(row.key);
      let status: PreviewRecord['status'];
      if (before) {
        const changed = before.amount !== row.amount || before.date !== row.date || before.currency !== row.currency;
        status = changed ? 'update' : 'unchanged';
        if (changed) {
          summary.updated++;
          if (refunded) summary.refunds++;
          if (tx) tx.patch('purchases', before.id, { amount: row.amount, date: row.date, currency: row.currency });
        } else summary.unchanged++;
      } else if (row.amount === '0.00') {
        // Refunded in full (or free): nothing was bought in the end, so no purchase.
        status = 'unchanged';
        const reason = refunded ? 'refunded in full' : 'zero amount';
        summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
      } else {
        status = 'new';
        summary.purchases++;
        if (refunded) summary.refunds++;
        if (tx) {
          const record: Record<string, unknown> = { id: ids[next++], customerId: customerIdOf(match), externalId: row.key.slice(0, 200), date: row.date, amount: row.amount, currency: row.currency };
          if (row.note) record.note = row.note;
          tx.insert('purchases', record as ImportInsertInput<'purchases'>);
        }
      }
      show({
        status,
        line: row.line,
        values: { customer: who, date: row.date, amount: row.amount, refunded: refunded ? row.refunded : '', currency: row.currency, note: row.note ?? '', key: row.key },
      });
    }
  }

  if (batch.incidents.length) {
    const tagCounts = new Map<string, number>();
    for (const row of batch.incidents) for (const tag of row.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
    const existing = new Map<string, LoyalFile['incidents'][number]>();
    for (const i of file.incidents) if (i.externalId) existing.set(i.externalId, i);
    const checked = new Set(file.followUps.filter((f) => f.kind === 'satisfaction-check' && f.incidentId && f.status === 'done').map((f) => f.incidentId!));
    const fresh = batch.incidents.filter((row) => !existing.has(row.key));
    const ids = tx ? sortedNewIds('incident', fresh.length) : [];
    const checks = batch.incidents.filter((row) => row.satisfaction && !(existing.has(row.key) && checked.has(existing.get(row.key)!.id)));
    const checkIds = tx ? sortedNewIds('followUp', checks.length) : [];
    let next = 0;
    let nextCheck = 0;
    for (const row of batch.incidents) {
      const match = matches.get(row)!;
      const who = 'existing' in match ? (matcher.customers.get(match.existing)?.name ?? '') : nameOf(match.fresh.ref);
      const category = row.category ?? categoryOf(row.tags, categories);
      if (!category) summary.otherCategory++;
      const before = existing.get(row.key);
      let status: PreviewRecord['status'];
      let incidentId: string | undefined = before?.id;
      if (before) {
        const changes: Record<string, unknown> = {};
        if (row.resolvedAt && !before.resolvedAt) changes.resolvedAt = row.resolvedAt;
        if (row.firstResponseAt && !before.firstResponseAt) changes.firstResponseAt = row.firstResponseAt;
        if (row.staff && !before.staff) changes.staff = row.staff;
        const tags = row.tags.filter((t) => !before.tags.includes(t));
        if (tags.length) changes.tags = [...before.tags, ...tags];
        status = Object.keys(changes).length ? 'update' : 'unchanged';
        if (status === 'update') {
          summary.updated++;
          if (tx) tx.patch('incidents', before.id, changes);
        } else summary.unchanged++;
      } else {
        status = 'new';
        summary.incidents++;
        if (tx) {
          incidentId = ids[next++];
          const record: Record<string, unknown> = {
            id: incidentId,
            customerId: customerIdOf(match),
            externalId: row.key.slice(0, 200),
            openedAt: row.openedAt,
            channel: row.channel,
            category: category ?? 'other',
            severity: row.severity ?? 'minor',
            cause: row.cause ?? 'unknown',
            summary: row.summary,
            tags: row.tags,
          };
          for (const key of ['staff', 'component', 'resolvedAt', 'firstResponseAt'] as const) if (row[key]) record[key] = row[key];
          if (row.resolvedAt && row.staff) record.resolvedBy = row.staff;
          tx.insert('incidents', record as ImportInsertInput<'incidents'>);
        }
      }
      if (row.satisfaction && !(before && checked.has(before.id))) {
        summary.satisfactionChecks++;
        if (tx) {
          const at = row.resolvedAt ?? row.openedAt;
          const outcome: Record<string, unknown> = { satisfied: row.satisfaction.satisfied };
          if (row.satisfaction.comment) outcome.comment = row.satisfaction.comment;
          const followUp: Record<string, unknown> = {
            id: checkIds[nextCheck++],
            customerId: customerIdOf(match),
            incidentId,
            kind: 'satisfaction-check',
            due: at.slice(0, 10),
            status: 'done',
            outcome,
            doneAt: at,
          };
          if (row.staff) followUp.doneBy = row.staff;
          tx.insert('followUps', followUp as ImportInsertInput<'followUps'>);
        }
      }
      show({
        status,
        line: row.line,
        values: {
          customer: who,
          opened_at: row.openedAt,
          channel: row.channel,
          category: category ?? 'other',
          staff: row.staff ?? '',
          tags: row.tags.join('; '),
          summary: row.summary,
          resolved_at: row.resolvedAt ?? '',
          satisfaction: row.satisfaction ? (row.satisfaction.satisfied ? 'satisfied' : 'not satisfied') : '',
          key: row.key,
        },
      });
    }
    const tags: TagUse[] = [...tagCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag, count]) => ({ tag, count, category: categories[tag], guess: guessCategory(tag) }));
    return { summary, preview, tags };
  }
  return { summary, preview, tags: [] };
}

const PREVIEW_COLUMNS: Record<MappedKind, string[]> = {
  customers: ['name', 'email', 'company', 'phone', 'address', 'tags'],
  purchases: ['customer', 'date', 'amount', 'refunded', 'currency', 'note', 'key'],
  incidents: ['customer', 'opened_at', 'channel', 'category', 'staff', 'tags', 'summary', 'resolved_at', 'satisfaction', 'key'],
};

/** Rows whose only problems are of a kind the user chose to skip are counted, not refused. */
function applySkips(batch: Batch, skip: readonly SkipKind[]): void {
  if (!batch.problems.some((p) => p.skip)) return;
  const chosen = new Set(skip);
  const byLine = new Map<number, typeof batch.problems>();
  for (const p of batch.problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const kept: typeof batch.problems = [];
  for (const problems of byLine.values()) {
    const skippable = problems.every((p) => p.skip && chosen.has(p.skip));
    if (skippable) countSkip(batch, problems[0].skip!);
    else kept.push(...problems);
  }
  batch.problems = kept;
}

/** Plans the import of a file's bytes into the book. Nothing is written until `apply` runs inside a store update. */
export function planFileImport(bytes: Uint8Array, file: LoyalFile, options: FileImportOptions = {}): FilePlan {
  const decoded = decodeBytes(bytes, options.encoding);
  let table: CsvTable;
  const base = { encoding: decoded.encoding, summary: emptySummary(), preview: [], previewColumns: [], tags: [], sample: [] as string[][] };
  try {
    table = readCsv(decoded.text, options.separator);
  } catch (error) {
    if (!(error instanceof NotCsvError)) throw error;
    return {
      ...base,
      source: undefined,
      sourceLabel: '',
      kind: undefined,
      separator: options.separator ?? ',',
      header: [],
      signature: '',
      rows: 0,
      errors: [{ line: error.line, message: error.message }],
    };
  }
  const rows = new Rows(table);
  const common = { ...base, separator: table.separator, header: table.header, signature: headerSignature(table.header), rows: table.rows.length, sample: table.rows.slice(0, 10) };
  let batch: Batch;
  let source: FilePlan['source'];
  let sourceLabel: string;
  if (options.mapping) {
    const problems = mappingProblems(options.mapping, table.header);
    if (problems.length)
      return { ...common, source: 'mapped', sourceLabel: '', kind: options.mapping.kind, errors: problems.map((p) => ({ line: 1, column: p.field, message: p.message })), ...unknownHelp(rows) };
    batch = readMapped(rows, options.mapping, options.currency);
    [source, sourceLabel] = ['mapped', ''];
  } else {
    const system = options.source && options.source !== 'auto' ? options.source : undefined;
    const layout = detectSource(table.header, system);
    if (!layout) {
      const loyal = loyalKindOf(table.header);
      if (loyal && !system) return { ...common, source: 'loyal', sourceLabel: 'Loyal', kind: loyal, errors: [] };
      let message: string;
      if (system) {
        const { source: closest, missing } = missingColumns(table.header, system);
        message = `this is not a ${closest.label} export: it lacks the column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (its columns are ${table.header.join(', ')})`;
      } else {
        message = `Loyal does not know this layout: its columns are ${table.header.join(', ')}. Exports Loyal reads: ${SOURCES.map((s) => `${s.label} (${s.required.join(', ')})`).join('; ')}; or Loyal's own columns. Map its columns to Loyal's instead (customer_id or email, date, amount...).`;
      }
      return { ...common, source: undefined, sourceLabel: '', kind: undefined, errors: [{ line: 1, message }], ...unknownHelp(rows) };
    }
    batch = layout.read(rows, { currency: options.currency, decimal: options.decimal, dateFormat: options.dateFormat });
    [source, sourceLabel] = [layout.id, layout.label];
  }
  applySkips(batch, options.skip ?? []);
  const errors: ImportProblem[] = batch.problems.map((p) => (p.column ? { line: p.line, column: p.column, message: p.message } : { line: p.line, message: p.message })).sort((a, b) => a.line - b.line);
  const met = meet(batch, file, options);
  const plan: FilePlan = { ...common, source, sourceLabel, kind: batch.kind, errors, summary: met.summary, preview: met.preview, previewColumns: PREVIEW_COLUMNS[batch.kind], tags: met.tags };
  if (options.mapping) Object.assign(plan, unknownHelp(rows, options.mapping));
  if (errors.length === 0) plan.apply = (tx) => meet(batch, tx.file, options, tx).summary;
  return plan;
}

function unknownHelp(rows: Rows, choice?: MappingChoice): Pick<FilePlan, 'guesses' | 'dateFormats' | 'decimal'> {
  const guesses = { customers: guessMapping('customers', rows), purchases: guessMapping('purchases', rows), incidents: guessMapping('incidents', rows) };
  const kind = choice?.kind ?? 'purchases';
  const mapping = choice?.mapping ?? guesses[kind];
  return { guesses, dateFormats: dateFormatsOf(kind, rows, mapping), decimal: decimalOf(rows, mapping.amount) };
}

/** A file's header row: the whole file is decoded (so the encoding is detected as for the import), only its first line read. */
export function headerOf(bytes: Uint8Array): string[] {
  const { text } = decodeBytes(bytes);
  const end = text.search(/\r?\n/);
  try {
    return readCsv(end < 0 ? text : text.slice(0, end)).header;
  } catch {
    return [];
  }
}

/** The signature of a file's header (to remember the mapping chosen for it). */
export function headerSignatureOf(bytes: Uint8Array): string {
  return headerSignature(headerOf(bytes));
}

/** Whether a header is one of the exports Loyal knows (not its own format). */
export function isKnownExport(header: readonly string[]): boolean {
  return detectSource(header) !== undefined;
}
