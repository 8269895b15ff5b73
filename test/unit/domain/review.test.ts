import assert from 'node:assert/strict';
import { indexBook } from '../../../src/domain/book';
import { buildReview, type Review } from '../../../src/domain/review';
import { ruleSettings } from '../../../src/domain/settings';
import { snoozeFollowUp } from '../../../src/domain/recovery';
import { dayOf } from '../../../src/domain/time';
import type { LoyalFile } from '../../../src/domain/records';
import { BookBuilder, inTimeZone, memoryTx } from '../support/builders';

const ASOF = '2026-03-10';

function review(file: LoyalFile, ltv: Record<string, number> = {}, extra: Partial<Parameters<typeof buildReview>[1]> = {}): Review {
  return buildReview(indexBook(file), { asOf: ASOF, ltvOf: (id) => ltv[id] ?? 0, settings: ruleSettings(), ...extra });
}

describe('the morning review', () => {
  inTimeZone('Europe/Paris');

  it('groups follow-ups overdue, today, this week (the next 6 days) and later, by calendar day', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const ids: Record<string, string> = {};
    for (const due of ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-16', '2026-03-17']) ids[due] = b.followUp(c.id, due).id;
    const r = review(b.build());
    assert.deepEqual(
      r.overdue.map((f) => f.followUpId),
      [ids['2026-03-09']],
    );
    assert.deepEqual(
      r.today.map((f) => f.followUpId),
      [ids['2026-03-10']],
    );
    assert.deepEqual(
      r.thisWeek.map((f) => f.followUpId),
      [ids['2026-03-11'], ids['2026-03-16']],
    );
    assert.deepEqual(
      r.later.map((f) => f.followUpId),
      [ids['2026-03-17']],
    );
    assert.deepEqual([r.overdue[0].daysUntilDue, r.today[0].daysUntilDue, r.thisWeek[1].daysUntilDue, r.later[0].daysUntilDue], [-1, 0, 6, 7]);
    assert.equal(r.counts.due, 2);
  });

  it('moves a follow-up from "this week" to "today" at local midnight, not at a UTC hour', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.followUp(c.id, '2026-03-11');
    const file = b.build();
    const lateEvening = dayOf(new Date('2026-03-10T23:59:59+01:00'));
    const justAfterMidnight = dayOf(new Date('2026-03-11T00:00:01+01:00'));
    assert.equal(buildReview(indexBook(file), { asOf: lateEvening, ltvOf: () => 0 }).today.length, 0);
    assert.equal(buildReview(indexBook(file), { asOf: justAfterMidnight, ltvOf: () => 0 }).today.length, 1);
  });

  it('puts the highest value at stake first, an at-risk customer raised by 1.5, then the earliest due', () => {
    const b = new BookBuilder();
    const rich = b.customer({ name: 'Rich' });
    const atRisk = b.customer({ name: 'At risk' });
    const small = b.customer({ name: 'Small' });
    b.incident(atRisk.id, '2026-03-01T10:00:00+01:00', { severity: 'major' });
    b.followUp(small.id, '2026-03-05');
    b.followUp(rich.id, '2026-03-08');
    b.followUp(atRisk.id, '2026-03-09');
    b.followUp(small.id, '2026-03-02');
    const r = review(b.build(), { [rich.id]: 120_000, [atRisk.id]: 100_000, [small.id]: 5_000 });
    assert.deepEqual(
      r.overdue.map((f) => [f.customerName, f.valueAtStakeCents, f.due]),
      [
        ['At risk', 150_000, '2026-03-09'],
        ['Rich', 120_000, '2026-03-08'],
        ['Small', 5_000, '2026-03-02'],
        ['Small', 5_000, '2026-03-05'],
      ],
    );
    assert.equal(r.overdue[0].customerAtRisk, true);
    assert.equal(r.overdue[1].customerAtRisk, false);
  });

  it('describes each follow-up with its customer, incident, kind, assignee and effective due day', () => {
    const b = new BookBuilder();
    const c = b.customer({ name: 'Grace' });
    const i = b.incident(c.id, '2026-03-01T10:00:00+01:00');
    const f = b.followUp(c.id, '2026-03-08', { kind: 'satisfaction-check', incidentId: i.id, assignee: 'kim', snoozedUntil: '2026-03-10', title: 'Ask about the refund' });
    assert.deepEqual(review(b.build(), { [c.id]: 4200 }).today, [
      {
        followUpId: f.id,
        kind: 'satisfaction-check',
        title: 'Ask about the refund',
        customerId: c.id,
        customerName: 'Grace',
        incidentId: i.id,
        due: '2026-03-10',
        originalDue: '2026-03-08',
        assignee: 'kim',
        valueAtStakeCents: 4200,
        customerAtRisk: false,
        daysUntilDue: 0,
      },
    ]);
  });

  it('a follow-up snoozed past its due day leaves "overdue" for the group of its snooze day', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const f = b.followUp(c.id, '2026-03-05');
    const file = b.build();
    assert.equal(review(file).overdue.length, 1);
    memoryTx(file).patch('followUps', f.id, snoozeFollowUp(file.followUps[0], '2026-03-20', ASOF));
    const r = review(file);
    assert.equal(r.overdue.length, 0);
    assert.deepEqual(
      r.later.map((x) => [x.followUpId, x.due, x.daysUntilDue]),
      [[f.id, '2026-03-20', 10]],
    );
  });

  it('"mine only" keeps my follow-ups and the unassigned ones of customers I own', () => {
    const b = new BookBuilder();
    const mineCustomer = b.customer({ name: 'Mine', owner: 'sam' });
    const other = b.customer({ name: 'Other', owner: 'kim' });
    const assigned = b.followUp(other.id, ASOF, { assignee: 'sam' });
    const unassignedMine = b.followUp(mineCustomer.id, ASOF);
    b.followUp(other.id, ASOF);
    b.followUp(mineCustomer.id, ASOF, { assignee: 'kim' });
    const file = b.build();
    assert.deepEqual(
      review(file, {}, { user: 'sam', mineOnly: true })
        .today.map((f) => f.followUpId)
        .sort(),
      [assigned.id, unassignedMine.id].sort(),
    );
    assert.equal(review(file, {}, { user: 'sam', mineOnly: false }).today.length, 4);
  });

  it('leaves archived customers out of follow-ups, notes, at-risk and quiet lists', () => {
    const b = new BookBuilder();
    const gone = b.customer({ archived: true, keepInTouchDays: 5 });
    b.followUp(gone.id, ASOF);
    b.note(gone.id, ASOF);
    b.incident(gone.id, '2026-03-01T10:00:00+01:00', { severity: 'critical' });
    const r = review(b.build());
    assert.deepEqual([r.today, r.notes, r.atRisk, r.quiet], [[], [], [], []]);
  });

  it('lists the notes to write and to post, earliest due first, not the ones sent', () => {
    const b = new BookBuilder();
    const c = b.customer({ name: 'Grace' });
    const toPost = b.note(c.id, '2026-03-01', { status: 'to-post', address: '1 Main St', text: 'Dear Grace,' });
    const toWrite = b.note(c.id, '2026-04-01');
    b.note(c.id, '2026-02-01', { status: 'sent', sentAt: '2026-02-02T10:00:00+01:00' });
    const r = review(b.build());
    assert.deepEqual(
      r.notes.map((n) => [n.noteId, n.status, n.daysUntilDue]),
      [
        [toPost.id, 'to-post', -9],
        [toWrite.id, 'to-write', 22],
      ],
    );
    assert.equal(r.notes[0].address, '1 Main St');
    assert.equal(r.notes[0].customerName, 'Grace');
  });

  it('names the customers at risk with their reasons and the quiet ones with their numbers, most valuable first', () => {
    const b = new BookBuilder();
    const small = b.customer({ name: 'Small' });
    const big = b.customer({ name: 'Big' });
    b.incident(small.id, '2026-02-01T10:00:00+01:00', { cause: 'preventable' });
    b.incident(big.id, '2026-02-01T10:00:00+01:00');
    b.incident(big.id, '2026-03-01T10:00:00+01:00');
    const quiet = b.customer({ name: 'Quiet', keepInTouchDays: 30 });
    b.contact(quiet.id, '2026-01-01T10:00:00+01:00');
    const r = review(b.build(), { [small.id]: 100, [big.id]: 900 });
    assert.deepEqual(
      r.atRisk.map((c) => [c.customerName, c.reasons]),
      [
        ['Big', ['repeat-failure']],
        ['Small', ['preventable']],
      ],
    );
    assert.deepEqual(
      r.quiet.map((q) => [q.customerId, q.customerName, q.reasons, q.daysSince, q.keepInTouchDays]),
      [[quiet.id, 'Quiet', ['beyond-keep-in-touch'], 68, 30]],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(r)).atRisk[0].customerId, big.id);
  });
});
