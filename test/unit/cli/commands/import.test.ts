// `loyal import FILE` on the fixtures of real exports, through the bundled CLI as a user runs
// it: detection, the summary (text and --json), --map for any other CSV, bad input that
// changes nothing, and a second import that changes nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../../support/cliBundle';
import { decodeBytes } from '../../../../src/domain/import/decode';
import { readAmount, readMoment } from '../../../../src/domain/import/values';
import type { LoyalFile } from '../../../../src/domain/records';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'imports');
let folder: string;
let cli: string;

function loyal(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: folder, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'Europe/Rome', LOYAL_USER: 'Tester' }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const book = async (): Promise<LoyalFile> => JSON.parse(await readFile(join(folder, 'loyal.json'), 'utf8')) as LoyalFile;

describe('loyal import FILE (exports of other systems)', function () {
  this.timeout(120_000);
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-import-cli-'));
    cli = join(folder, 'cli.js');
    await bundleCli(cli);
    for (const name of ['shopify-orders.csv', 'stripe-payments.csv', 'ventes-boutique-fr.csv', 'zendesk-tickets.csv']) await copyFile(join(FIXTURES, name), join(folder, name));
  });
  after(async () => rm(folder, { recursive: true, force: true }));
  beforeEach(async () => {
    await rm(join(folder, 'loyal.json'), { force: true });
    assert.equal(loyal(['init']).status, 0);
  });

  it('recognises a Shopify export, prints the summary as JSON, and a second run changes nothing', async () => {
    const refused = loyal(['import', 'shopify-orders.csv']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /shopify-orders\.csv:394: the order #1151 has no customer email/);
    assert.equal((await book()).purchases.length, 0, 'nothing written while one row is wrong');
    const run = loyal(['import', 'shopify-orders.csv', '--skip', 'no-customer', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.source, 'shopify-orders');
    for (const key of ['created', 'matched', 'purchases', 'refunds', 'incidents', 'skipped']) assert.ok(key in json, key);
    const file = await book();
    assert.equal(json.purchases, file.purchases.length);
    assert.equal(json.created, file.customers.length);
    assert.equal(json.skipped['no-customer'], 1);
    const before = await readFile(join(folder, 'loyal.json'), 'utf8');
    const again = loyal(['import', 'shopify-orders.csv', '--skip', 'no-customer']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /0 new customers, \d+ matched, 0 purchases/);
    assert.equal(await readFile(join(folder, 'loyal.json'), 'utf8'), before);
  });

  it('names the columns of an unknown layout, then reads it with --map, --date-format and --decimal', async () => {
    const unknown = loyal(['import', 'ventes-boutique-fr.csv']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /its columns are Client, E-mail, Date, Montant TTC, Commentaire, N° facture/);
    assert.match(unknown.stderr, /Shopify orders \(Name, Email, Financial Status/);
    const map = ['--map', 'email=E-mail', '--map', 'name=Client', '--map', 'date=Date', '--map', 'amount=Montant TTC', '--map', 'order_id=N° facture'];
    const wrongFormat = loyal(['import', 'ventes-boutique-fr.csv', ...map, '--date-format', 'MM/DD/YYYY']);
    assert.equal(wrongFormat.status, 1);
    assert.match(wrongFormat.stderr, /ventes-boutique-fr\.csv:\d+: Date \(date\): "13\/01\/2024" is not a date in the format MM\/DD\/YYYY/);
    const run = loyal(['import', 'ventes-boutique-fr.csv', ...map, '--date-format', 'DD/MM/YYYY', '--decimal', 'comma']);
    assert.equal(run.status, 0, run.stderr);
    const file = await book();
    assert.equal(file.purchases.length, 300);
    assert.ok(
      file.purchases.some((p) => p.amount.startsWith('-')),
      'refund rows keep their negative amount',
    );
    assert.equal(file.purchases.find((p) => p.externalId === 'csv:F-20240000')?.date, '2024-01-01');
  });

  it('refuses a file that is not the layout of the --source named, saying which columns are missing', async () => {
    const run = loyal(['import', 'zendesk-tickets.csv', '--source', 'stripe']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /this is not a Stripe (payments|customers) export: it lacks the columns? /);
  });

  it('keeps `loyal import KIND FILE` for Loyal’s own format, and reads it without the kind too', async () => {
    assert.equal(loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']).status, 0);
    await writeFile(join(folder, 'p.csv'), 'customer_id,date,amount\nA1,2026-01-01,10.00\nA1,2026-01-02,-4.00\n');
    assert.equal(loyal(['import', 'purchases', 'p.csv']).status, 0);
    const own = loyal(['import', 'p.csv', '--json']);
    assert.equal(own.status, 0, own.stderr);
    assert.deepEqual(
      (({ source, created, matched, purchases, refunds, incidents, skipped }) => ({ source, created, matched, purchases, refunds, incidents, skipped }))(JSON.parse(own.stdout)),
      { source: 'loyal', created: 0, matched: 1, purchases: 2, refunds: 1, incidents: 0, skipped: {} },
      'without the kind, the summary of every source',
    );
    assert.deepEqual((await book()).purchases.map((p) => p.amount).sort(), ['-4.00', '-4.00', '10.00', '10.00']);
    const usage = loyal(['import', 'p.csv', '--decimal', 'semicolon']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--decimal must be one of comma, dot/);
  });
});

describe('import values as spreadsheets write them', () => {
  it('reads amounts with decimal commas, thousands separators, currency symbols and accounting negatives', () => {
    const cases: Array<[string, 'comma' | 'dot' | undefined, string | undefined]> = [
      ['12,50', undefined, '12.50'],
      ['1.234,50 €', undefined, '1234.50'],
      ['$1,234.50', undefined, '1234.50'],
      ['1\u00a0234,50', 'comma', '1234.50'],
      ["1'234.50 CHF", undefined, '1234.50'],
      ['(12.00)', undefined, '-12.00'],
      ['-3,00 €', 'comma', '-3.00'],
      ['12.50', 'comma', undefined],
      ['12,345', 'comma', undefined],
      ['abc', undefined, undefined],
    ];
    for (const [text, decimal, want] of cases) assert.equal(readAmount(text, decimal), want, `${text} (${decimal ?? 'guess'})`);
  });

  it('reads dates with offsets, in UTC, and in either day/month order', () => {
    assert.deepEqual(readMoment('2025-10-07 09:50:26 +0200'), { day: '2025-10-07', instant: '2025-10-07T09:50:26+02:00' });
    assert.deepEqual(readMoment('2025-10-07 23:50', 'YYYY-MM-DD', true), { day: '2025-10-07', instant: '2025-10-07T23:50:00Z' });
    assert.equal(readMoment('15/01/2024', 'DD/MM/YYYY')?.day, '2024-01-15');
    assert.equal(readMoment('01/15/2024', 'MM/DD/YYYY')?.day, '2024-01-15');
    assert.equal(readMoment('15/01/2024', 'MM/DD/YYYY'), undefined);
    assert.equal(readMoment('2024-02-30'), undefined);
  });

  it('detects UTF-8 with and without BOM, UTF-16 with and without BOM, and Windows-1252', () => {
    const text = 'Nom;Montant\nHélène;12,50 €\n';
    assert.deepEqual(decodeBytes(Buffer.from('\ufeff' + text, 'utf8')), { text, encoding: 'utf-8', bom: true });
    assert.deepEqual(decodeBytes(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8', bom: false });
    assert.deepEqual(decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), { text, encoding: 'utf-16le', bom: true });
    assert.equal(decodeBytes(Buffer.from(text, 'utf16le')).encoding, 'utf-16le');
    const latin = Buffer.from([0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65, 0x20, 0x80]);
    assert.deepEqual(decodeBytes(latin), { text: 'Hélène €', encoding: 'windows-1252', bom: false });
  });
});
