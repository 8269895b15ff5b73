import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoBook } from '../../../../src/domain/demo';
import type { TrendOptions } from '../../../../src/domain/trends/types';
import { TrendCache } from '../../../../src/domain/trends/columns';
import { computeTrends } from '../../../../src/domain/trends/compute';
import { inTimeZone } from '../../support/builders';

// The report a reader saw before the trend pass was made faster, saved as JSON: a faster pass
// must give exactly the same figures (counts, medians, rates, p-values) on a realistic book.
const GOLDEN = join(__dirname, '..', '..', '..', 'fixtures', 'trends', 'demo-2000-20000-seed5.json');

const CASES: Record<string, TrendOptions> = {
  weekly: { asOf: '2026-06-01', bucket: 'week' },
  monthly: { asOf: '2026-06-01', bucket: 'month' },
  ranged: { from: '2025-02-10', to: '2026-03-15', asOf: '2026-04-20', bucket: 'week', repeatWindowDays: 90 },
  staff: { asOf: '2026-06-01', bucket: 'month', filters: { staff: ['Sam Carter'] } },
  tagAndComponent: { asOf: '2026-06-01', bucket: 'week', filters: { tag: ['Late Delivery', 'app crash'], component: ['delivery', 'app'] } },
  earlyAsOf: { asOf: '2025-01-31', bucket: 'month' },
};

describe('trend review: same report as before the faster pass', () => {
  // Repeat failures count calendar days in the user's time zone (as the outlook does), so
  // the saved report is the one of a reader in one zone.
  inTimeZone('Europe/Rome');
  const book = generateDemoBook({ customers: 2000, incidents: 20000, seed: 5, today: '2026-06-01' });
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>;

  for (const [name, options] of Object.entries(CASES)) {
    it(`gives the saved report for the demo book (${name})`, () => {
      const report = JSON.parse(JSON.stringify(computeTrends(book, options))) as unknown;
      assert.deepEqual(report, golden[name]);
    });
  }

  it('gives the same report when the incidents are not in id order (a file being edited by hand)', () => {
    // The store keeps records sorted by id; a list out of order takes the slower lookups.
    const shuffled = { ...book, incidents: [...book.incidents].reverse() };
    for (const name of ['weekly', 'ranged', 'staff']) {
      const report = JSON.parse(JSON.stringify(computeTrends(shuffled, CASES[name]))) as unknown;
      assert.deepEqual(report, golden[name], name);
    }
  });

  it('gives the same reports from a cache kept across ranges, filters and days', () => {
    // The trend review keeps one cache per panel and asks for one report after another.
    const cache = new TrendCache();
    for (const name of [...Object.keys(CASES), 'weekly', 'staff']) {
      const report = JSON.parse(JSON.stringify(computeTrends(book, CASES[name], cache))) as unknown;
      assert.deepEqual(report, golden[name], name);
    }
    const shuffled = { ...book, incidents: [...book.incidents].reverse() };
    for (const name of ['weekly', 'earlyAsOf', 'ranged']) {
      const report = JSON.parse(JSON.stringify(computeTrends(shuffled, CASES[name], cache))) as unknown;
      assert.deepEqual(report, golden[name], `${name}, incidents out of order`);
    }
  });

  it('reads the book again through the cache once the book has changed', () => {
    const cache = new TrendCache();
    const before = computeTrends(book, CASES.weekly, cache);
    // The store never changes an array in place: a change gives the book new arrays.
    const fewer = { ...book, incidents: book.incidents.filter((_, i) => i % 2 === 0) };
    const after = computeTrends(fewer, CASES.weekly, cache);
    assert.deepEqual(after, computeTrends(fewer, CASES.weekly));
    assert.ok(after.total < before.total, `${after.total} incidents after, ${before.total} before`);
    const unchecked = { ...fewer, followUps: fewer.followUps.filter((f) => f.kind !== 'satisfaction-check') };
    assert.equal(computeTrends(unchecked, CASES.weekly, cache).outcomes.satisfactionChecks, 0);
    assert.ok(after.outcomes.satisfactionChecks > 0);
  });

  it('counts changed purchases in the next report from the cache, buyers missing from the file included', () => {
    const cache = new TrendCache();
    const before = computeTrends(book, CASES.monthly, cache);
    const may = (report: typeof before) => report.scorecard.find((row) => row.month === '2026-05')!;
    // A purchase by someone not (or no longer) in the customers: a buyer of that month all the same.
    const stranger = { ...book.purchases[0], id: 'pur_zzzzzzzzzzzz', customerId: 'cus_zzzzzzzzzzzz', date: '2026-05-10' };
    const withStranger = computeTrends({ ...book, purchases: [...book.purchases, stranger] }, CASES.monthly, cache);
    assert.equal(may(withStranger).purchasingCustomers, may(before).purchasingCustomers + 1);
    const half = { ...book, purchases: book.purchases.filter((_, i) => i % 2 === 0) };
    const after = computeTrends(half, CASES.monthly, cache);
    assert.deepEqual(after, computeTrends(half, CASES.monthly));
    assert.ok(may(after).purchasingCustomers < may(before).purchasingCustomers);
  });

  it('gives the right report when a cache reads a bigger book, then a smaller one, into the same arrays', () => {
    // The cache reads each new version of the book into the arrays it already has.
    const fewer = { ...book, incidents: book.incidents.filter((_, i) => i % 3 === 0) };
    const cache = new TrendCache();
    assert.deepEqual(computeTrends(fewer, CASES.ranged, cache), computeTrends(fewer, CASES.ranged));
    assert.deepEqual(JSON.parse(JSON.stringify(computeTrends(book, CASES.tagAndComponent, cache))), golden.tagAndComponent);
    assert.deepEqual(computeTrends(fewer, CASES.monthly, cache), computeTrends(fewer, CASES.monthly));
    assert.deepEqual(JSON.parse(JSON.stringify(computeTrends({ ...book }, CASES.weekly, cache))), golden.weekly);
  });
});
