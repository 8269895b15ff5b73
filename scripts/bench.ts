// `npm run bench`: every figure beside its budget (budgets come from the issues).
// Sections run one after another, each in a process of its own, so they do not compete for
// the two cores or for one heap.
import { spawnSync } from 'node:child_process';
import type { BenchRow } from './bench/types';
import { generateDemoBook } from '../src/domain/demo';
import { withPendingFollowUps } from './bench/review-cli.bench';
import type { LoyalFile } from '../src/domain/records';
import { parseFileBytes } from '../src/store/parse';
import { serialiseChunks } from '../src/store/serialise';

interface Section {
  title: string;
  run: () => Promise<BenchRow[]>;
  /** Part of a run only when asked for by name (a quicker variant of another section). */
  onlyWhenNamed?: boolean;
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const books = new Map<string, LoyalFile>();
function book(customers: number, incidents: number): LoyalFile {
  const key = `${customers}/${incidents}`;
  let file = books.get(key);
  if (!file) {
    file = generateDemoBook({ customers, incidents, seed: 42 });
    books.clear();
    books.set(key, file);
  }
  return file;
}

const sections: Record<string, Section> = {
  store: { title: 'Data file: load and save', run: async () => (await import('./bench/store.bench')).benchStore(book) },
  ltv: { title: 'Lifetime value (CDNOW master)', run: async () => (await import('./bench/ltv.bench')).benchLtv() },
  insight: { title: 'Insight out of sample (CDNOW master): book value, chance of buying again, back-test', run: async () => (await import('./bench/insight.bench')).benchInsight() },
  demo: { title: 'Demo book generator', run: async () => (await import('./bench/cli.bench')).benchDemo() },
  import: { title: 'CSV import (CDNOW master, loyal CLI)', run: async () => (await import('./bench/cli.bench')).benchImport() },
  'import-sources': { title: 'Import of an export from another system (100,000-row Shopify export)', run: async () => (await import('./bench/imports.bench')).benchSourceImport() },
  review: { title: 'Morning review (100k incidents, 20k pending follow-ups)', run: async () => (await import('./bench/review.bench')).benchReview(reviewBook()) },
  'review-cli': { title: 'loyal review, end to end (100k incidents, 20k pending follow-ups)', run: async () => (await import('./bench/review-cli.bench')).benchReviewCli() },
  trends: { title: 'Trend aggregates (500k incidents, the book as the store reads it)', run: async () => (await import('./bench/trends.bench')).benchTrends(storeRead(book(50_000, 500_000))) },
  mcp: { title: 'loyal mcp: morning_review over stdio (2k-customer demo book)', run: async () => (await import('./bench/mcp.bench')).benchMcp() },
  host: { title: 'In the real VS Code host', run: async () => (await import('./bench/host.bench')).benchHost() },
  'host-first': {
    title: 'In the real VS Code host: the first window only (1k customers / 10k incidents)',
    onlyWhenNamed: true,
    run: async () => (await import('./bench/host.bench')).benchFirstWindow(),
  },
};

/**
 * The book as the extension and the CLI hold it: written by the store and read back by it.
 * Records read from a file differ from generated ones in ways that cost time on a big book:
 * absent optional keys give many object shapes, and every id and date is its own string.
 * The generated copy is dropped so that only one book is in memory, as in the product.
 */
function storeRead(file: LoyalFile): LoyalFile {
  const pieces: Buffer[] = [];
  for (const chunk of serialiseChunks(file)) pieces.push(Buffer.from(chunk));
  books.clear();
  return parseFileBytes(Buffer.concat(pieces));
}

/** 100k incidents and about 20k pending follow-ups, as the incidents issue asks. */
function reviewBook(): LoyalFile {
  const file = withPendingFollowUps(structuredClone(book(20_000, 100_000)), 20_000, Date.now());
  file.followUps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return file;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/**
 * Every section runs in a node process of its own when more than one is asked for: a section's
 * figures are then not paid for by the one before it (a first call measured in a heap still
 * holding the store section's 500k-incident books took seven times as long), and its first
 * calls are first in their process, as they are for a user.
 */
async function main(): Promise<void> {
  const inSectionProcess = process.env.LOYAL_BENCH_SECTION !== undefined;
  const keys = Object.keys(sections).filter((key) => (only.length ? only.includes(key) : !sections[key].onlyWhenNamed));
  if (keys.length > 1 && !inSectionProcess) {
    let failures = 0;
    for (const key of keys) {
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], key], { stdio: 'inherit', env: { ...process.env, LOYAL_BENCH_SECTION: key } });
      failures += child.status ?? 1;
    }
    summarise(failures);
    return;
  }
  let failures = 0;
  for (const key of keys) {
    const section = sections[key];
    console.log(`\n## ${section.title}`);
    let rows: BenchRow[];
    try {
      rows = await section.run();
    } catch (error) {
      console.log(`  failed: ${(error as Error).stack ?? error}`);
      failures++;
      continue;
    }
    const width = Math.max(...rows.map((r) => r.name.length), 10);
    for (const row of rows) {
      const budget = row.budget === undefined ? '' : `budget ${format(row.budget)} ${row.unit}`;
      const ok = row.budget === undefined ? '' : (row.ok ?? row.value <= row.budget) ? 'ok' : 'OVER BUDGET';
      if (ok === 'OVER BUDGET') failures++;
      console.log(`  ${row.name.padEnd(width)}  ${format(row.value).padStart(10)} ${row.unit.padEnd(6)} ${budget.padEnd(22)} ${ok}${row.note ? `  (${row.note})` : ''}`);
    }
  }
  // A section's own process reports its count to the runner by its exit status.
  if (inSectionProcess) process.exitCode = failures;
  else summarise(failures);
}

function summarise(failures: number): void {
  console.log(failures ? `\n${failures} figure(s) over budget or failed.` : '\nEvery figure is within its budget.');
  process.exitCode = failures ? 1 : 0;
}

void main();
