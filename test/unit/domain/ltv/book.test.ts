import * as assert from 'node:assert/strict';
import { DEFAULT_LTV_SETTINGS, SIMPLE_MODEL, estimateBook } from '../../../../src/domain/ltv/estimate';
import { subscriptionLtv } from '../../../../src/domain/ltv/subscription';
import type { LtvInput, LtvPurchase, LtvSettings, LtvSubscription } from '../../../../src/domain/ltv/types';

// Most cases here pin the plain rule, which a book gets when nothing can be fitted or when it
// raises loyal.ltv.minRepeatBuyers; the default fits BG/NBD from one repeat buyer on (see 'small books').
const settings: LtvSettings = { ...DEFAULT_LTV_SETTINGS, margin: 1, monthlyDiscountRate: 0.01, horizonMonths: 36, monthlyChurn: 0.03, minRepeatBuyers: 1_000_000 };

function input(partial: Partial<LtvInput> & { asOf: string }): LtvInput {
  const purchases = partial.purchases ?? [];
  const subscriptions = partial.subscriptions ?? [];
  const ids = partial.customerIds ?? [...new Set([...purchases, ...subscriptions].map((r) => r.customerId))];
  return { customerIds: ids, purchases, subscriptions, settings: partial.settings ?? settings, asOf: partial.asOf };
}

const buy = (customerId: string, date: string, amount: number): LtvPurchase => ({ customerId, date, amount });

function close(actual: number, expected: number, tol = 1e-9, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label} expected ${expected}, got ${actual}`);
}

/** Discounted expected months alive within the horizon: sum_{m=1..H} ((1-c)/(1+d))^m. */
function lifetimeMonths(s: LtvSettings): number {
  let sum = 0;
  for (let m = 1; m <= s.horizonMonths; m++) sum += Math.pow((1 - s.monthlyChurn) / (1 + s.monthlyDiscountRate), m);
  return sum;
}

describe('ltv: empty and trivial books', () => {
  it('an empty book has no customers and the simple model', () => {
    const book = estimateBook(input({ asOf: '2024-03-21' }));
    assert.equal(book.customers.size, 0);
    assert.equal(book.model.kind, 'simple');
    assert.ok(book.model.kind === 'simple' && book.model.reason === 'no-purchase-customers');
    assert.equal(book.model.churn.source, 'setting');
    assert.equal(book.model.churn.monthlyChurn, 0.03);
    assert.deepEqual(book.model.counts, { customers: 0, repeatBuyers: 0, transactions: 0, repeatTransactions: 0 });
  });

  it('a customer without history gets model none and 0', () => {
    const book = estimateBook(input({ asOf: '2024-03-21', customerIds: ['c1'] }));
    const c = book.customers.get('c1')!;
    assert.equal(c.model, 'none');
    assert.equal(c.ltv, 0);
    assert.equal(c.historicalValue, 0);
    assert.deepEqual(c.explanation.notes, ['no-history']);
  });

  it('ignores purchases of unknown customers and rejects invalid settings and dates', () => {
    const book = estimateBook(input({ asOf: '2024-03-21', customerIds: ['c1'], purchases: [buy('zz', '2024-01-01', 10)] }));
    assert.equal(book.customers.size, 1);
    assert.equal(book.model.counts.customers, 0);
    assert.throws(() => estimateBook(input({ asOf: '2024-03-21', settings: { ...settings, margin: 1.5 } })), RangeError);
    assert.throws(() => estimateBook(input({ asOf: '2024-03-21', settings: { ...settings, monthlyChurn: 0 } })), RangeError);
    assert.throws(() => estimateBook(input({ asOf: '2024-02-30' })), RangeError);
    assert.throws(() => estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c1', '2024/01/01', 1)] })), RangeError);
  });
});

describe('ltv: simple model and lapse rule', () => {
  const asOf = '2024-03-21';
  const purchases = [
    // every 30 days, last one 20 days ago
    buy('regular', '2024-01-01', 100),
    buy('regular', '2024-01-31', 100),
    buy('regular', '2024-03-01', 100),
    // the same habit, but it stopped a year ago
    buy('lapsed', '2023-01-01', 100),
    buy('lapsed', '2023-01-31', 100),
    buy('lapsed', '2023-03-02', 100),
    buy('single', '2024-03-01', 50),
    buy('single-old', '2023-06-01', 50),
  ];
  const book = estimateBook(input({ asOf, purchases }));
  // Typical gap: (60 + 60 days of repeat spans + one prior gap of 90) / (4 repeat purchases + 1) = 42 days.
  const G = (60 + 60 + SIMPLE_MODEL.DEFAULT_GAP_DAYS) / 5;
  const L = lifetimeMonths(settings);

  it('applies when the book has fewer repeat buyers than minRepeatBuyers', () => {
    assert.equal(book.model.kind, 'simple');
    assert.ok(book.model.kind === 'simple' && book.model.reason === 'too-few-repeat-buyers');
    assert.ok(book.model.kind === 'simple' && book.model.typicalGapSource === 'book');
    close(book.model.kind === 'simple' ? book.model.typicalGapDays : 0, G);
  });

  it('values an active regular buyer as AOV x rate x lifetime x margin', () => {
    const c = book.customers.get('regular')!;
    const gap = (60 + G) / 3; // 34 days
    const expected = 100 * (30.4375 / gap) * L;
    assert.equal(c.model, 'simple');
    close(c.ltv, Math.round(expected * 100) / 100, 1e-9, 'ltv');
    assert.equal(c.historicalValue, 300);
    close(c.explanation.inputs.gapDays as number, 34);
    close(c.explanation.inputs.lapseAfterDays as number, 102);
    assert.ok(!c.explanation.notes.includes('lapsed'));
    assert.deepEqual(c.explanation.formulaTerms, ['averageOrderValue', 'purchasesPerMonth', 'lifetimeMonths', 'margin']);
    assert.match(c.explanation.formula, /^100 x 0\.895 x \d+\.\d+ x 1 = \d+\.\d+$/);
  });

  it('sets the value of a lapsed customer near zero (no purchase for > 3x their usual gap)', () => {
    const regular = book.customers.get('regular')!;
    const lapsed = book.customers.get('lapsed')!;
    assert.ok(lapsed.explanation.notes.includes('lapsed'));
    assert.equal(lapsed.explanation.inputs.daysSinceLastPurchase, 385);
    close(lapsed.ltv, Math.round(regular.ltv * SIMPLE_MODEL.LAPSED_FACTOR * 100) / 100, 0.011, 'lapsed ltv');
    assert.ok(lapsed.ltv < 0.1 * regular.ltv);
    assert.deepEqual(lapsed.explanation.formulaTerms.at(-1), 'lapsedFactor');
  });

  it('uses the book typical gap for single-purchase customers, lapsing after 3x that', () => {
    const single = book.customers.get('single')!;
    assert.ok(single.explanation.notes.includes('single-purchase'));
    assert.ok(!single.explanation.notes.includes('lapsed'));
    close(single.ltv, Math.round(50 * (30.4375 / G) * L * 100) / 100, 1e-9, 'single ltv');
    const old = book.customers.get('single-old')!;
    close(old.explanation.inputs.lapseAfterDays as number, 3 * G);
    assert.ok(old.explanation.notes.includes('lapsed'));
  });

  it('falls back to a 90-day typical gap when nobody bought twice', () => {
    const b = estimateBook(input({ asOf, purchases: [buy('a', '2024-03-01', 10)] }));
    assert.ok(b.model.kind === 'simple' && b.model.typicalGapSource === 'default' && b.model.typicalGapDays === 90);
    assert.ok(b.customers.get('a')!.explanation.notes.includes('book-gap-default'));
  });
});

describe('ltv: transactions, as-of, margin', () => {
  it('merges same-day purchases into one transaction with the summed amount', () => {
    const book = estimateBook(
      input({
        asOf: '2024-03-21',
        purchases: [buy('c', '2024-03-01', 30), buy('c', '2024-02-01', 10), buy('c', '2024-03-01', 20.5)],
      }),
    );
    const c = book.customers.get('c')!;
    assert.equal(book.model.counts.transactions, 2);
    assert.equal(book.model.counts.repeatTransactions, 1);
    assert.equal(c.explanation.inputs.purchases, 2);
    close(c.explanation.inputs.averageOrderValue as number, (10 + 50.5) / 2);
    assert.equal(c.historicalValue, 60.5);
    assert.ok(c.explanation.notes.includes('same-day-merged'));
  });

  it('takes a refund off the purchase it follows: a full refund leaves no transaction and no value', () => {
    // The case: a 500 order refunded a week later showed paid 0 but a lifetime value of 4,265.
    const book = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 500), buy('c', '2024-01-08', -500)] }));
    const c = book.customers.get('c')!;
    assert.equal(book.model.counts.transactions, 0);
    assert.equal(c.historicalValue, 0);
    assert.equal(c.ltv, 0);
    assert.equal(c.model, 'none');
    assert.ok(c.explanation.notes.includes('refunds-only'));
  });

  it('a partial refund lowers the purchase it follows; historical value, order value and LTV agree', () => {
    const partial = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 100), buy('c', '2024-01-05', -40)] }));
    const same = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 60)] }));
    const c = partial.customers.get('c')!;
    assert.equal(partial.model.counts.transactions, 1);
    assert.equal(c.historicalValue, 60);
    assert.equal(c.explanation.inputs.averageOrderValue, 60);
    assert.equal(c.ltv, same.customers.get('c')!.ltv);
    assert.ok(c.explanation.notes.includes('refunds-deducted'));
  });

  it('a refund cancels the latest earlier purchase first, then the one before', () => {
    const book = estimateBook(
      input({
        asOf: '2024-03-21',
        purchases: [buy('c', '2024-01-01', 30), buy('c', '2024-02-01', 50), buy('c', '2024-02-10', -60)],
      }),
    );
    const c = book.customers.get('c')!;
    // 50 is refunded in full (no longer a purchase), 10 comes off the 30.
    assert.equal(book.model.counts.transactions, 1);
    assert.equal(c.explanation.inputs.purchases, 1);
    assert.equal(c.explanation.inputs.averageOrderValue, 20);
    assert.equal(c.historicalValue, 20);
    assert.ok(c.explanation.notes.includes('refunded-purchases-ignored'));
  });

  it('a refund on the same day nets against that day; a refund before any purchase only lowers what was paid', () => {
    const book = estimateBook(
      input({
        asOf: '2024-03-21',
        purchases: [buy('a', '2024-01-01', 80), buy('a', '2024-01-01', -80), buy('a', '2024-02-01', 25), buy('b', '2024-01-01', -10), buy('b', '2024-02-01', 40)],
      }),
    );
    const a = book.customers.get('a')!;
    assert.equal(a.explanation.inputs.purchases, 1);
    assert.equal(a.historicalValue, 25);
    const b = book.customers.get('b')!;
    assert.equal(b.explanation.inputs.purchases, 1);
    assert.equal(b.explanation.inputs.averageOrderValue, 40);
    assert.equal(b.historicalValue, 30);
  });

  it('an amount of 0 (a free replacement) is not a purchase', () => {
    const withFree = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 100), buy('c', '2024-02-15', 0)] }));
    const without = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 100)] }));
    const c = withFree.customers.get('c')!;
    assert.equal(withFree.model.counts.transactions, 1);
    assert.equal(withFree.model.counts.repeatBuyers, 0);
    assert.equal(c.ltv, without.customers.get('c')!.ltv);
    assert.ok(c.explanation.notes.includes('zero-amounts-ignored'));
    const onlyFree = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('d', '2024-01-01', 0)] })).customers.get('d')!;
    assert.equal(onlyFree.model, 'none');
    assert.equal(onlyFree.ltv, 0);
    assert.ok(onlyFree.explanation.notes.includes('zero-amounts-only'));
  });

  it('sums historical value in cents', () => {
    const book = estimateBook(input({ asOf: '2024-03-21', purchases: [buy('c', '2024-01-01', 0.1), buy('c', '2024-01-02', 0.2)] }));
    assert.equal(book.customers.get('c')!.historicalValue, 0.3);
  });

  it('ignores purchases and subscriptions after asOf', () => {
    const base = [buy('a', '2024-01-01', 40), buy('a', '2024-02-01', 60), buy('b', '2024-03-01', 25)];
    const later = [buy('a', '2024-03-22', 1000), buy('b', '2025-01-01', 1000)];
    const laterSub: LtvSubscription = { customerId: 'b', amountPerPeriod: 99, period: 'month', start: '2024-04-01' };
    const without = estimateBook(input({ asOf: '2024-03-21', purchases: base }));
    const withLater = estimateBook(input({ asOf: '2024-03-21', purchases: [...later, ...base], subscriptions: [laterSub] }));
    for (const id of ['a', 'b']) {
      const x = without.customers.get(id)!;
      const y = withLater.customers.get(id)!;
      assert.equal(y.ltv, x.ltv);
      assert.equal(y.historicalValue, x.historicalValue);
      assert.equal(y.model, 'simple');
      assert.ok(y.explanation.notes.includes('later-records-ignored'));
    }
    assert.deepEqual(withLater.model.counts, without.model.counts);
  });

  it('flags margin 1 as revenue, and scales by the margin otherwise', () => {
    const purchases = [buy('a', '2024-01-01', 40), buy('a', '2024-02-01', 60)];
    const revenue = estimateBook(input({ asOf: '2024-03-21', purchases })).customers.get('a')!;
    const margin = estimateBook(input({ asOf: '2024-03-21', purchases, settings: { ...settings, margin: 0.6 } })).customers.get('a')!;
    assert.ok(revenue.explanation.notes.includes('revenue-margin-1'));
    assert.ok(!margin.explanation.notes.includes('revenue-margin-1'));
    close(margin.ltv, revenue.ltv * 0.6, 0.006);
  });
});

describe('ltv: subscriptions', () => {
  it('uses m x g x (1 + d) / (d + c), the discounted sum of monthly payments in advance', () => {
    close(subscriptionLtv(50, 0.8, 0.01, 0.03), 1010, 1e-9);
    // The same as summing the series: payment now, then each month with retention (1 - c).
    let series = 0;
    for (let k = 0; k < 5000; k++) series += (50 * 0.8 * Math.pow(0.97, k)) / Math.pow(1.01, k);
    close(subscriptionLtv(50, 0.8, 0.01, 0.03), series, 1e-6);
    // No discounting: monthly revenue x margin / churn.
    close(subscriptionLtv(50, 0.8, 0, 0.04), 1000, 1e-9);
    // A known end K months ahead stops the sum.
    let truncated = 0;
    for (let k = 0; k < 6; k++) truncated += (50 * 0.8 * Math.pow(0.97, k)) / Math.pow(1.01, k);
    close(subscriptionLtv(50, 0.8, 0.01, 0.03, 6), truncated, 1e-9);
  });

  it('values an active subscriber and counts the payments made so far', () => {
    const subs: LtvSubscription[] = [
      { customerId: 'm', amountPerPeriod: 50, period: 'month', start: '2024-01-15', grossMargin: 0.8 },
      { customerId: 'y', amountPerPeriod: 600, period: 'year', start: '2023-03-21', grossMargin: 0.8 },
    ];
    const book = estimateBook(input({ asOf: '2024-03-20', subscriptions: subs }));
    const m = book.customers.get('m')!;
    assert.equal(m.model, 'subscription');
    assert.equal(m.ltv, 1010);
    assert.equal(m.historicalValue, 150); // Jan 15, Feb 15, Mar 15
    assert.equal(m.explanation.formula, '50 x 0.8 x (1 + 0.01) / (0.01 + 0.03) = 1010');
    assert.deepEqual(m.explanation.notes, ['churn-setting', 'margin-override']);
    const y = book.customers.get('y')!;
    assert.equal(y.ltv, 1010); // 600 a year counts as 50 a month
    assert.equal(y.historicalValue, 600); // 2023-03-21 paid; 2024-03-21 is after asOf
    assert.ok(y.explanation.notes.includes('yearly-as-monthly'));
  });

  it('measures churn from the book when enough subscriptions were cancelled, else uses the setting', () => {
    const subs: LtvSubscription[] = [];
    for (let i = 0; i < 10; i++) {
      subs.push({ customerId: `s${i}`, amountPerPeriod: 20, period: 'month', start: '2023-01-01', ...(i < 5 ? { end: '2023-07-01' } : {}) });
    }
    const asOf = '2024-01-01';
    // Exposure: 5 x 181 days + 5 x 365 days, in months of 30.4375 days.
    const exposure = (5 * 181 + 5 * 365) / 30.4375;
    const measured = estimateBook(input({ asOf, subscriptions: subs, settings: { ...settings, minCancelledForChurn: 5 } }));
    assert.equal(measured.model.churn.source, 'measured');
    assert.equal(measured.model.churn.cancelled, 5);
    close(measured.model.churn.exposureMonths, exposure, 1e-9);
    close(measured.model.churn.monthlyChurn, 5 / exposure, 1e-12);
    const active = measured.customers.get('s7')!;
    close(active.ltv, Math.round(subscriptionLtv(20, 1, 0.01, 5 / exposure) * 100) / 100, 1e-9);
    assert.ok(active.explanation.notes.includes('churn-measured'));
    assert.equal(active.explanation.inputs.churnSource, 'measured');
    const cancelled = measured.customers.get('s2')!;
    assert.equal(cancelled.model, 'none');
    assert.equal(cancelled.ltv, 0);
    assert.equal(cancelled.historicalValue, 120); // Jan..Jun; nothing due from the end date on
    assert.ok(cancelled.explanation.notes.includes('subscription-cancelled'));

    const setting = estimateBook(input({ asOf, subscriptions: subs, settings: { ...settings, minCancelledForChurn: 6 } }));
    assert.equal(setting.model.churn.source, 'setting');
    assert.equal(setting.model.churn.monthlyChurn, 0.03);
    assert.equal(setting.customers.get('s7')!.ltv, (20 * 1.01) / 0.04);
    assert.ok(setting.customers.get('s7')!.explanation.notes.includes('churn-setting'));
  });

  it('stops at a known future end date', () => {
    const book = estimateBook(input({ asOf: '2024-03-20', subscriptions: [{ customerId: 'e', amountPerPeriod: 50, period: 'month', start: '2024-01-15', end: '2024-09-15' }] }));
    const e = book.customers.get('e')!;
    assert.equal(e.explanation.inputs.monthsLeft, 6);
    close(e.ltv, Math.round(subscriptionLtv(50, 1, 0.01, 0.03, 6) * 100) / 100, 1e-9);
    assert.ok(e.explanation.notes.includes('ends-on-date'));
  });

  it('adds the purchase value of a subscriber who also buys', () => {
    const book = estimateBook(
      input({
        asOf: '2024-03-20',
        purchases: [buy('both', '2024-02-01', 30), buy('both', '2024-03-01', 30)],
        subscriptions: [{ customerId: 'both', amountPerPeriod: 10, period: 'month', start: '2024-01-01' }],
      }),
    );
    const c = book.customers.get('both')!;
    assert.equal(c.model, 'subscription');
    assert.equal(c.explanation.parts?.length, 2);
    assert.equal(c.explanation.parts?.[0].model, 'subscription');
    assert.equal(c.explanation.parts?.[1].model, 'simple');
    const parts = c.explanation.parts!.map((p) => Number(p.formula.split(' = ')[1]));
    close(c.ltv, parts[0] + parts[1], 0.011);
    assert.ok(c.explanation.notes.includes('plus-purchases'));
    assert.equal(c.historicalValue, 60 + 30); // purchases + Jan, Feb, Mar payments
    assert.ok(c.expectedPurchases12m !== undefined);
  });
});

describe('ltv: BG/NBD on a small synthetic book', () => {
  /** Deterministic pseudo-random book: 80 customers, Poisson-like buying with dropout. */
  function syntheticBook(sameAmount: boolean): LtvPurchase[] {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const out: LtvPurchase[] = [];
    const start = Date.UTC(2023, 0, 1);
    for (let i = 0; i < 80; i++) {
      let day = Math.floor(rand() * 90);
      const meanGap = 10 + rand() * 120;
      const base = 20 + rand() * 80;
      while (day < 450) {
        out.push({ customerId: `c${i}`, date: new Date(start + day * 86_400_000).toISOString().slice(0, 10), amount: sameAmount ? 25 : Math.round(base * (0.5 + rand()) * 100) / 100 });
        if (rand() < 0.15) break;
        day += 1 + Math.floor(-Math.log(1 - rand()) * meanGap);
      }
    }
    return out;
  }

  it('fits positive, finite parameters and gives finite values', () => {
    for (const sameAmount of [false, true]) {
      const purchases = syntheticBook(sameAmount);
      const book = estimateBook(input({ asOf: '2024-03-31', purchases, settings: { ...settings, minRepeatBuyers: 20 } }));
      const m = book.model;
      assert.equal(m.kind, 'bg-nbd');
      assert.ok(m.kind === 'bg-nbd');
      for (const v of [m.params.r, m.params.alpha, m.params.a, m.params.b]) assert.ok(Number.isFinite(v) && v > 0, `param ${v}`);
      assert.ok(Number.isFinite(m.params.logLikelihood));
      for (const c of book.customers.values()) {
        assert.ok(Number.isFinite(c.ltv) && c.ltv >= 0, `${c.customerId}: ${c.ltv} (${JSON.stringify(m.spend)})`);
        assert.ok(c.pAlive !== undefined && c.pAlive >= 0 && c.pAlive <= 1);
      }
    }
  });
});
