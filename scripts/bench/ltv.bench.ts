// Lifetime value on the CDNOW master file (69,659 purchases, 23,570 customers) as of 1998-06-30.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchRow } from './types';
import { DEFAULT_LTV_SETTINGS, estimateBook, type LtvDiagnostics, type LtvInput } from '../../src/domain/ltv';
import { cdnowDir, parseCdnowMaster } from '../../test/unit/cdnow';

const BUDGET_MS = 2000;
const WARM_RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function benchLtv(): Promise<BenchRow[]> {
  const file = path.join(cdnowDir, 'CDNOW_master.txt');
  const t0 = performance.now();
  const text = fs.readFileSync(file, 'utf8');
  const t1 = performance.now();
  const data = parseCdnowMaster(text);
  const t2 = performance.now();

  const input: LtvInput = {
    asOf: '1998-06-30',
    customerIds: data.customerIds,
    purchases: data.purchases,
    subscriptions: [],
    settings: DEFAULT_LTV_SETTINGS,
  };
  // First call in the process: includes JIT warm-up, the figure a user waits for.
  const cold: LtvDiagnostics = { timings: {} };
  const cpu0 = process.cpuUsage();
  const c0 = performance.now();
  const book = estimateBook(input, cold);
  const coldMs = performance.now() - c0;
  const cpu = process.cpuUsage(cpu0);
  const coldCpuMs = (cpu.user + cpu.system) / 1000;

  const warm: number[] = [];
  const fits: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const d: LtvDiagnostics = { timings: {} };
    const w0 = performance.now();
    estimateBook(input, d);
    warm.push(performance.now() - w0);
    fits.push(d.timings.fit ?? 0);
  }

  const m = book.model;
  const fitted =
    m.kind === 'bg-nbd'
      ? `r=${m.params.r.toFixed(4)} alpha=${m.params.alpha.toFixed(2)}d a=${m.params.a.toFixed(4)} b=${m.params.b.toFixed(4)} p=${m.params.p?.toFixed(3)} q=${m.params.q?.toFixed(3)} v=${m.params.v?.toFixed(2)}`
      : `simple model (${m.reason})`;
  let total = 0;
  for (const c of book.customers.values()) total += c.ltv;
  const phases = (t: Record<string, number>): string =>
    Object.entries(t)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join(', ');

  return [
    {
      name: 'read CDNOW_master.txt',
      value: t1 - t0,
      unit: 'ms',
      note: `${(text.length / 1e6).toFixed(1)} MB`,
    },
    {
      name: 'parse into LtvPurchase[]',
      value: t2 - t1,
      unit: 'ms',
      note: `${data.purchases.length} purchases, ${data.customerIds.length} customers`,
    },
    {
      name: 'estimateBook, first call',
      value: coldMs,
      unit: 'ms',
      budget: BUDGET_MS,
      note: `process CPU ${coldCpuMs.toFixed(0)} ms; ${phases(cold.timings)}; ${book.customers.size} customers; ${fitted}`,
    },
    {
      name: `estimateBook, median of ${WARM_RUNS} more`,
      value: median(warm),
      unit: 'ms',
      budget: BUDGET_MS,
      note: `fit median ${median(fits).toFixed(0)} ms; BG/NBD ${cold.fitIterations?.bgNbd ?? '-'} / Gamma-Gamma ${cold.fitIterations?.gammaGamma ?? '-'} iterations; sum of LTVs ${total.toFixed(0)}`,
    },
  ];
}
