import { readFileSync } from 'node:fs';
import { indexBook } from '../../src/domain/book';
import { buildReview } from '../../src/domain/review';
const file = JSON.parse(readFileSync('/tmp/book.json', 'utf8'));
const res: Record<string, number[]> = {};
const time = (name: string, f: () => void): void => { const t = performance.now(); f(); (res[name] ??= []).push(performance.now() - t); };
let c = 0;
time('calibrate 1M map ops', () => { const m = new Map<number, number>(); for (let i = 0; i < 1e6; i++) m.set(i & 0xffff, i); c += m.size; });
for (let k = 0; k < 8; k++) {
  const book = indexBook(file);
  time('customers', () => book.customersById);
  time('incidents', () => book.incidentsByCustomer);
  time('activity', () => book.activityDayNumbersByCustomer);
  time('pending+notes', () => { void book.pendingFollowUps; void book.openNotes; });
  time('review (rest)', () => buildReview(book, { asOf: '2026-03-10', ltvOf: () => 1 }));
  time('review again', () => buildReview(book, { asOf: '2026-03-10', ltvOf: () => 1 }));
  time('calibrate 1M map ops', () => { const m = new Map<number, number>(); for (let i = 0; i < 1e6; i++) m.set(i & 0xffff, i); c += m.size; });
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(22), 'min', Math.min(...v).toFixed(1), 'median', v.sort((a, b) => a - b)[v.length >> 1].toFixed(1));
