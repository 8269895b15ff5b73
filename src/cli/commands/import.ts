// `loyal import KIND FILE.csv`: all or nothing. Every bad row is reported with its line
// number and nothing is written; --dry-run reports what would happen without writing.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IMPORT_KINDS, planImport, type ImportKind } from '../../domain/csv';
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';
import { check } from '../values';
import { Currency } from '../../domain/records';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import customers, purchases or incidents from a CSV file (all or nothing)',
  usage: `import ${IMPORT_KINDS.join('|')} FILE.csv [--dry-run] [--create-customers] [--currency CODE]`,
  subjects: IMPORT_KINDS,
  positionals: { min: 1, max: 1, names: 'the CSV file to import' },
  flags: () => ({
    'dry-run': { type: 'boolean', description: 'check every row and report, write nothing' },
    'create-customers': { type: 'boolean', description: 'create a customer for an unknown customer_id instead of refusing the row' },
    currency: { type: 'string', value: 'CODE', description: 'currency of rows that leave it empty (default $LOYAL_CURRENCY or EUR)' },
  }),
  async run(ctx) {
    const kind = ctx.subject as ImportKind;
    const currency = typeof ctx.values.currency === 'string' ? check('currency', Currency, ctx.values.currency.trim().toUpperCase(), 'import') : ctx.io.env.LOYAL_CURRENCY?.trim().toUpperCase() || 'EUR';
    const csvPath = resolve(ctx.io.cwd, ctx.positionals[0]);
    let text: string;
    try {
      text = await readFile(csvPath, 'utf8');
    } catch (error) {
      throw new RefusedError(`cannot read ${csvPath}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    const store = await ctx.openBook();
    const plan = planImport(kind, text, store.file, { createCustomers: ctx.values['create-customers'] === true, currency });
    const dryRun = ctx.values['dry-run'] === true;
    if (plan.errors.length || !plan.apply) {
      if (ctx.json) ctx.printJson({ file: csvPath, kind, rows: plan.rows, imported: false, errors: plan.errors });
      const lines = plan.errors.map((e) => `  ${csvPath}:${e.line}: ${e.message}`);
      throw new RefusedError(`nothing imported: ${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'} in ${csvPath}`, lines);
    }
    const { create, update, customersToCreate } = plan.summary;
    if (dryRun) {
      if (ctx.json) ctx.printJson({ file: csvPath, kind, rows: plan.rows, dryRun: true, create, update, customersToCreate, errors: [] });
      else ctx.print(`${plan.rows} rows are fine; importing would create ${create} and update ${update} records${customersToCreate ? ` (including ${customersToCreate} new customers)` : ''}. Nothing written (--dry-run).`);
      return;
    }
    const apply = plan.apply;
    const result = await store.update((tx) => apply(tx));
    if (ctx.json) ctx.printJson({ file: csvPath, kind, rows: plan.rows, created: result.created, updated: result.updated, customersCreated: result.customersCreated, errors: [] });
    else ctx.print(`Imported ${plan.rows} rows: ${result.created} records created, ${result.updated} updated${result.customersCreated ? ` (including ${result.customersCreated} new customers)` : ''}.`);
  },
};
