// Importing an export of another system, end to end through the `loyal` CLI: a generated
// Shopify orders export of 100,000 rows (one per line item, order fields on the first row
// of each order) against `loyal import purchases` of the same purchases in Loyal's own
// format. Budget (issue 17): the Shopify import takes at most twice as long.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { stringify } from 'csv-stringify/sync';
import type { BenchRow } from './types';

const root = join(__dirname, '..', '..');
const HEADER = [
  'Name',
  'Email',
  'Financial Status',
  'Paid at',
  'Fulfillment Status',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Created at',
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem sku',
  'Billing Name',
  'Billing Address1',
  'Billing City',
  'Billing Zip',
  'Billing Country',
  'Billing Phone',
  'Cancelled at',
  'Refunded Amount',
  'Id',
  'Tags',
  'Source',
];

function shopifyExport(rows: number): { shopify: string; loyal: string; orders: number } {
  const out: string[][] = [];
  const loyal = ['customer_id,date,amount,currency,note,name'];
  let n = 0;
  while (out.length < rows) {
    const customer = n % 20_000;
    const items = 1 + (n % 4);
    const day = new Date(Date.UTC(2022, 0, 1) + (n % 1200) * 86_400_000).toISOString().slice(0, 10);
    const stamp = `${day} 10:${String(n % 60).padStart(2, '0')}:00 +0100`;
    const total = 1000 + ((n * 37) % 20_000);
    const refunded = n % 10 === 3 ? 500 : 0;
    const email = `customer${customer}@example.com`;
    for (let i = 0; i < items && out.length < rows; i++) {
      const first = i === 0;
      out.push([
        `#${10_000 + n}`,
        email,
        first ? (refunded ? 'partially_refunded' : 'paid') : '',
        first ? stamp : '',
        first ? 'fulfilled' : '',
        first ? 'EUR' : '',
        first ? (total / 100).toFixed(2) : '',
        first ? '0.00' : '',
        first ? '0.00' : '',
        first ? (total / 100).toFixed(2) : '',
        stamp,
        '1',
        `Item ${i}`,
        '10.00',
        `SKU${i}`,
        first ? `Customer ${customer}` : '',
        first ? '1 rue des Lilas' : '',
        first ? 'Lyon' : '',
        first ? "'69001" : '',
        first ? 'FR' : '',
        '',
        '',
        first ? (refunded / 100).toFixed(2) : '',
        first ? String(5_000_000 + n) : '',
        '',
        'web',
      ]);
    }
    loyal.push(`${email},${day},${((total - refunded) / 100).toFixed(2)},EUR,,Customer ${customer}`);
    n++;
  }
  return { shopify: stringify(out, { header: true, columns: HEADER, record_delimiter: '\n' }), loyal: `${loyal.join('\n')}\n`, orders: n };
}

function run(cli: string, args: string[]): { ms: number; status: number | null; stderr: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOYAL_USER: 'bench' }, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - start, status: result.status, stderr: result.stderr };
}

export async function benchSourceImport(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loyal-bench-import-'));
  try {
    const cli = join(dir, 'cli.js');
    await build({ entryPoints: [join(root, 'src/cli/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });
    const { shopify, loyal, orders } = shopifyExport(100_000);
    writeFileSync(join(dir, 'shopify.csv'), shopify);
    writeFileSync(join(dir, 'loyal.csv'), loyal);
    const fileA = join(dir, 'a.json');
    const fileB = join(dir, 'b.json');
    run(cli, ['init', '--file', fileA]);
    run(cli, ['init', '--file', fileB]);
    const own = run(cli, ['import', 'purchases', join(dir, 'loyal.csv'), '--create-customers', '--file', fileA]);
    const shop = run(cli, ['import', join(dir, 'shopify.csv'), '--file', fileB]);
    const a = JSON.parse(readFileSync(fileA, 'utf8')) as { purchases: Array<{ amount: string }>; customers: unknown[] };
    const b = JSON.parse(readFileSync(fileB, 'utf8')) as { purchases: Array<{ amount: string }>; customers: unknown[] };
    const same = a.purchases.length === orders && b.purchases.length === orders && a.customers.length === b.customers.length;
    const ratio = shop.ms / own.ms;
    return [
      { name: `loyal import purchases, Loyal's format (${orders} purchases)`, value: own.ms / 1000, unit: 's', note: own.status === 0 ? undefined : own.stderr.slice(0, 200) },
      { name: `loyal import, Shopify orders export (100,000 rows, ${orders} orders)`, value: shop.ms / 1000, unit: 's', note: shop.status === 0 ? undefined : shop.stderr.slice(0, 200) },
      {
        name: 'Shopify import / Loyal-format import',
        value: ratio,
        unit: 'x',
        budget: 2,
        ok: same && ratio <= 2,
        note: same ? `${b.purchases.length} purchases, ${b.customers.length} customers in both books` : 'the two books differ',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
