// `loyal mcp` as an agent uses it: the built CLI (dist/cli.js) serving the 2k-customer demo
// book over stdio to the SDK's Client. Budget (issue 19): a morning_review call takes at
// most twice `loyal review --json` on the same book. The server keeps the book open, so a
// call is measured three ways: the first (the lifetime values are estimated then), the next
// ones on the unchanged book, and one right after the CLI changed the file (re-read, merged
// view, values again).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { generateDemoBook } from '../../src/domain/demo';
import { serialiseFile } from '../../src/store/serialise';
import type { BenchRow } from './types';

const root = join(__dirname, '..', '..');
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchMcp(): Promise<BenchRow[]> {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "node scripts/build.mjs" first');
  const dir = mkdtempSync(join(tmpdir(), 'loyal-bench-mcp-'));
  const env = { PATH: process.env.PATH ?? '', LOYAL_USER: 'bench' };
  try {
    const asOf = '2026-03-02';
    const file = generateDemoBook({ customers: 2000, seed: 42, today: asOf });
    const path = join(dir, 'loyal.json');
    writeFileSync(path, serialiseFile(file));
    const customer = file.customers[0].id;

    const cliRuns: number[] = [];
    spawnSync(process.execPath, [cli, '--help'], { env }); // warms the file cache for the bundle
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const run = spawnSync(process.execPath, [cli, 'review', '--file', path, '--as-of', asOf, '--json'], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
      cliRuns.push(performance.now() - start);
      if (run.status !== 0) throw new Error(`loyal review failed: ${run.stderr}`);
    }
    const cliMs = median(cliRuns);
    const budget = 2 * cliMs;

    const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--file', path], env, stderr: 'pipe' });
    const client = new Client({ name: 'bench', version: '1.0.0' });
    const connectStart = performance.now();
    await client.connect(transport);
    const connectMs = performance.now() - connectStart;
    const review = async (): Promise<number> => {
      const start = performance.now();
      const result = await client.callTool({ name: 'morning_review', arguments: { asOf } });
      const ms = performance.now() - start;
      if (result.isError) throw new Error(`morning_review failed: ${JSON.stringify(result.content)}`);
      return ms;
    };
    let counts = '';
    try {
      const first = await review();
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) warm.push(await review());
      const changed: number[] = [];
      for (let i = 0; i < 3; i++) {
        const add = spawnSync(process.execPath, [cli, 'add', 'purchase', '--file', path, '--customer', customer, '--amount', '10.00', '--date', asOf], { encoding: 'utf8', env });
        if (add.status !== 0) throw new Error(`loyal add failed: ${add.stderr}`);
        changed.push(await review());
      }
      const last = await client.callTool({ name: 'morning_review', arguments: { asOf } });
      const c = (last.structuredContent as { counts: Record<string, number> }).counts;
      counts = `${c.overdue} overdue, ${c.today} today, ${c.notes} notes, ${c.atRisk} at risk, ${c.quiet} quiet`;
      const load = loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      const book = `${file.customers.length} customers, ${file.purchases.length} purchases, ${file.incidents.length} incidents`;
      return [
        { name: `loyal review --json, wall (median of ${RUNS})`, value: cliMs, unit: 'ms', note: `${book}; runs ${cliRuns.map((r) => r.toFixed(0)).join(', ')} ms; load ${load}` },
        { name: 'loyal mcp: start and connect (initialize)', value: connectMs, unit: 'ms', note: 'the book is read here, once' },
        { name: 'morning_review: first call', value: first, unit: 'ms', budget, note: 'lifetime values estimated on this call; budget 2 x loyal review --json' },
        { name: `morning_review: unchanged book (median of ${RUNS})`, value: median(warm), unit: 'ms', budget, note: `runs ${warm.map((r) => r.toFixed(0)).join(', ')} ms; ${counts}` },
        {
          name: 'morning_review: right after a CLI write (median of 3)',
          value: median(changed),
          unit: 'ms',
          budget,
          note: `runs ${changed.map((r) => r.toFixed(0)).join(', ')} ms: the file is re-read and the values estimated again`,
        },
      ];
    } finally {
      await client.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
