// The `loyal` command line as a user runs it: the CLI bundled like dist/cli.js, spawned
// as a real process on real files in a temp folder.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleCli } from '../support/cliBundle';
import { generateDemoBook } from '../../../src/domain/demo';
import { LoyalFile } from '../../../src/domain/records';
import { serialiseFile } from '../../../src/store/serialise';

const ROOT = join(__dirname, '..', '..', '..');
let folder: string;
let cli: string;
let adder: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function loyal(args: string[], env: NodeJS.ProcessEnv = { LOYAL_USER: 'Tester' }): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: folder, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'Europe/Rome', ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must fail, and checks that it changed nothing on disk. */
async function refused(args: string[], code: 1 | 2, file = 'loyal.json'): Promise<Run> {
  const path = join(folder, file);
  const before = existsSync(path) ? await readFile(path) : undefined;
  const run = loyal(args);
  assert.equal(run.status, code, `exit code of loyal ${args.join(' ')}; stderr: ${run.stderr}`);
  assert.ok(run.stderr.startsWith('loyal: '), `message on stderr: ${run.stderr}`);
  const after = existsSync(path) ? await readFile(path) : undefined;
  assert.deepEqual(after, before, 'the data file is unchanged');
  return run;
}

async function book(): Promise<LoyalFile> {
  return JSON.parse(await readFile(join(folder, 'loyal.json'), 'utf8')) as LoyalFile;
}

describe('loyal (command line)', function () {
  this.timeout(120_000);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-cli-'));
    cli = join(folder, 'cli.js');
    const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' } as const;
    await bundleCli(cli);
    // A process that runs `loyal add purchase` many times in a row, each run opening the file anew.
    const adderSource = join(folder, 'adder.ts');
    await writeFile(
      adderSource,
      `import { runCli } from ${JSON.stringify(join(ROOT, 'src/cli/run.ts'))};
const [file, customer, tag, count] = process.argv.slice(2);
const io = { stdout: () => undefined, stderr: (t: string) => void process.stderr.write(t), env: { LOYAL_USER: tag }, cwd: process.cwd() };
(async () => {
  for (let i = 0; i < Number(count); i++) {
    const code = await runCli(['add', 'purchase', '--file', file, '--customer', customer, '--amount', String(i + 1), '--note', tag + '-' + i], io);
    if (code !== 0) { process.exitCode = code; return; }
  }
})();
`,
    );
    adder = join(folder, 'adder.js');
    await build({ ...common, entryPoints: [adderSource], outfile: adder });
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await rm(join(folder, 'loyal.json'), { force: true });
  });

  describe('usage', () => {
    it('prints help with exit 0, and exit 2 without a command or with an unknown one', async () => {
      const help = loyal(['--help']);
      assert.equal(help.status, 0);
      for (const command of ['init', 'check', 'add', 'import', 'export', 'demo', 'schema']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
      const addHelp = loyal(['add', 'incident', '--help']);
      assert.equal(addHelp.status, 0);
      assert.match(addHelp.stdout, /--category product\|people\|timeliness\|process\|other/);
      assert.match((await refused([], 2)).stderr, /a command is required/);
      assert.match((await refused(['frobnicate'], 2)).stderr, /unknown command "frobnicate"/);
      assert.match((await refused(['add', 'unicorn', '--name', 'x'], 2)).stderr, /unknown kind "unicorn"/);
    });

    it('refuses unknown flags, missing required flags and missing values with exit 2', async () => {
      assert.equal(loyal(['init']).status, 0);
      assert.match((await refused(['add', 'customer', '--name', 'Ann', '--bogus', 'x'], 2)).stderr, /unknown flag --bogus/);
      assert.match((await refused(['add', 'purchase', '--customer', 'x'], 2)).stderr, /missing required flag --amount/);
      assert.match((await refused(['add', 'customer', '--name'], 2)).stderr, /--name needs a value/);
      assert.match((await refused(['check', 'extra'], 2)).stderr, /unexpected argument "extra"/);
      assert.match((await refused(['import', 'purchases'], 2)).stderr, /missing the CSV file/);
    });
  });

  describe('init and check', () => {
    it('creates a file once, then refuses to overwrite it (exit 1)', async () => {
      const run = loyal(['init']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal((await book()).schemaVersion, 1);
      assert.match((await refused(['init'], 1)).stderr, /already exists/);
    });

    it('says a healthy file is ok, with --json counts', async () => {
      loyal(['init']);
      loyal(['add', 'customer', '--name', 'Ann']);
      assert.equal(loyal(['check']).status, 0);
      const json = JSON.parse(loyal(['--file', 'loyal.json', '--json', 'check']).stdout) as { ok: boolean; counts: Record<string, number> };
      assert.equal(json.ok, true);
      assert.equal(json.counts.customers, 1);
    });

    it('says where a broken file is broken, by line and record path, and every other command refuses it', async () => {
      await writeFile(join(folder, 'loyal.json'), '{\n  "schemaVersion": 1,\n  "customers": [,]\n}\n');
      let run = await refused(['check'], 1);
      assert.match(run.stderr, /line 3/);
      const valid = generateDemoBook({ customers: 3, incidents: 1, seed: 1, today: '2026-03-15' });
      const text = serialiseFile(valid)
        .replace('"severity": "minor"', '"severity": "huge"')
        .replace('"severity": "major"', '"severity": "huge"')
        .replace('"severity": "critical"', '"severity": "huge"');
      await writeFile(join(folder, 'loyal.json'), text);
      const line = text.split('\n').findIndex((l) => l.includes('"huge"')) + 1;
      run = await refused(['check'], 1);
      assert.match(run.stderr, new RegExp(`line ${line}.*incidents\\[0\\]\\.severity`));
      const json = JSON.parse(loyal(['check', '--json']).stdout) as { ok: boolean; problems: Array<{ line: number; path: string }> };
      assert.equal(json.ok, false);
      assert.equal(json.problems[0].line, line);
      run = await refused(['add', 'customer', '--name', 'Ann'], 1);
      assert.match(run.stderr, new RegExp(`line ${line}`));
      await refused(['export', 'customers'], 1);
      // Nothing of the review of a broken book is shown.
      for (const args of [['review'], ['review', '--json']]) {
        run = await refused(args, 1);
        assert.match(run.stderr, new RegExp(`line ${line}.*incidents\\[0\\]\\.severity`));
        assert.equal(run.stdout, '', `loyal ${args.join(' ')} prints nothing of a broken book`);
      }
    });

    it('refuses a missing file with exit 1', async () => {
      assert.match((await refused(['check'], 1)).stderr, /no data file/);
      assert.match((await refused(['add', 'customer', '--name', 'Ann'], 1)).stderr, /loyal init/);
    });
  });

  describe('add', () => {
    beforeEach(() => {
      assert.equal(loyal(['init']).status, 0);
    });

    it('adds a customer with every flag and prints the new id', async () => {
      const run = loyal([
        'add',
        'customer',
        '--name',
        'Giulia Rossi',
        '--external-id',
        'SHOP-1',
        '--company',
        'Caffè Aurora',
        '--email',
        'g@example.it',
        '--phone',
        '+39 1',
        '--address',
        'Via Roma 1',
        '--tag',
        'vip',
        '--tag',
        'wholesale',
        '--owner',
        'Tom',
        '--source',
        'fair',
        '--keep-in-touch-days',
        '30',
        '--on-time-hours',
        '24',
        '--notes',
        'likes light roasts',
        '--archived',
      ]);
      assert.equal(run.status, 0, run.stderr);
      const id = run.stdout.trim();
      assert.match(id, /^cus_[0-9a-z]+$/);
      const [customer] = (await book()).customers;
      assert.deepEqual(
        { ...customer, createdAt: undefined, updatedAt: undefined },
        {
          id,
          externalId: 'SHOP-1',
          name: 'Giulia Rossi',
          company: 'Caffè Aurora',
          email: 'g@example.it',
          phone: '+39 1',
          address: 'Via Roma 1',
          tags: ['vip', 'wholesale'],
          owner: 'Tom',
          source: 'fair',
          keepInTouchDays: 30,
          onTimeHours: 24,
          notes: 'likes light roasts',
          archived: true,
          createdAt: undefined,
          createdBy: 'Tester',
          updatedAt: undefined,
          updatedBy: 'Tester',
        },
      );
    });

    it('adds records that refer to a customer by external id, and prints the record with --json', async () => {
      loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']);
      const customerId = (await book()).customers[0].id;
      const purchase = JSON.parse(loyal(['add', 'purchase', '--customer', 'A1', '--amount', '12.5', '--date', '2026-03-02', '--json']).stdout);
      assert.deepEqual([purchase.customerId, purchase.amount, purchase.currency, purchase.date, purchase.createdBy], [customerId, '12.50', 'EUR', '2026-03-02', 'Tester']);
      const incident = JSON.parse(
        loyal([
          'add',
          'incident',
          '--customer',
          'A1',
          '--channel',
          'phone',
          '--category',
          'timeliness',
          '--at',
          '2026-03-02T09:15',
          '--tag',
          'late delivery',
          '--severity',
          'major',
          '--cause',
          'preventable',
          '--component',
          'delivery',
          '--staff',
          'Tom',
          '--summary',
          'Box late',
          '--json',
        ]).stdout,
      );
      assert.equal(incident.openedAt, '2026-03-02T09:15:00+01:00', 'local time (TZ Europe/Rome) with its offset');
      assert.deepEqual(incident.tags, ['late delivery']);
      const followUp = JSON.parse(
        loyal([
          'add',
          'followup',
          '--customer',
          customerId,
          '--incident',
          incident.id,
          '--kind',
          'satisfaction-check',
          '--due',
          '2026-03-05',
          '--satisfied',
          'no',
          '--rating',
          '2',
          '--status',
          'done',
          '--done-at',
          '2026-03-05T10:00',
          '--json',
        ]).stdout,
      );
      assert.deepEqual(followUp.outcome, { satisfied: false, rating: 2 });
      assert.equal(followUp.assignee, 'Tester');
      assert.equal(followUp.doneBy, 'Tester');
      for (const args of [
        ['subscription', '--customer', 'A1', '--amount', '29', '--period', 'month', '--start', '2026-01-01'],
        ['contact', '--customer', 'A1', '--channel', 'email', '--summary', 'hello'],
        ['note', '--customer', 'A1', '--due', '2026-03-06'],
        ['release', '--component', 'website', '--version', '4.0.0', '--date', '2026-03-01'],
        ['member', '--name', 'Tom Becker'],
      ]) {
        const run = loyal(['add', ...args]);
        assert.equal(run.status, 0, `${args[0]}: ${run.stderr}`);
      }
      const file = await book();
      assert.deepEqual([file.subscriptions.length, file.contacts[0].by, file.notes.length, file.releases[0].version, file.team[0].name], [1, 'Tester', 1, '4.0.0', 'Tom Becker']);
    });

    it('refuses values it cannot read with exit 2, naming the flag, and writes nothing', async () => {
      loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']);
      assert.match((await refused(['add', 'purchase', '--customer', 'A1', '--amount', '10', '--date', '2026-02-30'], 2)).stderr, /--date: "2026-02-30" must be a date/);
      assert.match((await refused(['add', 'purchase', '--customer', 'A1', '--amount', 'ten'], 2)).stderr, /--amount: "ten" must be an amount/);
      assert.match((await refused(['add', 'purchase', '--customer', 'A1', '--amount', '12,50'], 2)).stderr, /--amount/);
      assert.match((await refused(['add', 'purchase', '--customer', 'A1', '--amount', '1', '--currency', 'euro'], 2)).stderr, /--currency/);
      assert.match(
        (await refused(['add', 'incident', '--customer', 'A1', '--channel', 'email', '--category', 'quality'], 2)).stderr,
        /--category: "quality" must be one of product, people, timeliness, process, other/,
      );
      assert.match(
        (await refused(['add', 'incident', '--customer', 'A1', '--channel', 'email', '--category', 'product', '--at', '2026-03-02'], 2)).stderr,
        /--at: "2026-03-02" must be a date and time/,
      );
      assert.match((await refused(['add', 'customer', '--name', 'Bo', '--keep-in-touch-days', '0'], 2)).stderr, /--keep-in-touch-days/);
      assert.match((await refused(['add', 'followup', '--customer', 'A1', '--kind', 'custom', '--due', '2026-03-01', '--rating', '9', '--satisfied', 'yes'], 2)).stderr, /--rating/);
    });

    it('refuses a customer or incident that is not in the book with exit 1', async () => {
      assert.match((await refused(['add', 'purchase', '--customer', 'NOPE', '--amount', '10'], 1)).stderr, /--customer: no customer has the id or external id "NOPE"/);
      loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']);
      assert.match((await refused(['add', 'followup', '--customer', 'A1', '--kind', 'custom', '--due', '2026-03-01', '--incident', 'inc_nothere'], 1)).stderr, /no incident inc_nothere/);
    });

    it('takes the user from --user, then LOYAL_USER, then git user.name', async () => {
      const gitconfig = join(folder, 'gitconfig');
      await writeFile(gitconfig, '[user]\n\tname = Git Person\n');
      const env = { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', HOME: folder };
      const byGit = JSON.parse(loyal(['add', 'customer', '--name', 'A', '--json'], env).stdout);
      const byEnv = JSON.parse(loyal(['add', 'customer', '--name', 'B', '--json'], { ...env, LOYAL_USER: 'Env Person' }).stdout);
      const byFlag = JSON.parse(loyal(['add', 'customer', '--name', 'C', '--json', '--user', 'Flag Person'], { ...env, LOYAL_USER: 'Env Person' }).stdout);
      assert.deepEqual([byGit.createdBy, byEnv.createdBy, byFlag.createdBy], ['Git Person', 'Env Person', 'Flag Person']);
    });

    it('loses nothing when two processes add 50 purchases each at the same time', async () => {
      loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']);
      const path = join(folder, 'loyal.json');
      const runAdder = (tag: string) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [adder, path, 'A1', tag, '50'], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', resolve);
        });
      const codes = await Promise.all([runAdder('one'), runAdder('two')]);
      assert.deepEqual(codes, [0, 0]);
      const notes = (await book()).purchases.map((p) => p.note).sort();
      const expected = ['one', 'two'].flatMap((tag) => Array.from({ length: 50 }, (_, i) => `${tag}-${i}`)).sort();
      assert.deepEqual(notes, expected);
      assert.equal(loyal(['check']).status, 0);
    });
  });

  describe('import and export', () => {
    beforeEach(() => {
      assert.equal(loyal(['init']).status, 0);
      assert.equal(loyal(['add', 'customer', '--name', 'Ann', '--external-id', 'A1']).status, 0);
    });

    it('reports every bad row with its line and writes nothing (exit 1)', async () => {
      await writeFile(join(folder, 'p.csv'), 'customer_id,date,amount\nA1,2026-01-01,10.00\nA1,2026-02-30,10.00\nB2,2026-01-02,1.00\nA1,2026-01-03,1O.00\n');
      const run = await refused(['import', 'purchases', 'p.csv'], 1);
      assert.match(run.stderr, /nothing imported: 3 problems/);
      assert.match(run.stderr, /p\.csv:3: date: "2026-02-30"/);
      assert.match(run.stderr, /p\.csv:4: customer_id: no customer .*"B2"/);
      assert.match(run.stderr, /p\.csv:5: amount: "1O\.00"/);
      const json = JSON.parse(loyal(['import', 'purchases', 'p.csv', '--json']).stdout);
      assert.deepEqual(
        json.errors.map((e: { line: number }) => e.line),
        [3, 4, 5],
      );
    });

    it('checks without writing on --dry-run, then imports, creating customers on request', async () => {
      await writeFile(join(folder, 'p.csv'), '\ufeffcustomer_id,date,amount,currency,note\r\nA1,2026-01-01,10.00,EUR,"gift, wrapped"\r\nB2,2026-01-02,1.00,,\r\n');
      await refused(['import', 'purchases', 'p.csv'], 1);
      const dry = loyal(['import', 'purchases', 'p.csv', '--create-customers', '--dry-run', '--json']);
      assert.equal(dry.status, 0, dry.stderr);
      assert.deepEqual(JSON.parse(dry.stdout), { file: join(folder, 'p.csv'), kind: 'purchases', rows: 2, dryRun: true, create: 3, update: 0, customersToCreate: 1, errors: [] });
      assert.equal((await book()).purchases.length, 0, 'dry run wrote nothing');
      const run = loyal(['import', 'purchases', 'p.csv', '--create-customers']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Imported 2 rows: 3 records created, 0 updated \(including 1 new customers\)/);
      const file = await book();
      assert.deepEqual(file.customers.map((c) => c.externalId).sort(), ['A1', 'B2']);
      assert.equal(file.purchases.find((p) => p.note)?.note, 'gift, wrapped');
    });

    it('exports CSV on stdout that imports back', async () => {
      loyal(['add', 'purchase', '--customer', 'A1', '--amount', '3.20', '--date', '2026-01-05', '--note', 'line one\nline two']);
      const run = loyal(['export', 'purchases']);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, 'customer_id,date,amount,currency,note\nA1,2026-01-05,3.20,EUR,"line one\nline two"\n');
      await writeFile(join(folder, 'again.csv'), run.stdout);
      assert.equal(loyal(['import', 'purchases', 'again.csv']).status, 0);
      assert.equal((await book()).purchases.length, 2);
      assert.deepEqual(JSON.parse(loyal(['export', 'purchases', '--json']).stdout)[0], { customer_id: 'A1', date: '2026-01-05', amount: '3.20', currency: 'EUR', note: 'line one\nline two' });
      assert.match(loyal(['export', 'followups']).stdout, /^customer_id,incident_id,kind,due,assignee,status,snoozed_until,satisfied,rating,comment,done_at,done_by\n$/);
    });

    it('refuses a CSV file that does not exist with exit 1', async () => {
      assert.match((await refused(['import', 'customers', 'missing.csv'], 1)).stderr, /cannot read .*missing\.csv: no such file/);
    });
  });

  describe('demo', () => {
    it('writes a valid generated book and will not overwrite a file without --force', async () => {
      const run = loyal(['demo', '--customers', '60', '--seed', '3', '--today', '2026-03-15']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Wrote .*loyal\.json: 60 customers/);
      assert.equal(loyal(['check']).status, 0);
      const first = await book();
      assert.equal(first.incidents.length, 30);
      assert.equal(first.team[0].name, 'Tester');
      assert.match((await refused(['demo', '--customers', '10'], 1)).stderr, /already exists.*--force/);
      const forced = loyal(['demo', '--customers', '10', '--seed', '4', '--force', '--json']);
      assert.equal(forced.status, 0, forced.stderr);
      assert.equal(JSON.parse(forced.stdout).counts.customers, 10);
      assert.equal((await book()).customers.length, 10);
      assert.deepEqual(
        (await readdir(folder)).filter((name) => name.includes('demo')),
        [],
        'no temp file left behind',
      );
      assert.match((await refused(['demo', '--customers', 'lots', '--force'], 2)).stderr, /--customers/);
      assert.match((await refused(['demo', '--today', '2026-02-30', '--force'], 2)).stderr, /--today/);
    });

    it('staffs the demo with demo people, not the git user of the machine', async () => {
      const home = await mkdtemp(join(tmpdir(), 'loyal-demo-home-'));
      await writeFile(join(home, '.gitconfig'), '[user]\n\tname = Machine Owner\n');
      const run = loyal(['demo', '--customers', '20', '--seed', '5', '--force'], { HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig') });
      assert.equal(run.status, 0, run.stderr);
      const demo = await book();
      const people = [...demo.team.map((m) => m.name), ...demo.incidents.map((i) => i.staff), ...demo.followUps.map((f) => f.assignee)];
      assert.ok(!people.includes('Machine Owner'), 'the git name is nowhere on the staff');
      assert.equal(demo.team[0].name, 'Giulia Rossi', 'the demo owner');
    });
  });

  describe('schema', () => {
    it('prints a JSON Schema that a demo file satisfies and a broken record does not', async () => {
      const run = loyal(['schema']);
      assert.equal(run.status, 0);
      const schema = JSON.parse(run.stdout) as JsonSchema;
      assert.deepEqual(schema.required, ['schemaVersion'], 'with io input, collections with defaults are optional');
      const incident = schema.properties!.incidents.items!;
      assert.deepEqual(incident.properties!.category.enum, ['product', 'people', 'timeliness', 'process', 'other']);
      assert.ok(incident.required!.includes('openedAt') && !incident.required!.includes('severity'));
      assert.equal(typeof incident.properties!.openedAt.description, 'string');
      assert.equal(typeof incident.properties!.openedAt.patternErrorMessage, 'string');
      const demo = JSON.parse(JSON.stringify(generateDemoBook({ customers: 80, seed: 2, today: '2026-03-15' })));
      assert.ok(LoyalFile.safeParse(demo).success);
      assert.deepEqual(validate(schema, demo, '$'), []);
      demo.incidents[0].severity = 'huge';
      demo.customers[0].nickname = 'x';
      delete demo.purchases[0].amount;
      demo.purchases[1].amount = 12.5;
      assert.deepEqual(
        validate(schema, demo, '$').sort(),
        ['$.customers[0]: unexpected nickname', '$.incidents[0].severity: not in enum', '$.purchases[0]: missing amount', '$.purchases[1].amount: not a string'].sort(),
      );
    });
  });
});

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
  patternErrorMessage?: string;
}

/** The subset of JSON Schema that z.toJSONSchema writes for the records. */
function validate(schema: JsonSchema, value: unknown, at: string): string[] {
  const problems: string[] = [];
  const types: Record<string, (v: unknown) => boolean> = {
    object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    number: (v) => typeof v === 'number',
    integer: Number.isInteger,
    boolean: (v) => typeof v === 'boolean',
  };
  if (schema.type && !types[schema.type](value)) return [`${at}: not a${schema.type === 'integer' || schema.type === 'object' || schema.type === 'array' ? 'n' : ''} ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: not in enum`);
  if (schema.const !== undefined && schema.const !== value) problems.push(`${at}: not ${String(schema.const)}`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) problems.push(`${at}: below minimum`);
  if (schema.maximum !== undefined && typeof value === 'number' && value > schema.maximum) problems.push(`${at}: above maximum`);
  if (schema.type === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}: missing ${key}`);
    for (const [key, child] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...validate(sub, child, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}: unexpected ${key}`);
    }
  }
  if (schema.type === 'array' && schema.items) (value as unknown[]).forEach((item, i) => problems.push(...validate(schema.items!, item, `${at}[${i}]`)));
  return problems;
}
