// Spikes and release effects on books from rosterBooks.ts (weekend rosters, half-hour and
// short shifts, part-time staff, hour and weekday weights), not the demo's generator.
// Fixed seeds; the rates over many seeds are in `npm run bench insight`.
import assert from 'node:assert/strict';
import { computeTrends } from '../../../../src/domain/trends/compute';
import { ROSTER_AS_OF, releaseBook, rosterBook } from '../../support/rosterBooks';

describe('trend review: spikes on books with weekend rosters and half-hour shifts', () => {
  const asOf = (weeks: number) => ({ asOf: ROSTER_AS_OF(weeks), bucket: 'week' as const });

  it('stays silent on pure noise although the weekend roster differs and a shift runs 09:30-11:30', () => {
    for (const seed of [1, 2, 3]) {
      const report = computeTrends(rosterBook({ seed, incidents: 20_000, weeks: 26 }), asOf(26));
      assert.deepEqual(
        report.spikes.map((s) => `${s.staff}@${s.hour} ${s.count}/${s.expected}`),
        [],
        `seed ${seed}`,
      );
    }
    // The 09:30-11:30 shift is not flagged at 10:00, nor the weekend-only staff.
    const small = computeTrends(rosterBook({ seed: 4, incidents: 2_000, weeks: 13 }), asOf(13));
    assert.deepEqual(small.spikes, []);
  });

  it('finds a 2x cell at its full size: the expected count leaves the cell out', () => {
    const report = computeTrends(rosterBook({ seed: 5, incidents: 20_000, weeks: 26, spike: { staff: 'Ada', hour: 10, ratio: 2 } }), asOf(26));
    assert.deepEqual(
      report.spikes.map((s) => [s.staff, s.hour]),
      [['Ada', 10]],
    );
    const [spike] = report.spikes;
    // Fitted with the cell in, a 2x cell showed as about 1.4x.
    assert.ok(spike.ratio > 1.8 && spike.ratio < 2.2, `ratio ${spike.ratio}`);
  });

  it('finds a 3x cell in a book of 2,000 incidents', () => {
    const report = computeTrends(rosterBook({ seed: 6, incidents: 2_000, weeks: 13, spike: { staff: 'Cy', hour: 10, ratio: 3 } }), asOf(13));
    assert.deepEqual(
      report.spikes.map((s) => [s.staff, s.hour]),
      [['Cy', 10]],
    );
  });
});

describe('trend review: release effects on books with weekday weights', () => {
  it('flags a 1.6x rise after a release and not the releases without effect', () => {
    const { file, releaseDay } = releaseBook({ seed: 7, incidents: 2_000, weeks: 26, ratio: 1.6 });
    const report = computeTrends(file, { asOf: '2026-07-05', bucket: 'week' });
    assert.deepEqual(
      report.releases.filter((r) => r.significant).map((r) => [r.component, r.date]),
      [['checkout', releaseDay]],
    );
  });

  it('flags nothing when no release changes anything', () => {
    const { file } = releaseBook({ seed: 8, incidents: 2_000, weeks: 26, ratio: 1 });
    const report = computeTrends(file, { asOf: '2026-07-05', bucket: 'week' });
    assert.deepEqual(
      report.releases.filter((r) => r.significant),
      [],
    );
  });
});
