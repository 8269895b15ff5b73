// Any other CSV: the user maps its columns to Loyal's own (the columns of Loyal's CSV
// format, plus order_id / ticket_id to recognise rows already imported), with guesses
// from the column names (English, French, Italian) and from the values; the mapping is
// remembered per header signature.
import { createHash } from 'node:crypto';
import { Category, Cause, Channel, Severity } from '../records';
import { emptyBatch, type Batch, type BatchProblem, type CustomerRef } from './batch';
import type { Rows } from './sources';
import { possibleDateFormats, readAmount, readMoment, type DateFormat, type DecimalSeparator } from './values';

export type MappedKind = 'customers' | 'purchases' | 'incidents';

export const MAPPABLE_FIELDS: Record<MappedKind, readonly string[]> = {
  customers: ['customer_id', 'name', 'email', 'company', 'phone', 'address', 'tags', 'owner', 'source'],
  purchases: ['customer_id', 'email', 'name', 'date', 'amount', 'currency', 'note', 'order_id'],
  incidents: ['customer_id', 'email', 'name', 'opened_at', 'summary', 'category', 'channel', 'staff', 'severity', 'cause', 'component', 'tags', 'resolved_at', 'ticket_id'],
};

/** Fields without which a row cannot become a record; a customer also needs customer_id or email. */
export const REQUIRED_FIELDS: Record<MappedKind, readonly string[]> = {
  customers: [],
  purchases: ['date', 'amount'],
  incidents: ['opened_at'],
};

/** Loyal field -> the file's column (as written in its header). */
export type ColumnMapping = Record<string, string>;

export interface MappingChoice {
  kind: MappedKind;
  mapping: ColumnMapping;
  dateFormat?: DateFormat;
  decimal?: DecimalSeparator;
}

/** A stable id of a header: the same export from the same system maps the same way. */
export function headerSignature(header: readonly string[]): string {
  return createHash('sha256')
    .update(header.map((name) => name.trim().toLowerCase()).join('\u001f'))
    .digest('hex')
    .slice(0, 16);
}

const normal = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const SYNONYMS: Record<string, string[]> = {
  customer_id: ['customer id', 'client id', 'id client', 'id cliente', 'codice cliente', 'customer number', 'customer no', 'numero client', 'code client'],
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse email', 'adresse e mail', 'email address', 'indirizzo email', 'posta elettronica'],
  name: ['name', 'full name', 'customer name', 'customer', 'nom', 'nom complet', 'nom du client', 'client', 'nome', 'nome cliente', 'cliente', 'contact'],
  company: ['company', 'societe', 'entreprise', 'azienda', 'organization', 'organisation', 'societa', 'ragione sociale'],
  phone: ['phone', 'telephone', 'tel', 'telefono', 'cellulare', 'mobile', 'portable'],
  address: ['address', 'adresse', 'indirizzo', 'street', 'rue', 'via'],
  tags: ['tags', 'tag', 'etiquettes', 'etichette', 'labels'],
  owner: ['owner', 'responsable', 'responsabile', 'account manager'],
  source: ['source', 'acquisition', 'origine', 'provenienza', 'canale acquisizione'],
  date: ['date', 'order date', 'purchase date', 'data', 'date de commande', 'data ordine', 'data acquisto', 'paid at', 'created at', 'jour', 'giorno', 'date d achat'],
  amount: ['amount', 'total', 'montant', 'montant ttc', 'total ttc', 'importo', 'totale', 'importo totale', 'price', 'prix', 'prezzo', 'revenue', 'sum', 'somme'],
  currency: ['currency', 'devise', 'valuta', 'monnaie'],
  note: ['note', 'notes', 'description', 'commentaire', 'descrizione', 'memo', 'libelle', 'causale', 'product', 'produit', 'prodotto'],
  order_id: [
    'order id',
    'order',
    'order number',
    'order no',
    'commande',
    'numero de commande',
    'n commande',
    'ordine',
    'numero ordine',
    'invoice',
    'invoice number',
    'facture',
    'fattura',
    'transaction id',
    'reference',
  ],
  opened_at: ['opened at', 'opened', 'created', 'created at', 'date', 'data', 'date d ouverture', 'data apertura', 'date de creation', 'data creazione'],
  summary: ['summary', 'subject', 'objet', 'oggetto', 'title', 'titre', 'titolo', 'description', 'descrizione'],
  category: ['category', 'categorie', 'categoria'],
  channel: ['channel', 'canal', 'canale', 'via', 'source'],
  staff: ['staff', 'agent', 'assignee', 'assigned to', 'operatore', 'agente', 'employe', 'dipendente'],
  severity: ['severity', 'gravite', 'gravita', 'priority', 'priorite', 'priorita'],
  cause: ['cause', 'causa', 'root cause'],
  component: ['component', 'composant', 'componente', 'module'],
  resolved_at: ['resolved at', 'solved at', 'closed at', 'resolved', 'resolu le', 'date de resolution', 'data risoluzione', 'chiuso il'],
  ticket_id: ['ticket id', 'ticket', 'id ticket', 'ticket number', 'case number', 'numero ticket', 'numero de ticket'],
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Guesses of which column holds each field: names first, then what the values look like. */
export function guessMapping(kind: MappedKind, rows: Rows): ColumnMapping {
  const header = rows.table.header;
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  const names = header.map(normal);
  const fields = MAPPABLE_FIELDS[kind];
  // Exact names, then a name that contains the word (Montant TTC for amount).
  for (const pass of ['exact', 'contains'] as const) {
    for (const field of fields) {
      if (mapping[field]) continue;
      const words = [field.replace(/_/g, ' '), ...(SYNONYMS[field] ?? [])];
      const i = names.findIndex((name, index) => !used.has(index) && words.some((w) => (pass === 'exact' ? name === w : ` ${name} `.includes(` ${w} `))));
      if (i >= 0) {
        mapping[field] = header[i];
        used.add(i);
      }
    }
  }
  const sample = (i: number): string[] =>
    rows.table.rows
      .slice(0, 50)
      .map((row) => (row[i] ?? '').trim())
      .filter((v) => v !== '');
  const byValues = (field: string, test: (values: string[]) => boolean): void => {
    if (!fields.includes(field) || mapping[field]) return;
    const i = header.findIndex((_, index) => !used.has(index) && sample(index).length > 0 && test(sample(index)));
    if (i >= 0) {
      mapping[field] = header[i];
      used.add(i);
    }
  };
  byValues('email', (values) => values.filter((v) => EMAIL.test(v)).length >= values.length * 0.8);
  const dates = (values: string[]): boolean => possibleDateFormats(values).length > 0;
  byValues('date', dates);
  byValues('opened_at', dates);
  byValues('amount', (values) => values.every((v) => readAmount(v) !== undefined && /[.,]\d{2}\b|[$€£]/.test(v)));
  return mapping;
}

/** The date formats that read every value of the mapped date columns (more than one: the user picks). */
export function dateFormatsOf(kind: MappedKind, rows: Rows, mapping: ColumnMapping): DateFormat[] {
  const columns = (kind === 'purchases' ? ['date'] : kind === 'incidents' ? ['opened_at', 'resolved_at'] : []).map((f) => mapping[f]).filter((c): c is string => !!c);
  const values: string[] = [];
  for (const column of columns) for (let r = 0; r < rows.count; r++) values.push(rows.get(r, column));
  return possibleDateFormats(values);
}

/** The decimal separator the amounts use, when the values tell (12,50 vs 1,250.00). */
export function decimalOf(rows: Rows, column: string | undefined): DecimalSeparator | undefined {
  if (!column) return undefined;
  let comma = 0;
  let dot = 0;
  for (let r = 0; r < Math.min(rows.count, 500); r++) {
    const v = rows.get(r, column);
    if (/,\d{1,2}\D*$/.test(v)) comma++;
    else if (/\.\d{1,2}\D*$/.test(v)) dot++;
  }
  return comma > dot ? 'comma' : dot > comma ? 'dot' : undefined;
}

export interface MappingProblem {
  field?: string;
  message: string;
}

/** What is wrong with a mapping as a whole (a field mapped to no such column, a required field missing). */
export function mappingProblems(choice: MappingChoice, header: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  const fields = MAPPABLE_FIELDS[choice.kind];
  for (const [field, column] of Object.entries(choice.mapping)) {
    if (!fields.includes(field)) problems.push({ field, message: `"${field}" is not a ${choice.kind} field (they are ${fields.join(', ')})` });
    else if (!columns.has(column.trim().toLowerCase())) problems.push({ field, message: `${field}: the file has no column "${column}" (its columns are ${header.join(', ')})` });
  }
  for (const field of REQUIRED_FIELDS[choice.kind]) if (!choice.mapping[field]) problems.push({ field, message: `${field} is needed: choose the column that holds it` });
  if (!choice.mapping.customer_id && !choice.mapping.email) problems.push({ field: 'customer_id', message: 'customer_id or email is needed to know whose row it is' });
  if (choice.kind === 'customers' && !choice.mapping.name && !choice.mapping.email) problems.push({ field: 'name', message: 'name (or email) is needed to name the customers' });
  return problems;
}

function hashKey(parts: string[]): string {
  return createHash('sha1').update(parts.join('\u001f')).digest('hex').slice(0, 20);
}

/** Reads the rows through a mapping (already checked with mappingProblems). */
export function readMapped(rows: Rows, choice: MappingChoice, defaultCurrency = 'EUR'): Batch {
  const { kind, mapping } = choice;
  const batch = emptyBatch(kind, rows.count);
  const format = choice.dateFormat ?? 'YYYY-MM-DD';
  const occurrences = new Map<string, number>();
  const seenKeys = new Map<string, number>();
  for (let r = 0; r < rows.count; r++) {
    const line = rows.line(r);
    const problems: BatchProblem[] = [];
    const fail = (field: string, message: string): void => void problems.push({ line, column: mapping[field], message: `${mapping[field] ?? field} (${field}): ${message}` });
    const get = (field: string): string => (mapping[field] ? rows.get(r, mapping[field]) : '');
    const email = get('email').toLowerCase() || undefined;
    if (email && !EMAIL.test(email)) fail('email', `"${get('email')}" is not an email address`);
    const customerId = get('customer_id').slice(0, 200) || undefined;
    if (!email && !customerId) problems.push({ line, message: 'the row has no customer_id or email: Loyal cannot tell whose it is', skip: 'no-customer' });
    const customer: CustomerRef = { externalId: customerId, email, name: get('name') || undefined };
    const moment = (field: string, required: boolean): { day: string; instant: string } | undefined => {
      const text = get(field);
      if (!text) {
        if (required) fail(field, 'is empty; a date is required');
        return undefined;
      }
      const read = readMoment(text, format);
      if (!read) fail(field, `"${text}" is not a date in the format ${format}`);
      return read;
    };
    const oneOf = <T extends string>(field: string, values: readonly T[]): T | undefined => {
      const text = get(field).toLowerCase();
      if (!text) return undefined;
      if ((values as readonly string[]).includes(text)) return text as T;
      fail(field, `"${get(field)}" must be one of ${values.join(', ')}`);
      return undefined;
    };
    const tags = get('tags')
      .split(/[;,]/)
      .map((t) => t.trim().slice(0, 100))
      .filter((t, i, all) => t && all.indexOf(t) === i);
    if (kind === 'customers') {
      if (!problems.length)
        batch.customers.push({
          line,
          ...customer,
          name: customer.name ?? email ?? customerId,
          company: get('company') || undefined,
          phone: get('phone') || undefined,
          address: get('address') || undefined,
          tags,
        });
    } else if (kind === 'purchases') {
      const date = moment('date', true);
      const amountText = get('amount');
      const amount = amountText ? readAmount(amountText, choice.decimal) : undefined;
      if (!amountText) fail('amount', 'is empty; an amount is required');
      else if (amount === undefined)
        fail(
          'amount',
          `"${amountText}" is not an amount${choice.decimal === 'comma' ? ' with a decimal comma (such as 12,50)' : choice.decimal === 'dot' ? ' with a decimal dot (such as 12.50)' : ''}`,
        );
      const currency = (get('currency') || defaultCurrency).toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) fail('currency', `"${get('currency')}" is not a three-letter currency code such as EUR`);
      const orderId = get('order_id');
      const note = get('note') || undefined;
      let key: string;
      if (orderId) key = `csv:${orderId}`;
      else {
        // No order id: the row's own content (and how many times it came before) is its key, so the same file again adds nothing.
        const content = hashKey([customerId ?? '', email ?? '', date?.day ?? '', amount ?? '', currency, note ?? '']);
        const n = (occurrences.get(content) ?? 0) + 1;
        occurrences.set(content, n);
        key = `csv:${content}#${n}`;
      }
      if (orderId && seenKeys.has(key)) fail('order_id', `"${orderId}" is already on line ${seenKeys.get(key)}`);
      seenKeys.set(key, line);
      if (!problems.length && date && amount) {
        // A negative amount is a refund of an earlier purchase: kept, it lowers the customer's value.
        batch.purchases.push({ line, key, customer, date: date.day, amount, refunded: amount.startsWith('-') ? amount.slice(1) : '0.00', currency, note: note?.slice(0, 10_000) });
      }
    } else {
      const opened = moment('opened_at', true);
      const resolved = moment('resolved_at', false);
      if (opened && resolved && Date.parse(resolved.instant) < Date.parse(opened.instant)) fail('resolved_at', 'is before opened_at');
      const category = oneOf('category', Category.options);
      const channel = oneOf('channel', Channel.options) ?? 'other';
      const severity = oneOf('severity', Severity.options);
      const cause = oneOf('cause', Cause.options);
      const ticketId = get('ticket_id');
      const summary = mapping.summary ? rows.raw(r, mapping.summary).trim().slice(0, 10_000) : '';
      const key = ticketId ? `csv:${ticketId}` : `csv:${hashKey([customerId ?? '', email ?? '', opened?.instant ?? '', summary])}`;
      if (seenKeys.has(key)) fail(ticketId ? 'ticket_id' : 'opened_at', `the same ${ticketId ? 'ticket' : 'incident'} is already on line ${seenKeys.get(key)}`);
      seenKeys.set(key, line);
      if (!problems.length && opened) {
        batch.incidents.push({
          line,
          key,
          customer,
          openedAt: opened.instant,
          channel,
          category,
          severity,
          cause,
          staff: get('staff').slice(0, 200) || undefined,
          component: get('component').slice(0, 200) || undefined,
          tags,
          summary,
          resolvedAt: resolved?.instant,
        });
      }
    }
    batch.problems.push(...problems);
  }
  return batch;
}
