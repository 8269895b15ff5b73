import * as assert from 'node:assert/strict';
import { DEFAULT_LTV_SETTINGS, SPEND_CAP_MULTIPLE, estimateBook } from '../../../../src/domain/ltv/estimate';
import { dayNumber, dayString } from '../../../../src/domain/ltv/days';
import type { LtvInput, LtvPurchase } from '../../../../src/domain/ltv/types';

const buy = (customerId: string, date: string, amount: number): LtvPurchase => ({ customerId, date, amount });

function input(purchases: LtvPurchase[], asOf: string, settings = DEFAULT_LTV_SETTINGS): LtvInput {
  return { asOf, customerIds: [...new Set(purchases.map((p) => p.customerId))], purchases, subscriptions: [], settings };
}

/** A small book: 30 customers from 2023-01-01, each buying every `gap` days for a while (fixed pattern, no randomness). */
function smallBook(extra: LtvPurchase[] = []): LtvPurchase[] {
  const out: LtvPurchase[] = [];
  const start = dayNumber('2023-01-01');
  for (let i = 0; i < 30; i++) {
    const first = start + i * 7;
    const gap = 20 + (i % 5) * 15;
    const count = i % 3 === 0 ? 1 : 2 + (i % 4);
    for (let k = 0; k < count; k++) out.push(buy(`c${i}`, dayString(first + k * gap), 40 + (i % 6) * 5));
  }
  return [...out, ...extra];
}

describe('ltv: small books are fitted, shrunk toward the priors', () => {
  it('fits BG/NBD + Gamma-Gamma on a 30-customer book and says it shrank the fit', () => {
    const book = estimateBook(input(smallBook(), '2023-12-31'));
    assert.equal(book.model.kind, 'bg-nbd');
    assert.ok(book.model.kind === 'bg-nbd' && book.model.shrinkage);
    assert.ok(book.model.counts.repeatBuyers < 50);
    for (const c of book.customers.values()) assert.ok(Number.isFinite(c.ltv) && c.ltv >= 0);
  });

  it('the plain maximum-likelihood fit on the same book gives other parameters', () => {
    const shrunk = estimateBook(input(smallBook(), '2023-12-31')).model;
    const plain = estimateBook(input(smallBook(), '2023-12-31'), undefined, { shrinkage: false }).model;
    assert.ok(shrunk.kind === 'bg-nbd' && plain.kind === 'bg-nbd' && !plain.shrinkage);
    assert.notEqual(shrunk.params.a, plain.params.a);
  });

  it('uses the plain rule only when nobody bought twice', () => {
    const book = estimateBook(input([buy('a', '2023-01-01', 10), buy('b', '2023-02-01', 20)], '2023-06-30'));
    assert.ok(book.model.kind === 'simple' && book.model.reason === 'too-few-repeat-buyers');
    const one = estimateBook(input([buy('a', '2023-01-01', 10), buy('a', '2023-02-01', 10), buy('b', '2023-02-01', 20)], '2023-06-30'));
    assert.equal(one.model.kind, 'bg-nbd');
  });

  it('caps what one purchase implies: a 10,000 repeat order among 40-65 orders', () => {
    const book = estimateBook(input(smallBook([buy('big', '2023-05-01', 50), buy('big', '2023-06-01', 10_000)]), '2023-12-31'));
    const big = book.customers.get('big')!;
    // The median purchase of the book is 50 (orders of 40-65).
    assert.ok(big.explanation.notes.includes('spend-capped'));
    assert.equal(big.explanation.inputs.expectedSpend, SPEND_CAP_MULTIPLE * 50);
    const uncapped = estimateBook(input(smallBook([buy('big', '2023-05-01', 50), buy('big', '2023-06-01', 200)]), '2023-12-31')).customers.get('big')!;
    assert.ok(!uncapped.explanation.notes.includes('spend-capped'));
  });

  it('caps a single 10,000 order in the plain rule too', () => {
    const purchases = [buy('big', '2023-06-01', 10_000), buy('a', '2023-06-01', 50), buy('b', '2023-06-02', 50), buy('c', '2023-06-03', 50)];
    const book = estimateBook(input(purchases, '2023-06-30'));
    const big = book.customers.get('big')!;
    assert.equal(big.model, 'simple');
    assert.equal(big.explanation.inputs.averageOrderValue, SPEND_CAP_MULTIPLE * 50);
    assert.ok(big.ltv <= SPEND_CAP_MULTIPLE * book.customers.get('a')!.ltv + 0.01);
  });
});

describe('ltv: chance of buying again in the next 12 months', () => {
  const book = estimateBook(input(smallBook(), '2023-12-31'));
  const m = book.model;

  it('is P(alive) x (1 - ((alpha+T)/(alpha+T+365))^(r+x)) for BG/NBD', () => {
    assert.ok(m.kind === 'bg-nbd');
    for (const c of book.customers.values()) {
      const x = c.explanation.inputs.x as number;
      const T = c.explanation.inputs.tenureDays as number;
      const expected = c.pAlive! * (1 - Math.pow((m.params.alpha + T) / (m.params.alpha + T + 365), m.params.r + x));
      assert.ok(Math.abs(c.pPurchase12m! - expected) < 1e-12, c.customerId);
      assert.ok(c.pPurchase12m! > 0 && c.pPurchase12m! < 1);
    }
  });

  it('is below 1 for a one-time buyer (whose P(alive) is 1 by construction) and falls the longer ago they bought', () => {
    const once = [...book.customers.values()].filter((c) => c.explanation.inputs.x === 0);
    assert.ok(once.length >= 2);
    for (const c of once) assert.equal(c.pAlive, 1);
    once.sort((a, b) => (a.explanation.inputs.tenureDays as number) - (b.explanation.inputs.tenureDays as number));
    assert.ok(once[0].pPurchase12m! > once.at(-1)!.pPurchase12m!);
    assert.ok(once.every((c) => c.pPurchase12m! < 1));
  });

  it('is 1 - exp(-expected purchases) in the plain rule', () => {
    const simple = estimateBook(input([buy('a', '2023-01-01', 10), buy('b', '2023-02-01', 20)], '2023-06-30')).customers.get('b')!;
    assert.ok(Math.abs(simple.pPurchase12m! - (1 - Math.exp(-simple.expectedPurchases12m!))) < 1e-12);
  });
});

describe('ltv: the back-test', () => {
  it('fits the book as of 12 months before and compares its forecast with what was bought since', () => {
    const purchases = smallBook([buy('c1', '2024-03-01', 45), buy('c1', '2024-03-01', -5), buy('c2', '2024-05-01', 100), buy('late', '2024-02-01', 999)]);
    const book = estimateBook(input(purchases, '2024-06-30'));
    const b = book.model.backtest!;
    assert.ok(b, 'a back-test');
    assert.equal(b.from, '2023-06-30');
    assert.equal(b.months, 12);
    assert.equal(b.model, 'bg-nbd');
    // Customers who had bought by 2023-06-30, and what they bought after it (net of refunds).
    const known = new Set(purchases.filter((p) => p.date <= '2023-06-30' && p.amount > 0).map((p) => p.customerId));
    assert.equal(b.customers, known.size);
    const after = purchases.filter((p) => known.has(p.customerId) && p.date > '2023-06-30' && p.date <= '2024-06-30');
    const revenue = after.reduce((s, p) => s + p.amount, 0);
    assert.equal(b.actualRevenue, revenue);
    assert.equal(b.actualPurchases, new Set(after.map((p) => `${p.customerId} ${p.date}`)).size);
    assert.ok(b.predictedRevenue > 0 && b.predictedPurchases > 0);
    assert.ok(Math.abs(b.revenueError! - (b.predictedRevenue / b.actualRevenue - 1)) < 1e-4);
  });

  it('is left out when the book is too young', () => {
    const book = estimateBook(input([buy('a', '2024-01-01', 10), buy('a', '2024-02-01', 10)], '2024-06-30'));
    assert.equal(book.model.backtest, undefined);
  });
});
