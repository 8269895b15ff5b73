// The `loyal` command line, end to end: a spawned process, the real file. The import of
// CDNOW master (69,659 purchases, 23,570 new customers) includes reading and checking the
// CSV, the store update and the write of the data file. Its budget is a ratio to its floor,
// timed the same way in the same run: a new node process that reads the same CSV, parses it
// with the same parser, and writes the rows back as JSON (nothing checked, no book).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generateDemoBook } from '../../src/domain/demo';
import { median, ratioRow, type BenchRow } from './types';

const root = join(__dirname, '..', '..');
const CDNOW = join(root, 'test', 'fixtures', 'cdnow', 'CDNOW_master.txt');

/** CDNOW master (whitespace separated, dates YYYYMMDD) as a purchases CSV. */
export function cdnowAsCsv(text: string): { csv: string; rows: number; customers: number } {
  const lines = ['customer_id,date,amount,currency,note'];
  const customers = new Set<string>();
  for (const line of text.split('\n')) {
    const [id, date, cds, dollars] = line.trim().split(/\s+/);
    if (!id || !/^\d{8}$/.test(date ?? '')) continue;
    customers.add(id);
    lines.push(`${id},${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)},${Number(dollars).toFixed(2)},USD,${cds} CD${cds === '1' ? '' : 's'}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1, customers: customers.size };
}

async function buildCli(dir: string): Promise<string> {
  const outfile = join(dir, 'cli.js');
  await build({ entryPoints: [join(root, 'src/cli/main.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', banner: { js: '#!/usr/bin/env node' } });
  return outfile;
}

/**
 * The 3 s budget this figure had, over its floor as measured here (about 0.35 s): checking
 * every row, making the customers and purchases and writing the book may cost this many floors.
 */
const IMPORT_RATIO = 8;
const IMPORT_FLOOR_SCRIPT = [
  "const fs = require('node:fs');",
  "const { parse } = require('csv-parse/sync');",
  "const rows = parse(fs.readFileSync(process.argv[1], 'utf8'), { columns: true, bom: true });",
  'fs.writeFileSync(process.argv[2], JSON.stringify(rows, null, 2));',
].join(' ');

function runFloor(csvPath: string, outPath: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['-e', IMPORT_FLOOR_SCRIPT, csvPath, outPath], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the import floor failed: ${result.stderr.slice(0, 300)}`);
  return performance.now() - start;
}

function run(cli: string, args: string[]): { ms: number; status: number | null; stdout: string; stderr: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOYAL_USER: 'bench' }, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - start, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export async function benchImport(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loyal-bench-cli-'));
  try {
    const cli = await buildCli(dir);
    const { csv, rows, customers } = cdnowAsCsv(readFileSync(CDNOW, 'utf8'));
    const csvPath = join(dir, 'cdnow.csv');
    writeFileSync(csvPath, csv);
    const file = join(dir, 'loyal.json');
    const out: BenchRow[] = [];

    const start = run(cli, ['--help']);
    out.push({ name: 'loyal --help (process start-up)', value: start.ms, unit: 'ms' });

    run(cli, ['init', '--file', file]);
    const dry = run(cli, ['import', 'purchases', csvPath, '--create-customers', '--dry-run', '--file', file]);
    out.push({ name: `import --dry-run, CDNOW master (${rows} rows)`, value: dry.ms / 1000, unit: 's', note: dry.status === 0 ? undefined : dry.stderr.slice(0, 200) });

    const floors = [runFloor(csvPath, join(dir, 'floor.json')), runFloor(csvPath, join(dir, 'floor.json'))];
    const imported = run(cli, ['import', 'purchases', csvPath, '--create-customers', '--json', '--file', file]);
    floors.push(runFloor(csvPath, join(dir, 'floor.json')));
    const book = JSON.parse(readFileSync(file, 'utf8')) as { customers: unknown[]; purchases: unknown[] };
    const complete = imported.status === 0 && book.purchases.length === rows && book.customers.length === customers;
    const row = ratioRow(
      `import purchases, CDNOW master (${rows} rows, ${customers} new customers), end to end / floor`,
      imported.ms,
      median(floors),
      IMPORT_RATIO,
      'a new node process that reads the CSV with csv-parse and writes the rows as JSON (median of 3 around the import)',
      complete ? `${book.purchases.length} purchases, ${book.customers.length} customers written` : `incomplete: ${imported.stderr.slice(0, 200)}`,
    );
    out.push({ ...row, ok: complete && row.ok });

    const exported = run(cli, ['export', 'purchases', '--file', file]);
    out.push({ name: `export purchases (${rows} rows)`, value: exported.ms / 1000, unit: 's' });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo generator at the sizes the other benchmarks use. */
export async function benchDemo(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const [customers, incidents] of [
    [1_000, 10_000],
    [10_000, 100_000],
    [50_000, 500_000],
  ] as const) {
    const start = performance.now();
    const book = generateDemoBook({ customers, incidents, seed: 42, today: '2026-03-15' });
    const seconds = (performance.now() - start) / 1000;
    out.push({
      name: `generate demo book, ${customers} customers / ${incidents} incidents`,
      value: seconds,
      unit: 's',
      note: `${book.purchases.length} purchases, ${book.followUps.length} follow-ups`,
    });
  }
  return out;
}
