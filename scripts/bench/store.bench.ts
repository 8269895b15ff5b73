// Data file load and save against raw readFile + JSON.parse / JSON.stringify + writeFile, for three
// book sizes. Each size is measured in a child process of its own, so its peak memory is
// its own and one size's garbage does not slow the next.
//
// Ratios use CPU time (user + system, all threads): on a shared two-core machine wall
// time swings by 3x with the load of other processes; wall times are reported beside.
// The 50k/500k book is longer than V8's longest string (~512 M characters), so there
// "raw" can only be JSON.parse / JSON.stringify over pieces of a few MB.
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COLLECTION_NAMES, type LoyalFile } from '../../src/domain/records';
import type { BenchRow } from './types';

const SIZES: Array<[number, number]> = [
  [1_000, 10_000],
  [10_000, 100_000],
  [50_000, 500_000],
];
/** Below this the whole text fits in one string. */
const ONE_STRING_BYTES = 500_000_000;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

interface ChildFigures {
  piecewise: boolean;
  rawParse: Timing;
  rawLoad: Timing;
  load: Timing;
  validate: Timing;
  rawSave: Timing;
  save: Timing;
  peakRssMb: number;
  heapAfterLoadMb: number;
  bookHeapMb: number;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; timing: Timing }> {
  gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, timing: { wallMs, cpuMs: (used.user + used.system) / 1000 } };
}

const medianOf = (timings: Timing[]): Timing => {
  const byCpu = [...timings].sort((a, b) => a.cpuMs - b.cpuMs);
  return byCpu[Math.floor(byCpu.length / 2)];
};

/** JSON.stringify + write, in pieces when the book cannot be one string. */
async function rawSave(file: LoyalFile, path: string, piecewise: boolean): Promise<void> {
  if (!piecewise) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, JSON.stringify(file, null, 2));
    return;
  }
  const handle = await open(path, 'w');
  try {
    for (const name of COLLECTION_NAMES) {
      const records = file[name] as unknown[];
      for (let start = 0; start < records.length; start += 2000) await handle.write(JSON.stringify(records.slice(start, start + 2000), null, 2));
    }
  } finally {
    await handle.close();
  }
}

/** Runs in the child: measures one file. */
async function measure(path: string, repeats: number): Promise<ChildFigures> {
  const { LoyalStore } = await import('../../src/store/store');
  const { parseFileBytes } = await import('../../src/store/parse');
  const { parseLarge } = await import('../../src/store/largeFile');
  const { checkFile } = await import('../../src/domain/validate');
  const bytes = await readFile(path);
  const piecewise = bytes.length > ONE_STRING_BYTES;
  const text = piecewise ? '' : bytes.toString('utf8');
  const raw = (piecewise ? parseLarge(bytes) : JSON.parse(text)) as LoyalFile;
  parseFileBytes(bytes); // warms up zod's compiled parsers
  const figures = { rawParse: [] as Timing[], rawLoad: [] as Timing[], load: [] as Timing[], validate: [] as Timing[], rawSave: [] as Timing[], save: [] as Timing[] };
  let heapAfterLoad = 0;
  for (let i = 0; i < repeats; i++) {
    figures.rawParse.push((await timed(() => void (piecewise ? parseLarge(bytes) : JSON.parse(text)))).timing);
    figures.rawLoad.push((await timed(async () => void (piecewise ? parseLarge(await readFile(path)) : JSON.parse(await readFile(path, 'utf8'))))).timing);
    figures.validate.push((await timed(() => void checkFile(raw))).timing);
    figures.rawSave.push((await timed(() => rawSave(raw, `${path}.raw`, piecewise))).timing);
  }
  let bookHeap = 0;
  for (let i = 0; i < repeats; i++) {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const { value: store, timing } = await timed(async () => {
      const opened = await LoyalStore.open(path, { user: () => 'bench' });
      opened.finishDeferredWork();
      return opened;
    });
    figures.load.push(timing);
    if (i === 0) {
      // The book's own size in memory: the heap with the store open, less the heap before.
      gc();
      bookHeap = process.memoryUsage().heapUsed - heapBefore;
    }
    if (store.state.kind !== 'ok') throw new Error(`the bench book does not load: ${JSON.stringify(store.state)}`);
    heapAfterLoad = Math.max(heapAfterLoad, process.memoryUsage().heapUsed);
    const incident = store.file.incidents[Math.floor(store.file.incidents.length / 2)];
    figures.save.push((await timed(() => store.update((tx) => tx.patch('incidents', incident.id, { summary: `${incident.summary} (bench ${i})` })))).timing);
    store.dispose();
  }
  return {
    piecewise,
    rawParse: medianOf(figures.rawParse),
    rawLoad: medianOf(figures.rawLoad),
    load: medianOf(figures.load),
    validate: medianOf(figures.validate),
    rawSave: medianOf(figures.rawSave),
    save: medianOf(figures.save),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapAfterLoadMb: heapAfterLoad / 2 ** 20,
    bookHeapMb: bookHeap / 2 ** 20,
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

const wall = (timing: Timing) => `wall ${timing.wallMs.toFixed(0)} ms`;

export async function benchStore(makeBook: (customers: number, incidents: number) => LoyalFile): Promise<BenchRow[]> {
  const { serialiseChunks } = await import('../../src/store/serialise');
  const { writeFileAtomic } = await import('../../src/store/atomic');
  const { checkOrigins, fastRecordCheck } = await import('../../src/store/fastValidate');
  const { COLLECTION_NAMES } = await import('../../src/domain/records');
  // The load ratio holds only while every collection takes the fast check: a zod upgrade
  // or a schema change it cannot mirror would quietly send each record through zod.
  const slow = COLLECTION_NAMES.filter((name) => !fastRecordCheck(name));
  const rows: BenchRow[] = [
    {
      name: 'collections checked the fast way',
      value: COLLECTION_NAMES.length - slow.length,
      unit: `of ${COLLECTION_NAMES.length}`,
      budget: COLLECTION_NAMES.length,
      ok: slow.length === 0,
      note: slow.length ? `through zod record by record: ${slow.join(', ')} (see src/store/zodShape.ts)` : 'ajv from the zod schemas (src/store/fastValidate.ts)',
    },
    {
      name: 'collections with a check generated ahead of time',
      value: COLLECTION_NAMES.filter((name) => checkOrigins.get(name) === 'prebuilt').length,
      unit: `of ${COLLECTION_NAMES.length}`,
      note: 'the others are compiled when first used (about 10 ms each on a cold start): run `npm run generate`',
    },
  ];
  const folder = await mkdtemp(join(tmpdir(), 'loyal-bench-store-'));
  try {
    for (const [customers, incidents] of SIZES) {
      const label = `${customers / 1000}k/${incidents / 1000}k`;
      const path = join(folder, `loyal-${label.replace('/', '-')}.json`);
      await writeFileAtomic(path, serialiseChunks(makeBook(customers, incidents)));
      const size = (await stat(path)).size;
      const f = await runChild(path, 3);
      const how = f.piecewise ? ' (in pieces: too long for one string)' : '';
      // The budget's "raw JSON.parse of the same file": read it (UTF-8) and JSON.parse it, the
      // least any program spends to get this file into memory. Parse alone is shown beside.
      const loadRatio = f.load.cpuMs / f.rawLoad.cpuMs;
      const parseRatio = f.load.cpuMs / f.rawParse.cpuMs;
      const saveRatio = f.save.cpuMs / f.rawSave.cpuMs;
      rows.push(
        { name: `${label} file size`, value: size / 2 ** 20, unit: 'MiB' },
        {
          name: `${label} load (read, parse, validate)`,
          value: f.load.cpuMs,
          unit: 'ms',
          note: `CPU; ${wall(f.load)}; JSON.parse + checkFile alone would spend ${(f.rawParse.cpuMs + f.validate.cpuMs).toFixed(0)} ms`,
        },
        { name: `${label} raw readFile + JSON.parse`, value: f.rawLoad.cpuMs, unit: 'ms', note: `CPU; ${wall(f.rawLoad)}${how}; JSON.parse of the text alone ${f.rawParse.cpuMs.toFixed(0)} ms` },
        { name: `${label} load / raw`, value: loadRatio, unit: 'x', budget: 3, ok: loadRatio <= 3, note: `${parseRatio.toFixed(2)} x JSON.parse of the text alone` },
        { name: `${label} save (serialise, atomic write)`, value: f.save.cpuMs, unit: 'ms', note: `CPU; ${wall(f.save)}; one patch: lock, disk check, serialise, hash, fsync, backup link, rename` },
        { name: `${label} raw stringify + writeFile`, value: f.rawSave.cpuMs, unit: 'ms', note: `CPU; ${wall(f.rawSave)}${how}` },
        { name: `${label} save / raw`, value: saveRatio, unit: 'x', budget: 2, ok: saveRatio <= 2 },
        { name: `${label} book in memory (heap)`, value: f.bookHeapMb, unit: 'MiB', note: 'the heap with the store open, less the heap before it opened' },
        { name: `${label} peak memory (RSS)`, value: f.peakRssMb, unit: 'MiB', note: `heap after load ${f.heapAfterLoadMb.toFixed(0)} MiB, with the bench's own copy of the book` },
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
