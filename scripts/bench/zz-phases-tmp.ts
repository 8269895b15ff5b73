import { writeFileSync, readFileSync } from 'node:fs';
import { reviewCliBook } from '/work/main/scripts/bench/review-cli.bench';
import { serialiseFile, LoyalStore } from '/work/main/src/store';
import { estimateFile, CLI_LTV_DEFAULTS, ltvCentsOf } from '/work/main/src/cli/commands/ltv';
import { indexBook } from '/work/main/src/domain/book';
import { buildReview } from '/work/main/src/domain/review';
import { ltvInputFromFile } from '/work/main/src/domain/ltv/fromBook';
import { estimateBook } from '/work/main/src/domain/ltv';
async function main() {
  const path = '/tmp/lsmoke/big.json';
  try { readFileSync(path, { flag: 'r' }).length; } catch { writeFileSync(path, serialiseFile(reviewCliBook('2026-03-02'))); }
  let t = performance.now();
  const lap = (n: string) => { const now = performance.now(); console.log(n.padEnd(20), (now - t).toFixed(0), 'ms'); t = now; };
  const text = readFileSync(path, 'utf8'); lap('read');
  JSON.parse(text); lap('JSON.parse');
  const store = await LoyalStore.open(path, { user: () => 'x' }); lap('store open');
  const file = store.file;
  console.log(file.purchases.length, 'purchases', file.subscriptions.length, 'subs');
  const input = ltvInputFromFile(file, CLI_LTV_DEFAULTS, '2026-03-02'); lap('ltv input');
  const diag = { timings: {} as Record<string, number> };
  const ltv = estimateBook(input, diag); lap('estimateBook'); console.log(diag);
  const review = buildReview(indexBook(file), { asOf: '2026-03-02', ltvOf: ltvCentsOf(ltv) }); lap('buildReview');
  const out = JSON.stringify(review, null, 2); lap('stringify'); console.log(out.length / 1e6, 'MB out');
  store.dispose();
}
void main();
