// `loyal import FILE` (and `loyal import KIND FILE`): all or nothing. The layout is
// recognised from the header (Shopify, Stripe, WooCommerce, Zendesk, Help Scout, Freshdesk,
// or Loyal's own columns); any other CSV is read through --map FIELD=COLUMN. Every bad row
// is reported with its line number and nothing is written; --dry-run reports what would
// happen without writing.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CustomerKeys, IMPORT_KINDS, planImport, type ImportKind, type ImportProblem } from '../../domain/csv';
import { readCsv } from '../../domain/import/table';
import type { CliCommand, CliContext } from '../command';
import { RefusedError, UsageError } from '../errors';
import { check } from '../values';
import { Category, Currency } from '../../domain/records';
import { planFileImport, type FileImportOptions, type ImportSummary } from '../../domain/import/plan';
import { SYSTEMS } from '../../domain/import/sources';
import { MAPPABLE_FIELDS, type MappedKind } from '../../domain/import/mapping';
import { DATE_FORMATS, type DateFormat } from '../../domain/import/values';
import { SKIP_KINDS, type SkipKind } from '../../domain/import/batch';
import { decodeBytes, type TextEncoding } from '../../domain/import/decode';

const SOURCES = ['auto', 'loyal', ...SYSTEMS] as const;
const ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

function list(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
}

function pairs(flag: string, values: string[]): Array<[string, string]> {
  return values.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0 || at === text.length - 1) throw new UsageError(`--${flag} takes NAME=VALUE, not "${text}"`, 'import');
    return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
  });
}

function oneOf<T extends string>(flag: string, value: unknown, values: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${values.join(', ')}`, 'import');
  return value as T;
}

function refuse(ctx: CliContext, csvPath: string, errors: ImportProblem[], extra: Record<string, unknown>): never {
  if (ctx.json) ctx.printJson({ file: csvPath, ...extra, imported: false, errors });
  const lines = errors.map((e) => `  ${csvPath}:${e.line}: ${e.message}`);
  throw new RefusedError(`nothing imported: ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${csvPath}`, lines);
}

function skippedWords(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped).map(([reason, n]) => `${n} ${reason}`);
  return parts.length ? `; left out: ${parts.join(', ')}` : '';
}

function summaryLine(s: ImportSummary): string {
  const parts = [`${s.created} new customers`, `${s.matched} matched`, `${s.purchases} purchases`, `${s.refunds} refunds netted`, `${s.incidents} incidents`];
  if (s.satisfactionChecks) parts.push(`${s.satisfactionChecks} satisfaction checks`);
  if (s.updated) parts.push(`${s.updated} updated`);
  if (s.unchanged) parts.push(`${s.unchanged} already imported`);
  const other = s.otherCategory ? `; ${s.otherCategory} incidents in category "other" (map their tags with --category TAG=FACTOR)` : '';
  return parts.join(', ') + skippedWords(s.skipped) + other;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import an export from Shopify, Stripe, WooCommerce, Zendesk, Help Scout, Freshdesk, Loyal, or any CSV through --map (all or nothing)',
  usage: `import [${IMPORT_KINDS.join('|')}] FILE [--source ${SOURCES.join('|')}] [--kind KIND] [--map FIELD=COLUMN]... [--date-format FMT] [--decimal comma|dot] [--dry-run] [--create-customers] [--json]`,
  subjects: IMPORT_KINDS,
  subjectOptional: true,
  positionals: { min: 1, max: 1, names: 'the CSV file to import' },
  flags: () => ({
    'dry-run': { type: 'boolean', description: 'check every row and report, write nothing' },
    'create-customers': { type: 'boolean', description: "Loyal's own format: create a customer for an unknown customer_id instead of refusing the row (exports of other systems always create them)" },
    currency: { type: 'string', value: 'CODE', description: 'currency of rows that leave it empty (default $LOYAL_CURRENCY or EUR)' },
    source: { type: 'string', value: 'SOURCE', description: `the system the file comes from: ${SOURCES.join(', ')} (default auto: recognised from the header)` },
    kind: { type: 'string', value: 'KIND', description: `what the rows are, with --map: ${IMPORT_KINDS.join(', ')}` },
    map: {
      type: 'string',
      multiple: true,
      value: 'FIELD=COLUMN',
      description: 'read the file through a mapping: FIELD is a column of Loyal\'s own format (e.g. amount="Montant TTC"), or order_id / ticket_id',
    },
    'date-format': { type: 'string', value: 'FMT', description: `how dates are written: ${DATE_FORMATS.join(', ')} (15/01/2024 vs 01/15/2024)` },
    decimal: { type: 'string', value: 'comma|dot', description: 'the decimal separator of amounts (default: guessed from each value)' },
    encoding: { type: 'string', value: 'ENC', description: `the file's encoding: ${ENCODINGS.join(', ')} (default: detected)` },
    skip: { type: 'string', multiple: true, value: 'KIND', description: `leave out (and count) rows of this kind instead of refusing the import: ${SKIP_KINDS.join(', ')}` },
    category: { type: 'string', multiple: true, value: 'TAG=FACTOR', description: `help desks: the category of incidents with this tag (${Category.options.join(', ')}); others get "other"` },
  }),
  async run(ctx) {
    const currency =
      typeof ctx.values.currency === 'string' ? check('currency', Currency, ctx.values.currency.trim().toUpperCase(), 'import') : ctx.io.env.LOYAL_CURRENCY?.trim().toUpperCase() || 'EUR';
    const source = oneOf('source', ctx.values.source, SOURCES) ?? 'auto';
    const kindFlag = oneOf('kind', ctx.values.kind, IMPORT_KINDS);
    if (kindFlag && ctx.subject && kindFlag !== ctx.subject) throw new UsageError(`the kind is ${ctx.subject}, not --kind ${kindFlag}`, 'import');
    const dateFormat = oneOf('date-format', ctx.values['date-format'], DATE_FORMATS) as DateFormat | undefined;
    const decimal = oneOf('decimal', ctx.values.decimal, ['comma', 'dot'] as const);
    const encoding = oneOf('encoding', ctx.values.encoding, ENCODINGS);
    const skip = list(ctx.values.skip).map((k) => oneOf('skip', k, SKIP_KINDS) as SkipKind);
    const categories: Record<string, Category> = {};
    for (const [tag, factor] of pairs('category', list(ctx.values.category))) categories[tag] = oneOf('category', factor, Category.options) as Category;
    const mapPairs = pairs('map', list(ctx.values.map));
    const csvPath = resolve(ctx.io.cwd, ctx.positionals[0]);
    let bytes: Buffer;
    try {
      bytes = await readFile(csvPath);
    } catch (error) {
      throw new RefusedError(`cannot read ${csvPath}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    const dryRun = ctx.values['dry-run'] === true;
    const store = await ctx.openBook();

    const options: FileImportOptions = { source: source === 'loyal' ? 'auto' : source, currency, decimal, dateFormat, encoding, skip, categories };
    if (mapPairs.length) {
      const fields = mapPairs.map(([field]) => field);
      const kind: MappedKind =
        kindFlag ?? (ctx.subject as MappedKind | undefined) ?? (fields.includes('amount') || fields.includes('date') ? 'purchases' : fields.includes('opened_at') ? 'incidents' : 'customers');
      for (const field of fields) if (!MAPPABLE_FIELDS[kind].includes(field)) throw new UsageError(`--map: "${field}" is not a ${kind} field (they are ${MAPPABLE_FIELDS[kind].join(', ')})`, 'import');
      options.mapping = { kind, mapping: Object.fromEntries(mapPairs), dateFormat, decimal };
    }
    const plan = planFileImport(bytes, store.file, options);

    // Loyal's own columns: the import as it always was (customer_id matches id or external id).
    if (!options.mapping && (plan.source === 'loyal' || source === 'loyal')) {
      const kind = (ctx.subject as ImportKind | undefined) ?? kindFlag ?? plan.kind;
      if (!kind) refuse(ctx, csvPath, plan.errors.length ? plan.errors : [{ line: 1, message: `these are not Loyal's own columns: ${plan.header.join(', ')}` }], { source: 'loyal' });
      const text = decodeBytes(bytes, encoding).text;
      const loyal = planImport(kind, text, store.file, { createCustomers: ctx.values['create-customers'] === true, currency });
      if (loyal.errors.length || !loyal.apply) refuse(ctx, csvPath, loyal.errors, { kind, rows: loyal.rows });
      const { create, update, customersToCreate } = loyal.summary;
      if (dryRun) {
        if (ctx.json) ctx.printJson({ file: csvPath, kind, rows: loyal.rows, dryRun: true, create, update, customersToCreate, errors: [] });
        else
          ctx.print(
            `${loyal.rows} rows are fine; importing would create ${create} and update ${update} records${customersToCreate ? ` (including ${customersToCreate} new customers)` : ''}. Nothing written (--dry-run).`,
          );
        return;
      }
      // Without a kind, the summary has the shape of every other source's.
      const keys = new CustomerKeys(store.file.customers);
      const ids = loyal.columns.includes('customer_id') ? readCsv(text).rows.map((row) => (row[loyal.columns.indexOf('customer_id')] ?? '').trim()) : [];
      const matched = new Set(ids.map((id) => keys.find(id)).filter((id) => id !== undefined)).size;
      const refunds = kind === 'purchases' && loyal.columns.includes('amount') ? readCsv(text).rows.filter((row) => (row[loyal.columns.indexOf('amount')] ?? '').trim().startsWith('-')).length : 0;
      const apply = loyal.apply;
      const result = await store.update((tx) => apply(tx));
      const records = result.created - result.customersCreated;
      if (ctx.json && !ctx.subject) {
        ctx.printJson({
          file: csvPath,
          source: 'loyal',
          kind,
          rows: loyal.rows,
          imported: true,
          created: kind === 'customers' ? result.created : result.customersCreated,
          matched,
          purchases: kind === 'purchases' ? records : 0,
          refunds,
          incidents: kind === 'incidents' ? records : 0,
          updated: result.updated,
          skipped: {},
          errors: [],
        });
      } else if (ctx.json) ctx.printJson({ file: csvPath, kind, rows: loyal.rows, created: result.created, updated: result.updated, customersCreated: result.customersCreated, errors: [] });
      else
        ctx.print(
          `Imported ${loyal.rows} rows: ${result.created} records created, ${result.updated} updated${result.customersCreated ? ` (including ${result.customersCreated} new customers)` : ''}.`,
        );
      return;
    }

    const label = plan.source === 'mapped' ? 'mapped columns' : plan.sourceLabel;
    if (ctx.subject && plan.kind && plan.kind !== ctx.subject && plan.source !== 'mapped')
      throw new RefusedError(`${csvPath} is a ${plan.sourceLabel} export: its rows are ${plan.kind}, not ${ctx.subject}`);
    const report = (summary: ImportSummary, extra: Record<string, unknown>): Record<string, unknown> => ({
      file: csvPath,
      source: plan.source,
      kind: plan.kind,
      encoding: plan.encoding,
      rows: plan.rows,
      ...extra,
      created: summary.created,
      matched: summary.matched,
      purchases: summary.purchases,
      refunds: summary.refunds,
      incidents: summary.incidents,
      satisfactionChecks: summary.satisfactionChecks,
      updated: summary.updated,
      unchanged: summary.unchanged,
      skipped: summary.skipped,
      otherCategory: summary.otherCategory,
      errors: [],
    });
    if (plan.errors.length || !plan.apply) refuse(ctx, csvPath, plan.errors, { source: plan.source, kind: plan.kind, rows: plan.rows });
    if (dryRun) {
      if (ctx.json) ctx.printJson(report(plan.summary, { dryRun: true }));
      else ctx.print(`${label}: ${plan.rows} rows are fine; importing would make ${summaryLine(plan.summary)}. Nothing written (--dry-run).`);
      return;
    }
    const apply = plan.apply;
    const summary = await store.update((tx) => apply(tx));
    if (ctx.json) ctx.printJson(report(summary, { imported: true }));
    else ctx.print(`Imported ${label} (${plan.rows} rows): ${summaryLine(summary)}.`);
  },
};
