import assert from 'node:assert/strict';
import { indexBook } from '../../../src/domain/book';
import { keepInTouchDue, quietCustomers, quietStatus } from '../../../src/domain/quiet';
import { applyCompleteFollowUp } from '../../../src/domain/recovery';
import { ruleSettings } from '../../../src/domain/settings';
import { BookBuilder, inTimeZone, memoryTx } from '../support/builders';

describe('customers gone quiet', () => {
  inTimeZone('Europe/Paris');

  function everyTenDays() {
    const b = new BookBuilder();
    const c = b.customer({ name: 'Regular' });
    for (const day of ['2026-01-01', '2026-01-11', '2026-01-21', '2026-01-31']) b.purchase(c.id, day);
    return { b, c };
  }

  it('flags a customer silent for more than 2.5 times their usual gap, with the numbers', () => {
    const { b, c } = everyTenDays();
    const book = indexBook(b.build());
    assert.equal(quietStatus(book, c, '2026-02-25'), undefined, '25 days is 2.5 gaps, not beyond');
    assert.deepEqual(quietStatus(book, c, '2026-02-26'), {
      customerId: c.id,
      customerName: 'Regular',
      reasons: ['beyond-usual-gap'],
      daysSince: 26,
      lastActivity: '2026-01-31',
      usualGapDays: 10,
      quietAfterDays: 25,
    });
    assert.equal(quietStatus(book, c, '2026-02-26', ruleSettings({ quietFactor: 3 })), undefined);
  });

  it('uses the median gap, so one long pause does not hide a usual rhythm', () => {
    const b = new BookBuilder();
    const c = b.customer();
    for (const day of ['2025-01-01', '2025-07-01', '2025-07-08', '2025-07-15', '2025-07-22']) b.purchase(c.id, day);
    assert.deepEqual(quietStatus(indexBook(b.build()), c, '2025-08-15')?.usualGapDays, 7);
  });

  it('needs three distinct activity days to know a habit', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.purchase(c.id, '2026-01-01');
    b.purchase(c.id, '2026-01-11');
    b.purchase(c.id, '2026-01-11', { amount: '5.00' });
    b.contact(c.id, '2026-01-11T18:00:00+01:00');
    assert.equal(quietStatus(indexBook(b.build()), c, '2026-06-01'), undefined);
    b.purchase(c.id, '2026-01-21');
    assert.deepEqual(quietStatus(indexBook(b.build()), c, '2026-06-01')?.usualGapDays, 10);
  });

  it('counts contacts and completed follow-ups as activity', () => {
    const { b, c } = everyTenDays();
    b.contact(c.id, '2026-02-10T10:00:00+01:00');
    b.contact(c.id, '2026-02-10T16:00:00+01:00');
    const file = b.build();
    assert.equal(quietStatus(indexBook(file), c, '2026-03-07'), undefined);
    assert.deepEqual(quietStatus(indexBook(file), c, '2026-03-08')?.daysSince, 26);
    const tx = memoryTx(file);
    const pending = tx.insert('followUps', { customerId: c.id, kind: 'custom', due: '2026-03-01', status: 'pending' });
    applyCompleteFollowUp(tx, pending.id, { satisfied: true }, '2026-03-05T09:00:00+01:00', 'sam');
    assert.equal(quietStatus(indexBook(file), c, '2026-03-08'), undefined);
  });

  it('ignores activity after the review day, so an old review can be reproduced', () => {
    const { b, c } = everyTenDays();
    b.purchase(c.id, '2026-03-01');
    assert.deepEqual(quietStatus(indexBook(b.build()), c, '2026-02-26')?.reasons, ['beyond-usual-gap']);
  });

  it('flags a customer beyond their keep-in-touch cadence, counted from when they were added when never in touch', () => {
    const b = new BookBuilder();
    const c = b.customer({ keepInTouchDays: 30 });
    b.contact(c.id, '2026-02-01T10:00:00+01:00');
    const never = b.customer({ keepInTouchDays: 10, createdAt: '2026-02-01T09:00:00+01:00' });
    const book = indexBook(b.build());
    assert.equal(quietStatus(book, c, '2026-03-03'), undefined);
    assert.deepEqual(quietStatus(book, c, '2026-03-04'), { customerId: c.id, customerName: c.name, reasons: ['beyond-keep-in-touch'], daysSince: 31, lastActivity: '2026-02-01', keepInTouchDays: 30 });
    assert.deepEqual(quietStatus(book, never, '2026-02-12')?.reasons, ['beyond-keep-in-touch']);
    assert.equal(quietStatus(book, never, '2026-02-11'), undefined);
  });

  it('never flags an archived customer, and lists the longest silence first', () => {
    const b = new BookBuilder();
    const archived = b.customer({ keepInTouchDays: 5, archived: true });
    b.contact(archived.id, '2026-01-01T10:00:00+01:00');
    const a = b.customer({ name: 'A', keepInTouchDays: 5 });
    b.contact(a.id, '2026-02-20T10:00:00+01:00');
    const z = b.customer({ name: 'Z', keepInTouchDays: 5 });
    b.contact(z.id, '2026-02-01T10:00:00+01:00');
    assert.deepEqual(
      quietCustomers(indexBook(b.build()), '2026-03-01').map((q) => q.customerName),
      ['Z', 'A'],
    );
  });
});

describe('keep-in-touch follow-ups', () => {
  inTimeZone('Europe/Paris');

  it('plans one per customer with a cadence, due a cadence after the last touch, for the owner', () => {
    const b = new BookBuilder();
    const c = b.customer({ keepInTouchDays: 30, owner: 'kim' });
    b.purchase(c.id, '2026-01-10');
    b.contact(c.id, '2026-02-01T23:30:00+01:00');
    b.customer({ name: 'No cadence' });
    b.customer({ keepInTouchDays: 30, archived: true });
    assert.deepEqual(keepInTouchDue(indexBook(b.build()), '2026-02-15'), [{ customerId: c.id, kind: 'keep-in-touch', due: '2026-03-03', assignee: 'kim', status: 'pending' }]);
  });

  it('plans nothing more once one is pending (safe to call on every refresh)', () => {
    const b = new BookBuilder();
    const c = b.customer({ keepInTouchDays: 30 });
    b.contact(c.id, '2026-02-01T10:00:00+01:00');
    const file = b.build();
    const tx = memoryTx(file);
    for (const draft of keepInTouchDue(indexBook(file), '2026-02-15')) tx.insert('followUps', draft);
    assert.equal(file.followUps.length, 1);
    assert.deepEqual(keepInTouchDue(indexBook(file), '2026-02-15'), []);
  });

  it('a completed keep-in-touch resets the clock; a skipped one pushes the next a cadence after its due day', () => {
    const b = new BookBuilder();
    const c = b.customer({ keepInTouchDays: 30 });
    b.contact(c.id, '2026-01-01T10:00:00+01:00');
    const f = b.followUp(c.id, '2026-01-31', { kind: 'keep-in-touch' });
    const file = b.build();
    applyCompleteFollowUp(memoryTx(file), f.id, { satisfied: true }, '2026-02-03T10:00:00+01:00', 'sam');
    assert.equal(keepInTouchDue(indexBook(file), '2026-02-03')[0].due, '2026-03-05');

    const b2 = new BookBuilder();
    const c2 = b2.customer({ keepInTouchDays: 30 });
    b2.contact(c2.id, '2026-01-01T10:00:00+01:00');
    b2.followUp(c2.id, '2026-01-31', { kind: 'keep-in-touch', status: 'skipped' });
    assert.equal(keepInTouchDue(indexBook(b2.build()), '2026-02-03')[0].due, '2026-03-02');
  });
});
