// Insight you can trust (issue 15): lifetime value and the chance of buying again, checked
// out of sample on the CDNOW master file (23,570 customers who first bought in Q1 1997).
// - Book value: 100 random books per size (20, 50, 125, 200 customers), calibration up to
//   1997-09-30, the forecast of the next 273 days (39 weeks, undiscounted) against what the
//   same customers paid 1997-10-01..1998-06-30. Median bias and median absolute error of the
//   book's total, for the shipped method and the baselines.
// - Chance of buying again: the whole file as of 1997-06-30, the predicted pPurchase12m
//   against the share that bought in the next 365 days, by decile and for one-time buyers.
// - The back-test the model reports on itself, on the whole file as of 1998-06-30.
// - Spikes and release effects on books from test/unit/support/rosterBooks.ts (not the demo's):
//   power on planted effects and the share of pure-noise books with any alarm.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchRow } from './types';
import { DEFAULT_LTV_SETTINGS, estimateBook, type EstimateOptions } from '../../src/domain/ltv/estimate';
import type { LtvInput, LtvPurchase, LtvSettings } from '../../src/domain/ltv/types';
import { cdnowDir, parseCdnowMaster } from '../../test/unit/support/cdnow';
import { computeTrends } from '../../src/domain/trends/compute';
import { ROSTER_AS_OF, releaseBook, rosterBook } from '../../test/unit/support/rosterBooks';

const SIZES = [20, 50, 125, 200];
const BOOKS_PER_SIZE = 100;
const CALIBRATION_END = '1997-09-30';
const HOLDOUT_END = '1998-06-30';
const HOLDOUT_DAYS = 273;
const BIAS_TARGET = 0.1;
const ERROR_TARGET_AT_50 = 0.3;

/** mulberry32: a small seeded generator, so every run draws the same books. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Method {
  name: string;
  predict: (ids: string[], calibration: LtvPurchase[]) => number;
}

function modelMethod(name: string, settings: Partial<LtvSettings>, options: EstimateOptions): Method {
  return {
    name,
    predict: (ids, calibration) => {
      const input: LtvInput = { asOf: CALIBRATION_END, customerIds: ids, purchases: calibration, subscriptions: [], settings: { ...DEFAULT_LTV_SETTINGS, ...settings } };
      return estimateBook(input, undefined, { ...options, forecastDays: HOLDOUT_DAYS, backtest: false }).forecast!.revenue;
    },
  };
}

/** "Repeat revenue repeats": what the book's repeat purchases brought in over the 273 calibration days comes again. */
const repeatRevenue: Method = {
  name: 'baseline: repeat revenue repeats',
  predict: (_ids, calibration) => {
    const first = new Map<string, string>();
    for (const p of calibration) if (p.amount > 0 && (!first.has(p.customerId) || p.date < first.get(p.customerId)!)) first.set(p.customerId, p.date);
    let sum = 0;
    for (const p of calibration) if (first.has(p.customerId) && p.date > first.get(p.customerId)!) sum += p.amount;
    return sum;
  },
};

const METHODS: Method[] = [
  modelMethod('shipped: BG/NBD + Gamma-Gamma, shrunk', {}, {}),
  modelMethod('baseline: BG/NBD + Gamma-Gamma, plain fit', { minRepeatBuyers: 1 }, { shrinkage: false }),
  modelMethod('baseline: simple rule', { minRepeatBuyers: 1_000_000 }, {}),
  repeatRevenue,
];

export async function benchInsight(): Promise<BenchRow[]> {
  const t0 = performance.now();
  const data = parseCdnowMaster(fs.readFileSync(path.join(cdnowDir, 'CDNOW_master.txt'), 'utf8'));
  const byCustomer = new Map<string, LtvPurchase[]>();
  for (const p of data.purchases) {
    let list = byCustomer.get(p.customerId);
    if (!list) byCustomer.set(p.customerId, (list = []));
    list.push(p);
  }
  const rows: BenchRow[] = [];
  const next = random(20260315);
  for (const size of SIZES) {
    const errors = METHODS.map(() => [] as number[]);
    let skipped = 0;
    for (let b = 0; b < BOOKS_PER_SIZE; b++) {
      // A random book of `size` distinct customers (partial Fisher-Yates).
      const pool = [...data.customerIds];
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(next() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      const ids = pool.slice(0, size);
      const calibration: LtvPurchase[] = [];
      let actual = 0;
      for (const id of ids) {
        for (const p of byCustomer.get(id) ?? []) {
          if (p.date <= CALIBRATION_END) calibration.push(p);
          else if (p.date <= HOLDOUT_END) actual += p.amount;
        }
      }
      if (!(actual > 0)) {
        skipped++;
        continue;
      }
      METHODS.forEach((m, k) => errors[k].push(m.predict(ids, calibration) / actual - 1));
    }
    METHODS.forEach((m, k) => {
      const bias = median(errors[k]);
      const error = median(errors[k].map(Math.abs));
      const shipped = k === 0;
      rows.push({
        name: `${size} customers, ${m.name}: median bias`,
        value: bias * 100,
        unit: '%',
        ...(shipped && size === 50 ? { budget: BIAS_TARGET * 100, ok: Math.abs(bias) <= BIAS_TARGET } : {}),
        note: shipped ? `|bias| target ${BIAS_TARGET * 100}% at 50 customers${skipped ? `; ${skipped} books with no hold-out revenue left out` : ''}` : undefined,
      });
      rows.push({
        name: `${size} customers, ${m.name}: median book error`,
        value: error * 100,
        unit: '%',
        ...(shipped && size === 50 ? { budget: ERROR_TARGET_AT_50 * 100 } : {}),
      });
    });
  }
  rows.push(...calibrationRows(data.customerIds, data.purchases));
  rows.push(...backtestRows(data.customerIds, data.purchases));
  rows.push(...spikeRows());
  rows.push({ name: 'insight bench, wall time', value: (performance.now() - t0) / 1000, unit: 's' });
  return rows;
}

/** pPurchase12m as of 1997-06-30 against buying in 1997-07-01..1998-06-30 (365 days). */
function calibrationRows(customerIds: string[], purchases: LtvPurchase[]): BenchRow[] {
  const asOf = '1997-06-30';
  const end = '1998-06-30';
  const book = estimateBook({ asOf, customerIds, purchases, subscriptions: [], settings: DEFAULT_LTV_SETTINGS }, undefined, { backtest: false });
  const bought = new Set<string>();
  for (const p of purchases) if (p.date > asOf && p.date <= end && p.amount > 0) bought.add(p.customerId);
  const scored = [...book.customers.values()].filter((c) => c.pPurchase12m !== undefined).map((c) => ({ p: c.pPurchase12m!, y: bought.has(c.customerId) ? 1 : 0, once: c.explanation.inputs.x === 0 }));
  scored.sort((a, b) => a.p - b.p);
  const rows: BenchRow[] = [];
  const group = (name: string, g: typeof scored): BenchRow => {
    const predicted = g.reduce((s, c) => s + c.p, 0) / g.length;
    const observed = g.reduce((s, c) => s + c.y, 0) / g.length;
    return { name, value: (predicted - observed) * 100, unit: 'pts', note: `predicted ${(predicted * 100).toFixed(1)}%, observed ${(observed * 100).toFixed(1)}%, ${g.length} customers` };
  };
  for (let d = 0; d < 10; d++)
    rows.push(group(`chance of buying again, decile ${d + 1}: predicted - observed`, scored.slice(Math.floor((d * scored.length) / 10), Math.floor(((d + 1) * scored.length) / 10))));
  rows.push(
    group(
      'chance of buying again, one-time buyers: predicted - observed',
      scored.filter((c) => c.once),
    ),
  );
  rows.push(group('chance of buying again, everyone: predicted - observed', scored));
  return rows;
}

function backtestRows(customerIds: string[], purchases: LtvPurchase[]): BenchRow[] {
  const book = estimateBook({ asOf: '1998-06-30', customerIds, purchases, subscriptions: [], settings: DEFAULT_LTV_SETTINGS });
  const b = book.model.backtest;
  if (!b) return [{ name: 'back-test on CDNOW as of 1998-06-30', value: NaN, unit: '%', note: 'no back-test' }];
  return [
    {
      name: `back-test from ${b.from}: revenue predicted vs actual`,
      value: (b.revenueError ?? NaN) * 100,
      unit: '%',
      note: `predicted ${b.predictedRevenue.toFixed(0)}, actual ${b.actualRevenue.toFixed(0)}; purchases ${b.predictedPurchases.toFixed(0)} vs ${b.actualPurchases}; ${b.customers} customers`,
    },
  ];
}

/** Share of books in which `hit` holds, over seeds 1..books. */
function share(books: number, make: (seed: number) => boolean): number {
  let hits = 0;
  for (let seed = 1; seed <= books; seed++) if (make(seed)) hits++;
  return hits / books;
}

function spikeRows(): BenchRow[] {
  const spikesOf = (incidents: number, weeks: number, ratio: number) => (seed: number) =>
    computeTrends(rosterBook({ seed: 1000 + seed, incidents, weeks, spike: ratio > 1 ? { staff: 'Ada', hour: 10, ratio } : undefined }), { asOf: ROSTER_AS_OF(weeks), bucket: 'week' }).spikes;
  const BIG = 40;
  const SMALL = 100;
  const found2x = share(BIG, (seed) => spikesOf(20_000, 26, 2)(seed).some((s) => s.staff === 'Ada' && s.hour === 10));
  const noiseBig = share(BIG, (seed) => spikesOf(20_000, 26, 1)(seed).length > 0);
  const found3x = share(SMALL, (seed) => spikesOf(2_000, 13, 3)(seed).some((s) => s.staff === 'Ada' && s.hour === 10));
  const noiseSmall = share(SMALL, (seed) => spikesOf(2_000, 13, 1)(seed).length > 0);
  const releasesOf = (ratio: number) => (seed: number) => computeTrends(releaseBook({ seed: 2000 + seed, incidents: 2_000, weeks: 26, ratio }).file, { asOf: '2026-07-05', bucket: 'week' }).releases;
  const foundRelease = share(SMALL, (seed) => releasesOf(1.6)(seed).some((r) => r.component === 'checkout' && r.significant));
  const falseRelease = share(SMALL, (seed) => releasesOf(1)(seed).some((r) => r.significant));
  const power = (name: string, value: number, target: number, note: string): BenchRow => ({
    name,
    value: value * 100,
    unit: '%',
    budget: target * 100,
    ok: value >= target,
    note: `target >= ${target * 100}%; ${note}`,
  });
  const alarm = (name: string, value: number, note: string): BenchRow => ({ name, value: value * 100, unit: '%', budget: 5, note: `target <= 5%; ${note}` });
  return [
    power('spikes: 2x cell found, 20,000 incidents', found2x, 0.95, `${BIG} books, 26 weeks, 8 staff with weekend rosters and half-hour shifts`),
    alarm('spikes: noise books with any spike, 20,000 incidents', noiseBig, `${BIG} books`),
    power('spikes: 3x cell found, 2,000 incidents', found3x, 0.8, `${SMALL} books, 13 weeks`),
    alarm('spikes: noise books with any spike, 2,000 incidents', noiseSmall, `${SMALL} books`),
    power('releases: 1.6x after a release found, 2,000 incidents', foundRelease, 0.8, `${SMALL} books, 26 weeks, 3 components, 4-week windows`),
    alarm('releases: noise books with any release effect, 2,000 incidents', falseRelease, `${SMALL} books, 3 releases each`),
  ];
}
