// Data file load and save against raw JSON.parse / JSON.stringify + writeFile, for three
// book sizes. Each size is measured in a child process of its own, so its peak memory is
// its own and one size's garbage does not slow the next.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoyalFile } from '../../src/domain/records';
import type { BenchRow } from './types';

const SIZES: Array<[number, number]> = [
  [1_000, 10_000],
  [10_000, 100_000],
  [50_000, 500_000],
];

interface ChildFigures {
  rawParseMs: number;
  loadMs: number;
  validateMs: number;
  rawSaveMs: number;
  saveMs: number;
  peakRssMb: number;
  heapAfterLoadMb: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Runs in the child: measures one file. */
async function measure(path: string, repeats: number): Promise<ChildFigures> {
  const { LoyalStore, parseFileText } = await import('../../src/store');
  const { checkFile } = await import('../../src/domain/validate');
  const rawParse: number[] = [];
  const load: number[] = [];
  const validate: number[] = [];
  const rawSave: number[] = [];
  const save: number[] = [];
  let heapAfterLoad = 0;
  const text = await readFile(path, 'utf8');
  parseFileText(text); // warms up zod's compiled parsers
  for (let i = 0; i < repeats; i++) {
    gc();
    let start = performance.now();
    const raw = JSON.parse(text) as LoyalFile;
    rawParse.push(performance.now() - start);
    gc();
    start = performance.now();
    checkFile(raw);
    validate.push(performance.now() - start);
    gc();
    start = performance.now();
    await writeFile(`${path}.raw`, JSON.stringify(raw, null, 2));
    rawSave.push(performance.now() - start);
  }
  for (let i = 0; i < repeats; i++) {
    gc();
    let start = performance.now();
    const store = await LoyalStore.open(path, { user: () => 'bench' });
    load.push(performance.now() - start);
    if (store.state.kind !== 'ok') throw new Error(`the bench book does not load: ${JSON.stringify(store.state)}`);
    heapAfterLoad = Math.max(heapAfterLoad, process.memoryUsage().heapUsed);
    const incident = store.file.incidents[Math.floor(store.file.incidents.length / 2)];
    gc();
    start = performance.now();
    await store.update((tx) => tx.patch('incidents', incident.id, { summary: `${incident.summary} (bench ${i})` }));
    save.push(performance.now() - start);
    store.dispose();
  }
  return {
    rawParseMs: median(rawParse),
    loadMs: median(load),
    validateMs: median(validate),
    rawSaveMs: median(rawSave),
    saveMs: median(save),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapAfterLoadMb: heapAfterLoad / 2 ** 20,
  };
}

function runChild(path: string, repeats: number): Promise<ChildFigures> {
  const tsx = pathToFileURL(join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=16384', '--import', tsx, __filename, '--store-bench-child', path, String(repeats)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ChildFigures);
      else reject(new Error(`the store bench child failed (exit ${code}): ${out}`));
    });
  });
}

export async function benchStore(makeBook: (customers: number, incidents: number) => LoyalFile): Promise<BenchRow[]> {
  const { serialiseFile } = await import('../../src/store');
  const rows: BenchRow[] = [];
  const folder = await mkdtemp(join(tmpdir(), 'loyal-bench-store-'));
  try {
    for (const [customers, incidents] of SIZES) {
      const label = `${customers / 1000}k/${incidents / 1000}k`;
      const path = join(folder, `loyal-${label.replace('/', '-')}.json`);
      await writeFile(path, serialiseFile(makeBook(customers, incidents)));
      const size = (await stat(path)).size;
      const figures = await runChild(path, incidents >= 500_000 ? 1 : 3);
      const loadRatio = figures.loadMs / figures.rawParseMs;
      const saveRatio = figures.saveMs / figures.rawSaveMs;
      rows.push(
        { name: `${label} file size`, value: size / 2 ** 20, unit: 'MiB' },
        { name: `${label} load (read, parse, validate)`, value: figures.loadMs, unit: 'ms', note: `zod + references alone ${figures.validateMs.toFixed(0)} ms` },
        { name: `${label} raw JSON.parse`, value: figures.rawParseMs, unit: 'ms' },
        { name: `${label} load / raw parse`, value: loadRatio, unit: 'x', budget: 3, ok: loadRatio <= 3 },
        { name: `${label} save (serialise, atomic write)`, value: figures.saveMs, unit: 'ms', note: 'one patch: lock, disk check, serialise, hash, fsync, backup link, rename' },
        { name: `${label} raw stringify + writeFile`, value: figures.rawSaveMs, unit: 'ms' },
        { name: `${label} save / raw`, value: saveRatio, unit: 'x', budget: 2, ok: saveRatio <= 2 },
        { name: `${label} peak memory (RSS)`, value: figures.peakRssMb, unit: 'MiB', note: `heap after load ${figures.heapAfterLoadMb.toFixed(0)} MiB` },
      );
      await rm(path, { force: true });
      await rm(`${path}.raw`, { force: true });
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}

const childAt = process.argv.indexOf('--store-bench-child');
if (childAt !== -1) {
  const [path, repeats] = process.argv.slice(childAt + 1);
  measure(path, Number(repeats)).then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
