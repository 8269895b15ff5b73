import assert from 'node:assert/strict';
import { benjaminiHochberg, binomialUpperTail, lnGamma, medianInPlace, poissonUpperTail } from '../../../../src/domain/trends/stats';
import { expectedOnDuty } from '../../../../src/domain/trends/spikes';
import { dayNumberOf, dayText, epochSecondsOf, weekdayOf } from '../../../../src/domain/trends/calendar';

function choose(n: number, k: number): number {
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
}

function close(actual: number, expected: number, relative = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.max(Math.abs(expected), 1e-300), `${actual} != ${expected}`);
}

describe('trend statistics', () => {
  it('computes log-gamma of factorials', () => {
    assert.ok(Math.abs(lnGamma(1)) < 1e-12);
    close(Math.exp(lnGamma(11)), 3628800);
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)));
  });

  it('binomial upper tails match the direct sum', () => {
    for (const [n, p] of [
      [10, 0.3],
      [40, 0.05],
      [200, 0.5],
    ] as const) {
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 10))) {
        let direct = 0;
        for (let x = k; x <= n; x++) direct += choose(n, x) * p ** x * (1 - p) ** (n - x);
        close(binomialUpperTail(k, n, p), direct, 1e-8);
      }
    }
    assert.equal(binomialUpperTail(0, 5, 0.5), 1);
    assert.equal(binomialUpperTail(6, 5, 0.5), 0);
  });

  it('Poisson upper tails match the direct sum, far into the tail', () => {
    for (const mean of [0.3, 4, 55.09]) {
      for (const k of [1, 3, 10, 60, 100]) {
        let below = 0;
        let term = Math.exp(-mean);
        for (let x = 0; x < k; x++) {
          below += term;
          term *= mean / (x + 1);
        }
        // Far in the tail 1 - below loses every digit: sum the tail itself instead.
        let tail = 0;
        term = Math.exp(-mean + k * Math.log(mean) - lnGamma(k + 1));
        for (let x = k; x < k + 2000; x++) {
          tail += term;
          term *= mean / (x + 1);
        }
        close(poissonUpperTail(k, mean), tail, 1e-7);
        if (tail > 1e-3) close(poissonUpperTail(k, mean), 1 - below, 1e-9);
      }
    }
  });

  it('Benjamini-Hochberg adjusts p-values step-up', () => {
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    close(adjusted[3], 0.02);
    close(adjusted[0], 0.02);
    close(adjusted[2], 0.04);
    close(adjusted[1], 0.04);
    assert.deepEqual(benjaminiHochberg([]), []);
  });

  it('medians of odd and even counts, and of nothing', () => {
    assert.equal(medianInPlace(Float64Array.from([5, 1, 3])), 3);
    assert.equal(medianInPlace(Float64Array.from([4, 1, 3, 2])), 2.5);
    assert.equal(medianInPlace(new Float64Array(0)), null);
  });

  it('expected counts: row x column / N when everybody covers every hour', () => {
    const rows = [{ hours: Array.from({ length: 24 }, (_, h) => 10 + h) }, { hours: Array.from({ length: 24 }, (_, h) => 30 - h) }];
    const n = rows.flatMap((row) => row.hours).reduce((a, b) => a + b, 0);
    const expected = expectedOnDuty(rows);
    for (let s = 0; s < 2; s++) {
      const rowTotal = rows[s].hours.reduce((a, b) => a + b, 0);
      for (let h = 0; h < 24; h++) close(expected[s][h], (rowTotal * (rows[0].hours[h] + rows[1].hours[h])) / n, 1e-8);
    }
  });

  it('expected counts: nothing expected off shift, and a lone person on duty is never a spike', () => {
    const morning = Array.from({ length: 24 }, (_, h) => (h >= 6 && h < 14 ? 20 : 0));
    const evening = Array.from({ length: 24 }, (_, h) => (h >= 12 && h < 20 ? 20 : 0));
    const expected = expectedOnDuty([{ hours: morning }, { hours: evening }]);
    assert.equal(expected[0][18], 0);
    close(expected[0][7], 20);
    close(expected[1][13], 20);
  });

  it('reads the date, weekday and instant from the text, offset included', () => {
    assert.equal(dayText(dayNumberOf('2024-02-29')), '2024-02-29');
    assert.equal(weekdayOf(dayNumberOf('2026-03-02')), 0);
    assert.equal(weekdayOf(dayNumberOf('1969-12-28')), 6);
    for (const instant of ['2026-03-02T09:15:00+01:00', '2026-03-02T09:15:07Z', '2025-12-31T23:59:59-05:30', '2026-07-01T00:00:00.250+14:00']) {
      assert.equal(epochSecondsOf(instant), Math.floor(Date.parse(instant) / 1000));
    }
  });
});
