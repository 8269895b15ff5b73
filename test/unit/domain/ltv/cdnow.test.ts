import * as assert from 'node:assert/strict';
import { DEFAULT_LTV_SETTINGS, estimateBook } from '../../../../src/domain/ltv/estimate';
import { bgNbdConditionalExpectedPurchases, bgNbdPAlive } from '../../../../src/domain/ltv/bgnbd';
import { gammaGammaExpectedSpend } from '../../../../src/domain/ltv/gammagamma';
import type { LtvBook } from '../../../../src/domain/ltv/types';
import { readCdnowSample } from '../../support/cdnow';

function within(actual: number | undefined, expected: number, relTol: number, label: string): void {
  assert.ok(actual !== undefined, `${label} missing`);
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= relTol, `${label}: expected ${expected} +/- ${relTol * 100}%, got ${actual}`);
}

describe('ltv: CDNOW sample reproduces the published values', function () {
  this.timeout(60_000);
  const data = readCdnowSample();
  let book: LtvBook;

  before(() => {
    book = estimateBook({
      asOf: '1997-09-30',
      customerIds: data.customerIds,
      purchases: data.purchases,
      subscriptions: [],
      settings: DEFAULT_LTV_SETTINGS,
    });
  });

  it('reads the sample: 6,919 purchases, 2,357 customers', () => {
    assert.equal(data.purchases.length, 6919);
    assert.equal(data.customerIds.length, 2357);
  });

  it('builds the calibration summaries: 2,457 repeat purchases by 946 repeat buyers', () => {
    assert.equal(book.model.kind, 'bg-nbd');
    // 8 customers whose only entry is an amount of 0 are not buying customers (the paper counts them).
    assert.deepEqual(
      { customers: book.model.counts.customers, repeatBuyers: book.model.counts.repeatBuyers, repeat: book.model.counts.repeatTransactions },
      { customers: 2349, repeatBuyers: 946, repeat: 2457 },
    );
    const free = [...book.customers.values()].filter((c) => c.model === 'none');
    assert.equal(free.length, 8);
    for (const c of free) {
      assert.equal(c.ltv, 0);
      assert.ok(c.explanation.notes.includes('zero-amounts-only'), c.customerId);
    }
  });

  it('fits BG/NBD within 1% of Fader, Hardie & Lee (2005), alpha in days', () => {
    const m = book.model;
    assert.ok(m.kind === 'bg-nbd');
    within(m.params.r, 0.2426, 0.01, 'r');
    within(m.params.alpha, 4.4135 * 7, 0.01, 'alpha (days)');
    within(m.params.a, 0.7929, 0.01, 'a');
    within(m.params.b, 2.4258, 0.01, 'b');
    // The paper's -14,363.53 includes the 8 free-entry customers (about -0.53 each).
    assert.ok(Math.abs(m.params.logLikelihood - -14359.3) <= 0.1, `log-likelihood ${m.params.logLikelihood}`);
  });

  it('fits Gamma-Gamma within 1% of the published p, q, v', () => {
    const m = book.model;
    assert.ok(m.kind === 'bg-nbd' && m.spend.model === 'gamma-gamma');
    within(m.params.p, 6.25, 0.01, 'p');
    within(m.params.q, 3.74, 0.01, 'q');
    within(m.params.v, 15.44, 0.01, 'v');
    assert.equal(m.spend.customers, 946);
    assert.ok(Math.abs(m.spend.logLikelihood - -4055.9) < 0.5, `GG log-likelihood ${m.spend.logLikelihood}`);
  });

  it('reproduces the worked example: x = 2, t_x = 30.43, T = 38.86 weeks -> 1.226 purchases in 39 weeks', () => {
    const m = book.model;
    assert.ok(m.kind === 'bg-nbd');
    const expected = bgNbdConditionalExpectedPurchases(m.params, 2, 30.43 * 7, 38.86 * 7, 39 * 7);
    assert.ok(Math.abs(expected - 1.226) <= 0.005, `got ${expected}`);
  });

  it('gives every customer a finite estimate with a consistent explanation', () => {
    const m = book.model;
    assert.ok(m.kind === 'bg-nbd');
    assert.equal(book.customers.size, 2357);
    for (const c of book.customers.values()) {
      if (c.explanation.notes.includes('zero-amounts-only')) continue;
      assert.equal(c.model, 'bg-nbd');
      assert.ok(Number.isFinite(c.ltv) && c.ltv >= 0, `${c.customerId} ltv ${c.ltv}`);
      assert.ok(c.pAlive !== undefined && c.pAlive > 0 && c.pAlive <= 1);
      assert.ok(c.expectedPurchases12m !== undefined && c.expectedPurchases12m >= 0);
      assert.ok(c.historicalValue >= 0);
      const i = c.explanation.inputs;
      const product = (i.pAlive as number) * (i.discountedPurchases as number) * (i.expectedSpend as number) * (i.margin as number);
      assert.ok(Math.abs(product - c.ltv) <= 0.005 + 1e-9, `${c.customerId}: ${product} vs ${c.ltv}`);
      assert.deepEqual(c.explanation.formulaTerms, ['pAlive', 'discountedPurchases', 'expectedSpend', 'margin']);
      assert.match(c.explanation.formula, /^[\d.e+-]+ x [\d.e+-]+ x [\d.]+ x 1 = [\d.]+$/);
      assert.ok(c.explanation.notes.includes('revenue-margin-1'));
    }
  });

  it('computes the discounted CLV of customer 0001 from the month-end differences', () => {
    const m = book.model;
    assert.ok(m.kind === 'bg-nbd');
    // Customer 0001: purchases 1997-01-01, 01-18, 08-02 (a fourth after 09-30 is ignored).
    const c = book.customers.get('0001')!;
    assert.equal(c.explanation.inputs.x, 2);
    assert.equal(c.explanation.inputs.recencyDays, 213);
    assert.equal(c.explanation.inputs.tenureDays, 272);
    assert.ok(c.explanation.notes.includes('later-records-ignored'));
    assert.equal(c.historicalValue, 74.02); // summed in cents: no 74.02000000000001
    const zbar = (29.73 + 14.96) / 2;
    const spend = gammaGammaExpectedSpend({ p: m.params.p!, q: m.params.q!, v: m.params.v! }, 2, zbar);
    let clv = 0;
    let prev = 0;
    for (let month = 1; month <= 36; month++) {
      const e = bgNbdConditionalExpectedPurchases(m.params, 2, 213, 272, month * (365.25 / 12));
      clv += ((e - prev) * spend) / Math.pow(1.01, month);
      prev = e;
    }
    assert.ok(Math.abs(c.ltv - clv) < 0.006, `${c.ltv} vs ${clv}`);
    assert.ok(Math.abs(c.pAlive! - bgNbdPAlive(m.params, 2, 213, 272)) < 1e-12);
    assert.ok(Math.abs(c.expectedPurchases12m! - bgNbdConditionalExpectedPurchases(m.params, 2, 213, 272, 365)) < 1e-12);
  });

  it('uses the simple model when the book has fewer repeat buyers than minRepeatBuyers', () => {
    const run = (minRepeatBuyers: number) =>
      estimateBook({
        asOf: '1997-09-30',
        customerIds: data.customerIds,
        purchases: data.purchases,
        subscriptions: [],
        settings: { ...DEFAULT_LTV_SETTINGS, minRepeatBuyers },
      }).model;
    const below = run(947);
    assert.equal(below.kind, 'simple');
    assert.ok(below.kind === 'simple' && below.reason === 'too-few-repeat-buyers');
    assert.equal(run(946).kind, 'bg-nbd');
  });
});
