import assert from 'node:assert/strict';
import { indexBook, instantMs } from '../../../src/domain/book';
import { customerRisk, customersAtRisk, recoveryOutlook, riskWindow } from '../../../src/domain/recovery';
import { computeTrends } from '../../../src/domain/trends/compute';
import { isRecentlyResolved, isRepeatWithin } from '../../../src/domain/windows';
import { generateDemoBook } from '../../../src/domain/demo';
import { ruleSettings } from '../../../src/domain/settings';
import { BookBuilder, inTimeZone } from '../support/builders';

// One rule, asked by every part of Loyal: the recovery outlook, the customer's risk (Today,
// `loyal review`) and the trend review must say the same about the same two incidents.
describe('repeat failures: one rule for the outlook, the risk and the trend review', () => {
  inTimeZone('Europe/Rome');

  /** Two incidents of one customer, the second opened at `second`; the report covers both. */
  function twoIncidents(first: string, second: string): { outlook: string[]; atRisk: boolean; atRiskInOnePass: boolean; trendRate: number | null } {
    const b = new BookBuilder();
    const c = b.customer();
    b.incident(c.id, first);
    const later = b.incident(c.id, second);
    const file = b.build();
    const asOf = second.slice(0, 10);
    return {
      outlook: recoveryOutlook(file, later).reasons,
      atRisk: customerRisk(indexBook(file), c.id, asOf).atRisk,
      atRiskInOnePass: customersAtRisk(file.incidents, riskWindow(asOf)).has(c.id),
      trendRate: computeTrends(file, { from: first.slice(0, 10), asOf, bucket: 'month' }).outcomes.repeatFailureRate,
    };
  }

  it('counts two incidents 365 days and 22 hours apart as a repeat, everywhere', () => {
    // 2025-03-09 to 2026-03-09 is 365 calendar days; the clock times add 22 hours.
    const first = '2025-03-09T01:00:00+01:00';
    const second = '2026-03-09T23:00:00+01:00';
    assert.ok(instantMs(second) - instantMs(first) > 365 * 86_400_000, 'more than 365 x 24 hours apart');
    assert.equal(isRepeatWithin(instantMs(first), instantMs(second), 365), true);
    assert.deepEqual(twoIncidents(first, second), { outlook: ['repeat-failure'], atRisk: true, atRiskInOnePass: true, trendRate: 0.5 });
  });

  it('does not count an incident 366 calendar days earlier, even under 366 x 24 hours apart', () => {
    const first = '2025-03-08T23:00:00+01:00';
    const second = '2026-03-09T01:00:00+01:00';
    assert.ok(instantMs(second) - instantMs(first) < 366 * 86_400_000);
    assert.equal(isRepeatWithin(instantMs(first), instantMs(second), 365), false);
    assert.deepEqual(twoIncidents(first, second), { outlook: [], atRisk: false, atRiskInOnePass: false, trendRate: 0 });
  });

  it('counts two incidents at the same instant as repeats of each other, in the trend review too', () => {
    const result = twoIncidents('2026-03-09T10:00:00+01:00', '2026-03-09T09:00:00Z');
    assert.deepEqual(result, { outlook: ['repeat-failure'], atRisk: true, atRiskInOnePass: true, trendRate: 1 });
  });

  it("counts calendar days in the user's time zone across a daylight-saving change", () => {
    // Rome moved its clocks forward on 2026-03-29: 23 hours that day.
    const first = instantMs('2026-03-20T23:30:00+01:00');
    assert.equal(isRepeatWithin(first, instantMs('2026-04-19T00:10:00+02:00'), 30), true);
    assert.equal(isRepeatWithin(first, instantMs('2026-04-20T00:10:00+02:00'), 30), false);
    assert.equal(isRepeatWithin(instantMs('2026-04-19T00:10:00+02:00'), first, 30), false, 'never a later incident');
  });
});

describe('recently resolved: one rule for the Incidents view and the reports', () => {
  inTimeZone('Europe/Rome');

  it("keeps an incident resolved in the last 30 calendar days of the user's time zone", () => {
    assert.equal(isRecentlyResolved({ resolvedAt: '2026-02-02T00:30:00+01:00' }, '2026-03-04'), true);
    assert.equal(isRecentlyResolved({ resolvedAt: '2026-02-01T23:30:00+01:00' }, '2026-03-04'), false);
    // Written in New York on the evening of 1 February: already 2 February in Rome.
    assert.equal(isRecentlyResolved({ resolvedAt: '2026-02-01T19:30:00-05:00' }, '2026-03-04'), true);
    assert.equal(isRecentlyResolved({}, '2026-03-04'), false, 'an open incident is not resolved');
    assert.equal(isRecentlyResolved({ resolvedAt: '2026-02-20T10:00:00+01:00' }, '2026-03-04', 7), false);
  });
});

describe('repeat failures on a realistic book: the trend review counts what the outlook says', () => {
  inTimeZone('Europe/Rome');

  it('gives the share of incidents whose outlook names a repeat failure, for several windows', () => {
    const book = generateDemoBook({ customers: 300, incidents: 3000, seed: 11, today: '2026-06-01' });
    const index = indexBook(book);
    for (const repeatWindowDays of [30, 90, 365]) {
      const report = computeTrends(book, { from: '2025-06-01', asOf: '2026-06-01', bucket: 'month', repeatWindowDays });
      const inScope = book.incidents.filter((i) => i.openedAt.slice(0, 10) >= '2025-06-01' && i.openedAt.slice(0, 10) <= '2026-06-01');
      const repeats = inScope.filter((i) => recoveryOutlook(index, i, ruleSettings({ repeatWindowDays })).reasons.includes('repeat-failure')).length;
      assert.equal(report.total, inScope.length);
      assert.ok(repeats > 0 && repeats < inScope.length, `${repeats} of ${inScope.length}`);
      assert.equal(report.outcomes.repeatFailureRate, Math.round((repeats / inScope.length) * 10_000) / 10_000, `window ${repeatWindowDays} days`);
    }
  });
});
