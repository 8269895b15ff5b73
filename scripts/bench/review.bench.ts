// The morning review on a big book: building the indexes and the review, as the Today
// view's first render and `loyal review` do (reading the file is measured by the store bench).
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './types';
import { indexBook } from '../../src/domain/book';
import { buildFollowUpGroups, buildReview } from '../../src/domain/review';
import { keepInTouchDue } from '../../src/domain/quiet';
import { toCents } from '../../src/domain/money';
import { DEFAULT_RULE_SETTINGS } from '../../src/domain/settings';
import { today } from '../../src/domain/time';
import type { LoyalFile } from '../../src/domain/records';

const RUNS = 7;

interface Run {
  /** A fresh index and the review: a new version of the book on screen. */
  first: number;
  /** CPU time of `first`: on a busy machine the wall clock also counts waiting for a core. */
  firstCpu: number;
  /** The review again on the same index (another as-of day, or the view refreshed). */
  again: number;
  mine: number;
  keepInTouch: number;
  /** A fresh index and the follow-up groups only: the Today view's first render and the status bar. */
  groups: number;
  groupsCpu: number;
  due: number;
}

export async function benchReview(file: LoyalFile): Promise<BenchRow[]> {
  const asOf = today();
  // A stand-in for the LTV engine (measured in its own bench): what each customer has paid.
  const paid = new Map<string, number>();
  for (const p of file.purchases) paid.set(p.customerId, (paid.get(p.customerId) ?? 0) + toCents(p.amount));
  const ltvOf = (customerId: string): number => paid.get(customerId) ?? 0;
  const user = file.followUps.find((f) => f.assignee)?.assignee;
  const settings = DEFAULT_RULE_SETTINGS;

  const once = (): Run => {
    let t = performance.now();
    const cpu = process.cpuUsage();
    const book = indexBook(file);
    const review = buildReview(book, { asOf, ltvOf, settings });
    const first = performance.now() - t;
    const cpuUsed = process.cpuUsage(cpu);
    const firstCpu = (cpuUsed.user + cpuUsed.system) / 1000;
    t = performance.now();
    buildReview(book, { asOf, ltvOf, settings });
    const again = performance.now() - t;
    t = performance.now();
    buildReview(book, { asOf, ltvOf, user, mineOnly: true, settings });
    const mine = performance.now() - t;
    t = performance.now();
    keepInTouchDue(book, asOf);
    const keepInTouch = performance.now() - t;
    t = performance.now();
    const groupsCpuFrom = process.cpuUsage();
    buildFollowUpGroups(indexBook(file), { asOf, ltvOf, settings });
    const groups = performance.now() - t;
    const groupsCpuUsed = process.cpuUsage(groupsCpuFrom);
    return { first, firstCpu, again, mine, keepInTouch, groups, groupsCpu: (groupsCpuUsed.user + groupsCpuUsed.system) / 1000, due: review.counts.due };
  };

  // The first run is what a user waits for when the sidebar opens: the code is not yet optimised.
  const cold = once();
  const warm = Array.from({ length: RUNS }, once);
  const median = (pick: (r: Run) => number): number => {
    const values = warm.map(pick).sort((a, b) => a - b);
    return values[values.length >> 1];
  };
  const pending = file.followUps.filter((f) => f.status === 'pending').length;
  const size = `${file.incidents.length} incidents, ${pending} pending follow-ups, ${file.customers.length} customers; ${cold.due} due`;
  // The budgets are end to end (Today in the host, `loyal review` with the file read):
  // these domain figures are printed without a budget of their own.
  const row = (name: string, value: number, _budget: number, note?: string): BenchRow => ({ name, value, unit: 'ms', ...(note ? { note } : {}) });
  return [
    { name: 'machine: 1M Map.set (reference)', value: calibrate(), unit: 'ms', note: 'fixed work to compare runs by: when it is high the machine is busy, read the figures below in proportion' },
    row('first review, cold (index + review)', cold.first, 300, size),
    row(
      'index + review (median)',
      median((r) => r.first),
      100,
      `a new version of the book: Today view, status bar, \`loyal review\` after the read; CPU ${median((r) => r.firstCpu).toFixed(0)} ms`,
    ),
    row(
      'index + follow-up groups (median)',
      median((r) => r.groups),
      100,
      `a new version of the book: Today view and status bar (no notes, at-risk or quiet lists); CPU ${median((r) => r.groupsCpu).toFixed(0)} ms`,
    ),
    row(
      'review on a built index (median)',
      median((r) => r.again),
      50,
    ),
    row(
      'review, mine only (median)',
      median((r) => r.mine),
      50,
    ),
    row(
      'keepInTouchDue (median)',
      median((r) => r.keepInTouch),
      20,
    ),
  ];
}

/** A fixed amount of map work, printed beside the figures so a busy machine shows as such. */
function calibrate(): number {
  const times: number[] = [];
  let size = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    const map = new Map<number, number>();
    for (let i = 0; i < 1_000_000; i++) map.set(i & 0xffff, i);
    size += map.size;
    times.push(performance.now() - t);
  }
  return size > 0 ? Math.min(...times) : 0;
}
