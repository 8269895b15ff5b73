import { strict as assert } from 'node:assert';
import { formatMoney, fromCents, normaliseAmount, toCents } from '../../../src/domain/money';

describe('money', () => {
  it('never loses a cent: sums in cents give back the exact decimal', () => {
    const total = ['0.10', '0.20', '19.99', '1000.01'].map(toCents).reduce((a, b) => a + b, 0);
    assert.equal(fromCents(total), '1020.30');
    assert.equal(fromCents(toCents('-3.5')), '-3.50');
  });

  it('reads amounts as people type them in English, French and Italian', () => {
    assert.equal(normaliseAmount('12'), '12.00');
    assert.equal(normaliseAmount('12.5'), '12.50');
    assert.equal(normaliseAmount('12,50'), '12.50');
    assert.equal(normaliseAmount('1,234.50'), '1234.50');
    assert.equal(normaliseAmount('1.234,50'), '1234.50');
    assert.equal(normaliseAmount('1 234,5'), '1234.50');
    assert.equal(normaliseAmount('1,234'), '1234.00');
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '12.345', '1e5', '12,345,6']) assert.equal(normaliseAmount(bad), undefined, bad);
  });

  it('formats money for the display language', () => {
    assert.match(formatMoney(12345, 'EUR', 'fr'), /^123,45\s€$/);
    assert.equal(formatMoney(12345, 'USD', 'en'), '$123.45');
    assert.equal(formatMoney(123456, 'USD', 'en'), '$1,235', 'large values without cents, for a readable list');
  });
});
