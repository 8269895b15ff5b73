// The report and rule commands of `loyal` (ltv, review, resolve, trends, merge) as a user
// runs them: the CLI bundled like dist/cli.js, spawned on real files in a temp folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../support/cliBundle';
import { DEMO_PLANTED, generateDemoBook } from '../../../src/domain/demo';
import { emptyFile, LoyalFile, type Customer, type FollowUp, type HandwrittenNote, type Incident, type Purchase } from '../../../src/domain/records';
import { computeTrends } from '../../../src/domain/trends/compute';
import { trendsToMarkdown } from '../../../src/domain/trends/render';
import { serialiseFile } from '../../../src/store/serialise';
import { AUDIT, BookBuilder } from '../support/builders';
import { cdnowDir } from '../support/cdnow';

let folder: string;
let cli: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function loyal(args: string[]): Run {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: folder,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TZ: 'Europe/Rome', LOYAL_USER: 'Tester' },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: string[]): Run {
  const run = loyal(args);
  assert.equal(run.status, 0, `loyal ${args.join(' ')} failed: ${run.stderr}`);
  return run;
}

function json<T>(args: string[]): T {
  return JSON.parse(ok([...args, '--json']).stdout) as T;
}

async function writeBook(name: string, file: LoyalFile): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, serialiseFile(LoyalFile.parse(file)));
  return path;
}

async function readBook(path: string): Promise<LoyalFile> {
  return JSON.parse(await readFile(path, 'utf8')) as LoyalFile;
}

interface LtvRow {
  id: string;
  externalId?: string;
  name: string;
  pPurchase12m?: number;
  historicalValue: number;
  ltv: number;
  model: string;
  pAlive?: number;
  expectedPurchases12m?: number;
  explanation: { model: string; formula: string } | null;
}
interface LtvReport {
  asOf: string;
  model: {
    kind: string;
    params?: Record<string, number>;
    counts: { customers: number; repeatBuyers: number };
    backtest?: { from: string; predictedRevenue: number; actualRevenue: number; revenueError?: number };
  };
  customers: LtvRow[];
}

describe('loyal ltv, review, resolve, trends, merge (command line)', function () {
  this.timeout(180_000);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-cli-reports-'));
    cli = join(folder, 'cli.js');
    await bundleCli(cli);
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('loyal ltv', () => {
    let path: string;
    let regular: Customer;
    let once: Customer;
    let never: Customer;

    before(async () => {
      const b = new BookBuilder();
      regular = b.customer({ name: 'Regular Rita' });
      once = b.customer({ name: 'Once Otto' });
      never = b.customer({ name: 'Never Nina' });
      for (const date of ['2025-09-01', '2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']) b.purchase(regular.id, date, { amount: '40.00' });
      b.purchase(once.id, '2026-02-10', { amount: '25.50' });
      // After the as-of day of the report: must not count.
      b.purchase(never.id, '2026-03-10', { amount: '999.00' });
      path = await writeBook('ltv.json', b.build());
    });

    it('lists every customer, most valuable first, with paid value, LTV, model and explanation', () => {
      const report = json<LtvReport>(['ltv', '--file', path, '--as-of', '2026-03-01']);
      assert.equal(report.asOf, '2026-03-01');
      assert.deepEqual(
        report.customers.map((c) => c.name),
        ['Regular Rita', 'Once Otto', 'Never Nina'],
      );
      const [rita, otto, nina] = report.customers;
      assert.equal(nina.id, never.id);
      assert.equal(rita.id, regular.id);
      assert.equal(rita.historicalValue, 240);
      assert.ok(rita.ltv > otto.ltv && otto.ltv > 0, `LTVs ${rita.ltv} > ${otto.ltv} > 0`);
      assert.equal(rita.model, 'bg-nbd');
      assert.ok(rita.explanation && rita.explanation.formula.length > 0, 'an explanation with its formula');
      assert.equal(otto.historicalValue, 25.5);
      assert.equal(report.model.kind, 'bg-nbd', 'one repeat buyer is enough for the shrunk BG/NBD fit');
      assert.equal(report.model.counts.customers, 2);
      assert.equal(report.model.counts.repeatBuyers, 1);
      for (const row of report.customers) for (const key of ['id', 'name', 'historicalValue', 'ltv', 'model', 'explanation']) assert.ok(key in row, `${key} in ${row.name}`);
    });

    it('--as-of ignores purchases after the day; a later day sees them', () => {
      const before = json<LtvReport>(['ltv', '--file', path, '--as-of', '2026-03-01']).customers.find((c) => c.id === never.id)!;
      assert.equal(before.historicalValue, 0);
      assert.equal(before.ltv, 0);
      const later = json<LtvReport>(['ltv', '--file', path, '--as-of', '2026-03-31']).customers.find((c) => c.id === never.id)!;
      assert.equal(later.historicalValue, 999);
      assert.ok(later.ltv > 0);
    });

    it('prints a table sorted by LTV and the book model', () => {
      const lines = ok(['ltv', '--file', path, '--as-of', '2026-03-01']).stdout.trimEnd().split('\n');
      assert.match(lines[0], /^Customer\s+Paid\s+LTV\s+Model$/);
      assert.match(lines[1], /^Regular Rita\s+240\.00\s+\d+\.\d\d\s+BG\/NBD$/);
      assert.match(lines[2], /^Once Otto\s+25\.50\s/);
      assert.match(lines[3], /^Never Nina\s+0\.00\s+0\.00\s+none$/);
      assert.ok(
        lines.some((l) => l.startsWith('Book model: BG/NBD') && l.includes('shrunk toward the priors')),
        lines.join('\n'),
      );
      // With the plain rule asked for, the line says why.
      const rule = ok(['ltv', '--file', path, '--as-of', '2026-03-01', '--min-repeat-buyers', '5']).stdout;
      assert.match(rule, /Book model: simple \(too-few-repeat-buyers, 5 repeat buyers needed for BG\/NBD\)/);
    });

    it('refuses a malformed setting with exit 2', () => {
      const run = loyal(['ltv', '--file', path, '--margin', '1.5']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--margin/);
    });

    it('fits the published BG/NBD parameters on the CDNOW sample imported as purchases (days)', async () => {
      const file = emptyFile();
      const customers = new Map<string, Customer>();
      const text = await readFile(join(cdnowDir, 'CDNOW_sample.txt'), 'utf8');
      let n = 0;
      for (const line of text.split(/\r?\n/)) {
        const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
        if (!/^\d{8}$/.test(date ?? '')) continue;
        let customer = customers.get(sampleId);
        if (!customer) {
          customer = { id: `cus_cdnow${sampleId}`, externalId: sampleId, name: `CDNOW ${sampleId}`, tags: [], archived: false, ...AUDIT };
          customers.set(sampleId, customer);
          file.customers.push(customer);
        }
        const purchase: Purchase = {
          id: `pur_cdnow${String(n++).padStart(6, '0')}`,
          customerId: customer.id,
          date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
          amount: Number(dollars).toFixed(2),
          currency: 'USD',
          ...AUDIT,
        };
        file.purchases.push(purchase);
      }
      assert.equal(file.customers.length, 2357);
      assert.equal(file.purchases.length, 6919);
      const path = await writeBook('cdnow.json', file);
      const report = json<LtvReport>(['ltv', '--file', path, '--as-of', '1997-09-30']);
      assert.equal(report.model.kind, 'bg-nbd');
      const params = report.model.params!;
      const within = (actual: number, expected: number, label: string): void => assert.ok(Math.abs(actual / expected - 1) <= 0.01, `${label} = ${actual}, published ${expected}`);
      within(params.r, 0.2426, 'r');
      within(params.alpha, 4.4135 * 7, 'alpha (days)');
      within(params.a, 0.7929, 'a');
      within(params.b, 2.4258, 'b');
      assert.equal(report.model.counts.repeatBuyers, 946);
      const someone = report.customers.find((c) => c.model === 'bg-nbd')!;
      assert.ok(someone.pAlive !== undefined && someone.expectedPurchases12m !== undefined, 'BG/NBD customers carry pAlive and expected purchases');
      // Each row names the customer in the system it came from, and its chance of buying again.
      const c0001 = report.customers.find((c) => c.externalId === '0001')!;
      assert.equal(c0001.id, 'cus_cdnow0001');
      assert.ok(c0001.pPurchase12m! > 0 && c0001.pPurchase12m! < 1);
      const once = report.customers.filter((c) => c.model === 'bg-nbd' && c.pAlive === 1);
      assert.ok(once.length > 1000 && once.every((c) => c.pPurchase12m! < 0.5), 'one-time buyers: P(alive) 1 by construction, chance of buying again well below');
      // The back-test: as of 1997-09-30, the book 6 months earlier (1997-03-30) is too young (first purchases from January).
      assert.equal(report.model.backtest, undefined);
      const later = json<LtvReport>(['ltv', '--file', path, '--as-of', '1998-06-30']);
      const b = later.model.backtest!;
      assert.equal(b.from, '1997-06-30');
      const actual = file.purchases.filter((p) => p.date > '1997-06-30' && p.date <= '1998-06-30').reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0) / 100;
      assert.ok(Math.abs(b.actualRevenue - actual) < 0.005, `${b.actualRevenue} vs ${actual}`);
      assert.ok(Math.abs(b.revenueError! - (b.predictedRevenue / b.actualRevenue - 1)) < 1e-4);
    });
  });

  describe('loyal review', () => {
    let path: string;
    let ids: { rita: Customer; bob: Customer; overdue: FollowUp; todays: FollowUp; note: HandwrittenNote; second: Incident };

    before(async () => {
      const b = new BookBuilder();
      const rita = b.customer({ name: 'Rita Risk' });
      const bob = b.customer({ name: 'Bob Quiet' });
      for (const date of ['2025-06-01', '2025-06-08', '2025-06-15', '2025-06-22']) b.purchase(bob.id, date);
      b.purchase(rita.id, '2026-02-01');
      b.incident(rita.id, '2026-01-10T10:00:00+01:00');
      const second = b.incident(rita.id, '2026-02-20T10:00:00+01:00', { severity: 'major' });
      const overdue = b.followUp(rita.id, '2026-02-26', { kind: 'satisfaction-check', assignee: 'Sam' });
      const todays = b.followUp(bob.id, '2026-03-02', { title: 'Call Bob', assignee: 'Tester' });
      const note = b.note(rita.id, '2026-03-03', { text: 'Sorry' });
      path = await writeBook('review.json', b.build());
      ids = { rita, bob, overdue, todays, note, second };
    });

    interface ReviewJson {
      asOf: string;
      overdue: Array<{ followUpId: string; customerId: string; customerName: string; daysUntilDue: number }>;
      today: Array<{ followUpId: string; customerId: string; customerName: string; daysUntilDue: number }>;
      notes: Array<{ noteId: string; customerId: string; customerName: string; daysUntilDue: number }>;
      atRisk: Array<{ customerId: string; customerName: string; reasons: string[] }>;
      quiet: Array<{ customerId: string; customerName: string; daysSince: number }>;
    }

    it('--json gives overdue, today, notes, at risk and quiet, each naming its customer', () => {
      const review = json<ReviewJson>(['review', '--file', path, '--as-of', '2026-03-02']);
      assert.equal(review.asOf, '2026-03-02');
      assert.deepEqual(
        review.overdue.map((f) => [f.followUpId, f.customerId, f.customerName, f.daysUntilDue]),
        [[ids.overdue.id, ids.rita.id, 'Rita Risk', -4]],
      );
      assert.deepEqual(
        review.today.map((f) => [f.followUpId, f.customerId, f.customerName]),
        [[ids.todays.id, ids.bob.id, 'Bob Quiet']],
      );
      assert.deepEqual(
        review.notes.map((n) => [n.noteId, n.customerId, n.customerName, n.daysUntilDue]),
        [[ids.note.id, ids.rita.id, 'Rita Risk', 1]],
      );
      assert.deepEqual(
        review.atRisk.map((c) => [c.customerId, c.customerName]),
        [[ids.rita.id, 'Rita Risk']],
      );
      assert.ok(review.atRisk[0].reasons.includes('repeat-failure'));
      assert.deepEqual(
        review.quiet.map((q) => [q.customerId, q.customerName]),
        [[ids.bob.id, 'Bob Quiet']],
      );
    });

    it('--as-of makes it reproducible, and another day says what that day said', () => {
      const first = ok(['review', '--file', path, '--as-of', '2026-03-02', '--json']).stdout;
      const again = ok(['review', '--file', path, '--as-of', '2026-03-02', '--json']).stdout;
      assert.equal(again, first);
      const earlier = json<ReviewJson>(['review', '--file', path, '--as-of', '2026-02-26']);
      assert.deepEqual(earlier.overdue, []);
      assert.deepEqual(
        earlier.today.map((f) => f.followUpId),
        [ids.overdue.id],
      );
    });

    it('reviews a hand-edited file that leaves out what has a default as the file written in full', async () => {
      const full = await readFile(path, 'utf8');
      const edited = full.replace(/^\s*"(tags": \[\]|reopenCount": 0|archived": false),\n/gm, '');
      assert.ok(edited.length < full.length - 100, 'the defaults are left out');
      const short = join(folder, 'review-short.json');
      await writeFile(short, edited);
      assert.equal(ok(['review', '--file', short, '--as-of', '2026-03-02', '--json']).stdout, ok(['review', '--file', path, '--as-of', '2026-03-02', '--json']).stdout);
    });

    it('--mine keeps the follow-ups of the current user', () => {
      const mine = json<ReviewJson>(['review', '--file', path, '--as-of', '2026-03-02', '--mine']);
      assert.deepEqual(mine.overdue, [], "Sam's follow-up is not Tester's");
      assert.equal(mine.today.length, 1);
      const sam = json<ReviewJson>(['review', '--file', path, '--as-of', '2026-03-02', '--mine', '--user', 'Sam']);
      assert.equal(sam.overdue.length, 1);
      assert.equal(sam.today.length, 0);
    });

    it('prints a digest with headings and relative days', () => {
      const text = ok(['review', '--file', path, '--as-of', '2026-03-02']).stdout;
      assert.match(text, /^Morning review for 2026-03-02/);
      assert.match(text, /Overdue \(1\)\n {2}- Satisfaction check: Rita Risk, 4 days overdue \(2026-02-26\), for Sam/);
      assert.match(text, /Due today \(1\)\n {2}- Follow-up "Call Bob": Bob Quiet, due today/);
      assert.match(text, /Handwritten notes \(1\)\n {2}- To write: Rita Risk, due tomorrow/);
      assert.match(text, /Customers at risk \(1\)\n {2}- Rita Risk: repeat failure/);
      assert.match(text, /Gone quiet \(1\)\n {2}- Bob Quiet: last activity \d+ days ago \(2025-06-22\)/);
    });
  });

  describe('loyal resolve', () => {
    let path: string;
    let major: Incident;
    let customer: Customer;

    before(async () => {
      const b = new BookBuilder();
      customer = b.customer({ name: 'Mara Major', address: 'Via Roma 1, Milano' });
      b.purchase(customer.id, '2026-01-15');
      major = b.incident(customer.id, '2026-02-28T09:00:00+01:00', { severity: 'major', summary: 'Espresso machine arrived broken' });
      path = await writeBook('resolve.json', b.build());
    });

    it('creates the satisfaction check 3 days later and a handwritten note for a major incident', async () => {
      const run = ok(['resolve', major.id, '--file', path, '--at', '2026-03-02T10:00:00+01:00', '--extra-mile', 'a free bag of beans', '--extra-mile-cost', '12', '--note', 'Replaced the machine']);
      const file = await readBook(path);
      const incident = file.incidents.find((i) => i.id === major.id)!;
      assert.equal(incident.resolvedAt, '2026-03-02T10:00:00+01:00');
      assert.equal(incident.resolvedBy, 'Tester');
      assert.equal(incident.extraMile, 'a free bag of beans');
      assert.equal(incident.extraMileCost, '12.00');
      assert.equal(incident.resolutionNote, 'Replaced the machine');
      assert.equal(file.followUps.length, 1);
      const check = file.followUps[0];
      assert.deepEqual([check.kind, check.incidentId, check.due, check.assignee, check.status], ['satisfaction-check', major.id, '2026-03-05', 'Tester', 'pending']);
      assert.equal(file.notes.length, 1);
      const note = file.notes[0];
      assert.deepEqual([note.incidentId, note.customerId, note.due, note.status, note.address], [major.id, customer.id, '2026-03-04', 'to-write', 'Via Roma 1, Milano']);
      assert.match(note.text, /Mara/);
      assert.ok(run.stdout.includes(check.id) && run.stdout.includes('2026-03-05'), run.stdout);
      assert.ok(run.stdout.includes(note.id) && run.stdout.includes('2026-03-04'), run.stdout);
    });

    it('refuses an incident already resolved with exit 1 and leaves the file as it was', async () => {
      const before = await readFile(path);
      const run = loyal(['resolve', major.id, '--file', path]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /^loyal: .*already resolved/);
      assert.deepEqual(await readFile(path), before);
      const unknown = loyal(['resolve', 'inc_doesnotexist', '--file', path]);
      assert.equal(unknown.status, 1);
      assert.deepEqual(await readFile(path), before);
    });

    it('--json gives what was created: a minor first failure gets the check and no note', async () => {
      const b = new BookBuilder();
      const c = b.customer({ name: 'Minnie Minor' });
      const minor = b.incident(c.id, '2026-02-28T09:00:00+01:00');
      const other = await writeBook('resolve-minor.json', b.build());
      const result = json<{ followUps: FollowUp[]; notes: HandwrittenNote[]; reasons: string[] }>(['resolve', minor.id, '--file', other, '--at', '2026-03-02T18:00:00+01:00']);
      assert.equal(result.followUps[0].due, '2026-03-05');
      // A first, minor failure of a customer worth nothing yet: no reason for a note.
      assert.deepEqual(result.reasons, []);
      assert.deepEqual(result.notes, []);
    });
  });

  describe('loyal trends', () => {
    let path: string;
    let file: LoyalFile;

    before(async () => {
      path = await writeBook('demo.json', generateDemoBook({ customers: 1000, seed: 1, today: '2026-03-02' }));
      file = await readBook(path);
    });

    it('--json gives the report, with the planted spike of one staff member at one hour', () => {
      const report = json<{
        topComplaints: Array<{ tag: string; count: number }>;
        byCategory: Record<string, number>;
        byChannel: Record<string, number>;
        bySeverity: Record<string, number>;
        byCause: Record<string, number>;
        spikes: Array<{ staff: string; hour: number; count: number; expected: number }>;
        releases: Array<{ component: string; version: string; date: string; before: number; after: number }>;
        outcomes: object;
        scorecard: object[];
        total: number;
      }>(['trends', '--file', path, '--as-of', '2026-03-02']);
      assert.equal(report.total, file.incidents.length);
      assert.ok(report.topComplaints.length > 0 && report.topComplaints.length <= 5);
      for (const counts of [report.byCategory, report.byChannel, report.bySeverity, report.byCause]) {
        assert.equal(
          Object.values(counts).reduce((a, b) => a + b, 0),
          report.total,
        );
      }
      assert.ok(
        report.spikes.some((s) => s.staff === DEMO_PLANTED.spike.staff && s.hour === DEMO_PLANTED.spike.hour && s.count > s.expected),
        JSON.stringify(report.spikes),
      );
      assert.ok(report.releases.some((r) => r.component === DEMO_PLANTED.release.component && r.version === DEMO_PLANTED.release.version && r.after > r.before));
      assert.ok(report.outcomes && report.scorecard.length > 0);
    });

    it('--md (and the default text) prints the Markdown report', () => {
      const expected = trendsToMarkdown(computeTrends(file, { asOf: '2026-03-02', bucket: 'month', from: '2025-06-01' }));
      const md = ok(['trends', '--file', path, '--as-of', '2026-03-02', '--bucket', 'month', '--from', '2025-06-01', '--md']).stdout;
      assert.equal(md.trimEnd(), expected.trimEnd());
      assert.match(md, new RegExp(DEMO_PLANTED.spike.staff));
      const plain = ok(['trends', '--file', path, '--as-of', '2026-03-02', '--bucket', 'month', '--from', '2025-06-01']).stdout;
      assert.equal(plain, md);
    });

    it('filters by category', () => {
      const report = json<{ total: number; byCategory: Record<string, number> }>(['trends', '--file', path, '--as-of', '2026-03-02', '--category', 'people']);
      assert.equal(report.total, report.byCategory.people);
      assert.equal(report.total, file.incidents.filter((i) => i.category === 'people').length);
    });

    it('exits 2 when --from is after --to, or with both --json and --md', () => {
      for (const args of [
        ['--from', '2026-02-01', '--to', '2026-01-01'],
        ['--from', '2026-04-01', '--as-of', '2026-03-02'],
        ['--json', '--md'],
        ['--bucket', 'day'],
      ]) {
        const run = loyal(['trends', '--file', path, ...args]);
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /^loyal: /);
        assert.equal(run.stdout, '');
      }
    });
  });

  describe('loyal merge (git merge driver)', () => {
    function customer(id: string, name: string): Customer {
      return { id, name, tags: [], archived: false, ...AUDIT };
    }

    it("keeps both sides' new customers", async () => {
      const base = emptyFile();
      base.customers.push(customer('cus_0000base', 'Base Bea'));
      const ours = structuredClone(base);
      ours.customers.push(customer('cus_0000ours', 'Ours Olga'));
      const theirs = structuredClone(base);
      theirs.customers.push(customer('cus_0000thrs', 'Theirs Tim'));
      const paths = [await writeBook('m-base.json', base), await writeBook('m-ours.json', ours), await writeBook('m-theirs.json', theirs)];
      const run = loyal(['merge', ...paths, '--path', 'loyal.json']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /merged record by record/);
      const merged = await readBook(paths[1]);
      assert.deepEqual(merged.customers.map((c) => c.name).sort(), ['Base Bea', 'Ours Olga', 'Theirs Tim']);
      assert.deepEqual(await readBook(paths[2]), LoyalFile.parse(theirs), 'THEIRS is not written');
    });

    it('leaves an unreadable OURS byte for byte and exits non-zero', async () => {
      const base = await writeBook('u-base.json', emptyFile());
      const theirsFile = emptyFile();
      theirsFile.customers.push(customer('cus_0000thrs', 'Theirs Tim'));
      const theirs = await writeBook('u-theirs.json', theirsFile);
      const ours = join(folder, 'u-ours.json');
      const broken = '{\n<<<<<<< HEAD\n  "schemaVersion": 1,\n';
      await writeFile(ours, broken);
      const run = loyal(['merge', base, ours, theirs]);
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /^loyal: /);
      assert.equal(await readFile(ours, 'utf8'), broken);
    });
  });
});
