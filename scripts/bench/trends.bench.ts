// Trend aggregates on a big book of 500k incidents. Budget: the first report (every
// aggregate, every record read) within 2x of its floor, one plain pass over the records that
// reads every field the report uses (floorPass below), timed in the same run and in the same
// state: each run in a settled heap. The ratios are of the main thread's processor time
// (medians): both are that thread's work, and on a shared machine the wall clock of a pass
// also counts the time other processes held the cores. The whole process's processor time
// (the engine's compiler and collector threads too) and the wall clock are printed beside.
import { median, ratioRow, threadCpuIsOneThread, threadCpuMs, type BenchRow } from './types';
import { dayNumberOf, epochSecondsOf, hourOf } from '../../src/domain/trends/calendar';
import type { LoyalFile } from '../../src/domain/records';
import { TrendCache } from '../../src/domain/trends/columns';
import { computeTrends } from '../../src/domain/trends/compute';
import { drill } from '../../src/domain/trends/drill';
import { trendsToCsv, trendsToMarkdown } from '../../src/domain/trends/render';

function lastDay(file: LoyalFile): string {
  let last = '0000-00-00';
  for (const incident of file.incidents) if (incident.openedAt.slice(0, 10) > last) last = incident.openedAt.slice(0, 10);
  return last;
}

/** First report against the floor pass. */
const BUDGET_RATIO = 2;

/**
 * The floor of any trend report: one loop over the incidents, follow-ups, customers, purchases
 * and releases that reads every field the report uses, the dates through the same text readers
 * as the trend pass (day, hour, instant), and folds them into a number so nothing is skipped.
 * No grouping, no counting by key, no statistics: what reading the records costs.
 */
export function floorPass(file: LoyalFile): number {
  let sum = 0;
  for (const incident of file.incidents) {
    sum += dayNumberOf(incident.openedAt) + hourOf(incident.openedAt) + epochSecondsOf(incident.openedAt);
    if (incident.firstResponseAt !== undefined) sum += epochSecondsOf(incident.firstResponseAt);
    if (incident.resolvedAt !== undefined) sum += epochSecondsOf(incident.resolvedAt);
    sum += incident.id.length + incident.customerId.length + incident.category.length + incident.channel.length + incident.severity.length + incident.cause.length;
    sum += (incident.component?.length ?? 0) + (incident.staff?.length ?? 0) + incident.reopenCount;
    for (const tag of incident.tags) sum += tag.length;
  }
  for (const followUp of file.followUps) {
    sum += followUp.kind.length + followUp.status.length + (followUp.incidentId?.length ?? 0) + followUp.updatedAt.length;
    if (followUp.doneAt !== undefined) sum += epochSecondsOf(followUp.doneAt);
    if (followUp.outcome !== undefined) sum += followUp.outcome.satisfied ? 1 : 0;
  }
  // The customers: their ids number them, and referrals count by the day a customer was added.
  for (const customer of file.customers) sum += customer.id.length + (customer.referredBy?.length ?? 0) + dayNumberOf(customer.createdAt);
  for (const purchase of file.purchases) sum += dayNumberOf(purchase.date) + purchase.customerId.length;
  for (const release of file.releases) sum += dayNumberOf(release.date) + release.component.length + release.version.length;
  return sum;
}

interface Timing {
  /** Median of the runs after the first: what a user sees once the code is compiled. */
  ms: number;
  first: number;
  min: number;
  max: number;
  /** Median processor time of the main thread in the same runs (see threadCpuMs). */
  cpu: number;
  /** Median processor time of the whole process in the same runs. */
  processCpu: number;
}

const REPEATS = 5;

/**
 * Waits for the heap to settle after the book was made: a full collection, then a pause for
 * the collector's threads to finish sweeping. Otherwise the first figures pay for the
 * garbage of making a 500k-incident book, which a user opening the trend review later does
 * not. `npm run bench` runs node with --expose-gc.
 */
async function settled(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

interface Run {
  wall: number;
  cpu: number;
  processCpu: number;
}

/** One timed run: wall clock, the main thread's processor time and the process's. */
function once(run: () => unknown): Run {
  const processStart = process.cpuUsage();
  const cpuStart = threadCpuMs();
  const start = performance.now();
  run();
  const wall = performance.now() - start;
  const cpu = threadCpuMs() - cpuStart;
  const used = process.cpuUsage(processStart);
  return { wall, cpu, processCpu: (used.user + used.system) / 1000 };
}

/**
 * The median of several runs after the first, with the spread beside it: on a 2-core VM a
 * pass over a book of this size is bound by memory, and the same code takes noticeably more
 * or less time from one run to the next. CPU time is kept beside wall time because a busy
 * machine inflates the wall clock.
 */
function summary(runs: Run[]): Timing {
  const later = runs.slice(1);
  const walls = later.map((r) => r.wall);
  return {
    ms: median(walls),
    first: runs[0].wall,
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: median(later.map((r) => r.cpu)),
    processCpu: median(later.map((r) => r.processCpu)),
  };
}

function time(run: () => unknown, repeats = REPEATS): Timing {
  return summary(Array.from({ length: repeats + 1 }, () => once(run)));
}

/** Rounds of first reports, and the floor, in a settled heap each (see timeFirstRuns). */
const ROUNDS = 7;

/**
 * First reports, each in arrays of its own (a new TrendCache) and in a settled heap: the
 * collector runs and finishes sweeping before each one, untimed, as in a process (the CLI)
 * or a window (the trend review's first paint) where this is the first report. The runs take
 * turns, round after round (floor, weekly, monthly, floor...), so that the floor and the
 * reports it is set against meet the same machine: on a shared one a stretch of a few seconds
 * can be a third slower than the next.
 */
async function timeFirstRuns<K extends string>(runs: Record<K, () => unknown>): Promise<Record<K, Timing>> {
  const names = Object.keys(runs) as K[];
  const timed = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<K, Run[]>;
  for (let round = 0; round <= ROUNDS; round++) {
    for (const name of names) {
      await settled();
      timed[name].push(once(runs[name]));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summary(timed[name])])) as Record<K, Timing>;
}

function spread(timing: Timing, runs = REPEATS): string {
  return `median of ${runs}; ${timing.min.toFixed(0)}-${timing.max.toFixed(0)} ms; first run ${timing.first.toFixed(0)} ms; ${CPU} ${timing.cpu.toFixed(0)} ms, whole process ${timing.processCpu.toFixed(0)} ms`;
}

/** What the ratios are of. */
const CPU = threadCpuIsOneThread() ? 'main thread CPU' : 'CPU (whole process: no per-thread time here)';

export async function benchTrends(file: LoyalFile): Promise<BenchRow[]> {
  const asOf = lastDay(file);
  const count = file.incidents.length;
  const options = { asOf, bucket: 'week' as const };
  const firstStaff = file.incidents.find((incident) => incident.staff !== undefined)?.staff ?? '';
  await settled();
  // Without a cache every report reads every incident record, into arrays of its own: the
  // first report on a book (the CLI, the trend review after the book is read or changed).
  // The floor in the same state as the first reports, and taking turns with them. The order
  // matters to the collector: the weekly report follows the floor, so it starts after a
  // collection that came after a quiet stretch (as in an editor left idle), which leaves the
  // heap's limit close and makes any growth start marking the whole heap; the monthly one
  // follows a report (as in a process that has just read the book). README, "Performance".
  const { floor, all, monthly } = await timeFirstRuns({
    floor: () => floorPass(file),
    all: () => computeTrends(file, options, new TrendCache()),
    monthly: () => computeTrends(file, { ...options, bucket: 'month' }, new TrendCache()),
  });
  // The trend review keeps what it read while the book is unchanged (TrendCache).
  const cache = new TrendCache();
  computeTrends(file, options, cache);
  const again = time(() => computeTrends(file, options, cache));
  const filtered = time(() => computeTrends(file, { ...options, filters: { staff: [firstStaff] } }, cache));
  const report = computeTrends(file, options);
  const drilled = time(() => drill(file, options, { staff: firstStaff, hour: 17 }), 3);
  const floorName = 'one plain pass reading every field the report uses (floorPass), each in a settled heap, taking turns with the first reports';
  const rendered = time(() => {
    trendsToMarkdown(report);
    trendsToCsv(report, 'scorecard');
    trendsToCsv(report, 'series');
  });
  const note = `${count.toLocaleString('en')} incidents; ${report.spikes.length} spike(s), ${report.releases.filter((r) => r.significant).length} release effect(s)`;
  return [
    { name: 'floor: one plain pass over the records', value: floor.ms, unit: 'ms', note: `every incident, follow-up, customer, purchase and release field the report uses; ${spread(floor, ROUNDS)}` },
    ratioRow(
      'all trend aggregates, first report (weekly) / floor, main thread CPU',
      all.cpu,
      floor.cpu,
      BUDGET_RATIO,
      floorName,
      `${note}; reads every record; wall ${all.ms.toFixed(0)} ms against ${floor.ms.toFixed(0)} ms; ${spread(all, ROUNDS)}`,
    ),
    ratioRow('all trend aggregates, first report (monthly) / floor, main thread CPU', monthly.cpu, floor.cpu, BUDGET_RATIO, floorName, `wall ${monthly.ms.toFixed(0)} ms; ${spread(monthly, ROUNDS)}`),
    ratioRow(
      'next report on the same book (weekly) / floor, main thread CPU',
      again.cpu,
      floor.cpu,
      BUDGET_RATIO,
      floorName,
      `the trend review's cache; wall ${again.ms.toFixed(0)} ms; ${spread(again)}`,
    ),
    ratioRow('next report, one staff member / floor, main thread CPU', filtered.cpu, floor.cpu, BUDGET_RATIO, floorName, `wall ${filtered.ms.toFixed(0)} ms; ${spread(filtered)}`),
    { name: 'drill into one cell', value: drilled.ms, unit: 'ms', note: 'the incidents of one staff member at one hour' },
    { name: 'Markdown + CSV rendering', value: rendered.ms, unit: 'ms' },
  ];
}
