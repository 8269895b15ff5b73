// `loyal review` end to end, as a cron job runs it: the built CLI (dist/cli.js, from
// `node scripts/build.mjs`) spawned on a book of 100k incidents and 20k pending follow-ups.
// Budget: at most 2x its floor, a new Node process that reads the same file and JSON.parses
// it (nothing checked), timed the same way in the same run, runs interleaved so that both
// see the same load. The machine is shared, so each run's CPU time (user + system, from
// /usr/bin/time) is reported beside its wall time, with the load average.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoBook } from '../../src/domain/demo';
import type { LoyalFile } from '../../src/domain/records';
import { indexBook } from '../../src/domain/book';
import { buildReview } from '../../src/domain/review';
import { LoyalStore } from '../../src/store/store';
import { serialiseFile } from '../../src/store/serialise';
import { CLI_LTV_DEFAULTS, estimateFile, ltvCentsOf } from '../../src/cli/commands/ltv';
import { median, ratioRow, type BenchRow } from './types';

const root = join(__dirname, '..', '..');
const RUNS = 5;
/** End to end against the floor of reading the file in a new process. */
const BUDGET_RATIO = 2;
/** The floor: what any program that reads this one JSON file pays, in a process of its own. */
const FLOOR_SCRIPT = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

/**
 * The book of the review benches: pending keep-in-touch follow-ups added to `file` up to
 * `count` (due from 20 days before `todayMs` to 19 after), one customer after another.
 */
export function withPendingFollowUps(file: LoyalFile, count: number, todayMs: number): LoyalFile {
  const pending = file.followUps.filter((f) => f.status === 'pending').length;
  const template = file.followUps[0];
  for (let i = pending; i < count; i++) {
    const due = new Date(todayMs + ((i % 40) - 20) * 86_400_000).toISOString().slice(0, 10);
    file.followUps.push({
      ...template,
      id: `fol_bench${String(i).padStart(8, '0')}`,
      customerId: file.customers[i % file.customers.length].id,
      incidentId: undefined,
      kind: 'keep-in-touch',
      due,
      status: 'pending',
      outcome: undefined,
      doneAt: undefined,
      doneBy: undefined,
      snoozedUntil: undefined,
    });
  }
  return file;
}

/** 100k incidents and 20k pending follow-ups (as scripts/bench.ts `reviewBook()`), as of `today`. */
export function reviewCliBook(today: string): LoyalFile {
  return withPendingFollowUps(generateDemoBook({ customers: 20_000, incidents: 100_000, seed: 42, today }), 20_000, Date.parse(`${today}T12:00:00Z`));
}

interface Timed {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Wall time measured here; CPU time and peak memory of the child from GNU time. */
function timed(args: string[]): Timed {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '@@time %U %S %M', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, LOYAL_USER: 'bench' }, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  const match = /@@time ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr);
  return {
    wallMs,
    cpuMs: match ? (Number(match[1]) + Number(match[2])) * 1000 : NaN,
    maxRssMb: match ? Number(match[3]) / 1024 : NaN,
    status: result.status,
    stdout: result.stdout,
    stderr: match ? result.stderr.slice(0, match.index) : result.stderr,
  };
}

/** The same steps in this process, each with its CPU time: where the CLI's time goes. */
async function phases(path: string, asOf: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let wall = performance.now();
  let cpu = process.cpuUsage();
  const lap = (name: string, note?: string): void => {
    const used = process.cpuUsage(cpu);
    rows.push({ name: `  in-process: ${name}`, value: performance.now() - wall, unit: 'ms', note: `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms${note ? `; ${note}` : ''}` });
    wall = performance.now();
    cpu = process.cpuUsage();
  };
  // The floor under any reading of this file: its bytes as text, and JSON.parse of that text.
  JSON.parse(readFileSync(path, 'utf8'));
  lap('floor: readFile + JSON.parse alone (nothing checked)', 'what any program reading this one JSON file pays');
  const store = await LoyalStore.open(path, { user: () => 'bench' });
  const file = store.file;
  lap('open the data file (read, JSON.parse, validate)');
  const ltv = estimateFile(file, CLI_LTV_DEFAULTS, asOf, { backtest: false });
  lap('lifetime values (estimateBook)', `model ${ltv.model.kind}`);
  const review = buildReview(indexBook(file), { asOf, ltvOf: ltvCentsOf(ltv) });
  lap('indexBook + buildReview');
  const text = JSON.stringify(review, null, 2);
  lap('JSON output', `${(text.length / 1024 / 1024).toFixed(1)} MB`);
  store.dispose();
  return rows;
}

export async function benchReviewCli(): Promise<BenchRow[]> {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "node scripts/build.mjs" first');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is needed to measure the CPU time of the child');
  const dir = mkdtempSync(join(tmpdir(), 'loyal-bench-review-cli-'));
  try {
    const asOf = '2026-03-02';
    const file = reviewCliBook(asOf);
    const path = join(dir, 'loyal.json');
    writeFileSync(path, serialiseFile(file));
    const sizeMb = statSync(path).size / 1024 / 1024;
    const args = [cli, 'review', '--file', path, '--as-of', asOf, '--json'];

    timed([cli, '--help']); // warms the file cache for the bundle
    const startup = timed([cli, '--help']);
    const runs: Timed[] = [];
    const floors: Timed[] = [];
    for (let i = 0; i < RUNS; i++) {
      const floor = timed(['-e', FLOOR_SCRIPT, path]);
      if (floor.status !== 0) throw new Error(`the floor script failed (${floor.status}): ${floor.stderr.slice(0, 500)}`);
      floors.push(floor);
      const run = timed(args);
      if (run.status !== 0) throw new Error(`loyal review failed (${run.status}): ${run.stderr.slice(0, 500)}`);
      runs.push(run);
    }
    const review = JSON.parse(runs[0].stdout) as { counts: Record<string, number> };
    const inProcess = await phases(path, asOf);
    const wall = median(runs.map((r) => r.wallMs));
    const cpu = median(runs.map((r) => r.cpuMs));
    const floorWall = median(floors.map((r) => r.wallMs));
    const floorCpu = median(floors.map((r) => r.cpuMs));
    const floorName = 'readFile + JSON.parse of the same file in a new node process';
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    const book = `${file.customers.length} customers, ${file.incidents.length} incidents, ${file.followUps.filter((f) => f.status === 'pending').length} pending follow-ups, ${sizeMb.toFixed(0)} MB`;
    return [
      { name: 'loyal --help (process start-up)', value: startup.wallMs, unit: 'ms', note: `CPU ${startup.cpuMs.toFixed(0)} ms` },
      ratioRow(
        `loyal review --json / floor, wall (medians of ${RUNS})`,
        wall,
        floorWall,
        BUDGET_RATIO,
        floorName,
        `${book}; runs ${runs.map((r) => r.wallMs.toFixed(0)).join(', ')} ms; floor runs ${floors.map((r) => r.wallMs.toFixed(0)).join(', ')} ms; load ${load}`,
      ),
      {
        name: `loyal review --json / floor, CPU user+sys (medians of ${RUNS})`,
        value: cpu / floorCpu,
        unit: 'x',
        note: `${cpu.toFixed(0)} ms against ${floorCpu.toFixed(0)} ms for the floor (shown for the record: the budget is on wall time); runs ${runs.map((r) => r.cpuMs.toFixed(0)).join(', ')} ms; peak RSS ${median(runs.map((r) => r.maxRssMb)).toFixed(0)} MB (floor ${median(floors.map((r) => r.maxRssMb)).toFixed(0)} MB); ${review.counts.overdue} overdue, ${review.counts.today} today, ${review.counts.atRisk} at risk, ${review.counts.quiet} quiet`,
      },
      ...inProcess,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run on its own: `node --import tsx scripts/bench/review-cli.bench.ts`.
if (require.main === module) {
  void benchReviewCli().then(
    (rows) => {
      for (const row of rows)
        console.log(`${row.name.padEnd(50)} ${row.value.toFixed(row.unit === 'x' ? 2 : 0).padStart(6)} ${row.unit}${row.budget ? ` (budget ${row.budget})` : ''}${row.note ? `  ${row.note}` : ''}`);
    },
    (error: Error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
