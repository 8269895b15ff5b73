import { readFileSync } from 'node:fs';
import { indexBook } from '../../src/domain/book';
import { buildReview } from '../../src/domain/review';
const file = JSON.parse(readFileSync('/tmp/book.json', 'utf8'));
for (let k = 0; k < 6; k++) {
  const book = indexBook(file);
  for (let j = 0; j < 3; j++) buildReview(book, { asOf: '2026-03-10', ltvOf: () => 1 });
}
