import { readFileSync } from 'node:fs';
import { indexBook } from '../../src/domain/book';
import { buildReview } from '../../src/domain/review';
import { today } from '../../src/domain/time';
import type { LoyalFile } from '../../src/domain/records';
const raw: LoyalFile = JSON.parse(readFileSync('/tmp/book.json', 'utf8'));
function reviewBook(src: LoyalFile, clone: boolean): LoyalFile {
  const file = clone ? structuredClone(src) : JSON.parse(JSON.stringify(src));
  const pending = file.followUps.filter((f: any) => f.status === 'pending').length;
  const template = file.followUps[0];
  for (let i = pending; i < 20_000; i++) {
    const customer = file.customers[i % file.customers.length];
    const due = new Date(Date.now() + ((i % 40) - 20) * 86_400_000).toISOString().slice(0, 10);
    file.followUps.push({ ...template, id: `fol_bench${String(i).padStart(8, '0')}`, customerId: customer.id, incidentId: undefined, kind: 'keep-in-touch', due, status: 'pending', outcome: undefined, doneAt: undefined, doneBy: undefined, snoozedUntil: undefined });
  }
  return file;
}
const res: Record<string, number[]> = {};
const time = (name: string, f: () => void): void => { const t = performance.now(); f(); (res[name] ??= []).push(performance.now() - t); };
const variants: Record<string, LoyalFile> = { raw, json: reviewBook(raw, false), clone: reviewBook(raw, true) };
const paid = new Map<string, number>();
for (const p of raw.purchases) paid.set(p.customerId, (paid.get(p.customerId) ?? 0) + Number(p.amount));
for (let k = 0; k < 5; k++) {
  for (const [name, file] of Object.entries(variants)) {
    const book = indexBook(file);
    for (const asOf of ['2026-03-10', today()]) {
      time(`${name} ${asOf} first`, () => buildReview(book, { asOf, ltvOf: (id) => paid.get(id) ?? 0 }));
      time(`${name} ${asOf} again`, () => buildReview(book, { asOf, ltvOf: (id) => paid.get(id) ?? 0 }));
    }
  }
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(30), 'min', Math.min(...v).toFixed(1), 'median', v.sort((a, b) => a - b)[v.length >> 1].toFixed(1));
