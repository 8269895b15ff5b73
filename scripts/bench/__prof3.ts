import { readFileSync } from 'node:fs';
import { indexBook } from '../../src/domain/book';
import { buildReview } from '../../src/domain/review';
const file = JSON.parse(readFileSync('/tmp/book.json', 'utf8'));
const cpu = (f: () => void): number => { const u = process.cpuUsage(); f(); const d = process.cpuUsage(u); return (d.user + d.system) / 1000; };
for (let k = 0; k < 4; k++) {
  let book: ReturnType<typeof indexBook> | undefined;
  const a = cpu(() => { book = indexBook(file); });
  const b = cpu(() => { buildReview(book!, { asOf: '2026-03-10', ltvOf: () => 1 }); });
  console.log('cpu index', a.toFixed(1), 'review', b.toFixed(1));
}
