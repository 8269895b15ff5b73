import assert from 'node:assert/strict';
import {
  RuleError,
  advanceRecovery,
  applyCompleteFollowUp,
  applyResolve,
  completeFollowUp,
  customerRisk,
  effectiveDue,
  nextRecoveryStep,
  recoveryOutlook,
  recoveryProgress,
  resolveIncident,
  snoozeFollowUp,
  topValueSet,
  valueAtStake,
} from '../../../src/domain/recovery';
import { indexBook } from '../../../src/domain/book';
import { ruleSettings } from '../../../src/domain/settings';
import { BookBuilder, inTimeZone, memoryTx } from '../support/builders';

const AT = '2026-03-10T15:00:00+01:00';

describe('resolving an incident', () => {
  inTimeZone('Europe/Paris');

  it('stamps the resolution and the steps not yet stamped, keeping the ones already there', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { acknowledgedAt: '2026-03-09T10:05:00+01:00' });
    const plan = resolveIncident(
      b.build(),
      i.id,
      { at: AT, by: 'sam', extraMile: ' free upgrade ', extraMileCost: '15.00', fairSolution: 'refund shipping', resolutionNote: 'sent again', lessonsLearned: 'check stock' },
      ruleSettings(),
    );
    assert.deepEqual(plan.incidentPatch, {
      resolvedAt: AT,
      resolvedBy: 'sam',
      acknowledgedAt: '2026-03-09T10:05:00+01:00',
      understoodAt: AT,
      firstResponseAt: AT,
      extraMile: 'free upgrade',
      extraMileCost: '15.00',
      fairSolution: 'refund shipping',
      resolutionNote: 'sent again',
      lessonsLearned: 'check stock',
    });
  });

  it('plans a satisfaction check 3 calendar days later, assigned to whoever resolved it', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const plan = resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }, ruleSettings());
    assert.deepEqual(plan.followUps, [{ customerId: c.id, incidentId: i.id, kind: 'satisfaction-check', due: '2026-03-13', assignee: 'sam', status: 'pending' }]);
    const later = resolveIncident(b.build(), i.id, { at: AT, by: 'kim' }, ruleSettings({ followUpAfterResolveDays: 7 }));
    assert.equal(later.followUps[0].due, '2026-03-17');
    assert.equal(later.followUps[0].assignee, 'kim');
  });

  it('plans no handwritten note for a first, minor incident of an ordinary customer', () => {
    const b = new BookBuilder();
    const c = b.customer({ address: '1 Rue de la Paix, Paris' });
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const plan = resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }, ruleSettings(), new Set());
    assert.deepEqual(plan.notes, []);
    assert.deepEqual(plan.reasons, []);
  });

  it('plans a note 2 days later for a major incident, with the address of the day and a suggested text', () => {
    const b = new BookBuilder();
    const c = b.customer({ name: 'Grace Hopper', address: '1 Rue de la Paix, Paris', owner: 'Sam' });
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'major', summary: 'Parcel arrived two weeks late' });
    const plan = resolveIncident(b.build(), i.id, { at: AT, by: 'kim' }, ruleSettings());
    assert.deepEqual(plan.reasons, ['severe']);
    assert.equal(plan.notes.length, 1);
    const note = plan.notes[0];
    assert.equal(note.due, '2026-03-12');
    assert.equal(note.status, 'to-write');
    assert.equal(note.address, '1 Rue de la Paix, Paris');
    assert.equal(note.incidentId, i.id);
    assert.match(note.text, /^Dear Grace Hopper,/);
    assert.match(note.text, /the delay \(Parcel arrived two weeks late\)/);
    assert.match(note.text, /sorry/);
    assert.match(note.text, /glad to have you as a customer/);
    assert.match(note.text, /Sam$/);
  });

  it('plans a note for a critical incident and for a top-value customer, whether told by a set or a function', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const critical = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'critical' });
    assert.deepEqual(resolveIncident(b.build(), critical.id, { at: AT, by: 'sam' }).reasons, ['severe']);

    const b2 = new BookBuilder();
    const top = b2.customer();
    const i = b2.incident(top.id, '2026-03-09T10:00:00+01:00');
    assert.deepEqual(resolveIncident(b2.build(), i.id, { at: AT, by: 'sam' }, ruleSettings(), new Set([top.id])).reasons, ['top-value']);
    assert.deepEqual(resolveIncident(b2.build(), i.id, { at: AT, by: 'sam' }, ruleSettings(), (id) => id === top.id).notes.length, 1);
    assert.deepEqual(resolveIncident(b2.build(), i.id, { at: AT, by: 'sam' }, ruleSettings(), () => false).notes, []);
  });

  it('plans a note for a repeat failure within the window, not for an incident more than a window earlier', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.incident(c.id, '2025-06-01T10:00:00+02:00');
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    assert.deepEqual(resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }).reasons, ['repeat-failure']);
    assert.deepEqual(resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }, ruleSettings({ repeatWindowDays: 200 })).reasons, []);
  });

  it('says which triggers applied but are switched off, and then plans no note', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.incident(c.id, '2026-02-01T10:00:00+01:00');
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'major' });
    const plan = resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }, ruleSettings({ notesOnSevere: false, notesOnRepeat: false, notesOnTopValue: false }), new Set([c.id]));
    assert.deepEqual(plan.notes, []);
    assert.deepEqual(plan.reasons, []);
    assert.deepEqual(plan.switchedOff, ['severe', 'top-value', 'repeat-failure']);
    const onlyRepeat = resolveIncident(b.build(), i.id, { at: AT, by: 'sam' }, ruleSettings({ notesOnSevere: false }));
    assert.deepEqual(onlyRepeat.reasons, ['repeat-failure']);
    assert.deepEqual(onlyRepeat.switchedOff, ['severe']);
    assert.equal(onlyRepeat.notes.length, 1);
  });

  it('refuses an unknown incident, an already resolved one, a time before the opening, a missing name and a bad cost', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const open = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const done = b.incident(c.id, '2026-03-01T10:00:00+01:00', { resolvedAt: '2026-03-02T10:00:00+01:00', resolvedBy: 'kim' });
    const file = b.build();
    assert.throws(
      () => resolveIncident(file, 'inc_unknown1', { at: AT, by: 'sam' }),
      (e: Error) => e instanceof RuleError && /no incident inc_unknown1/.test(e.message),
    );
    assert.throws(
      () => resolveIncident(file, done.id, { at: AT, by: 'sam' }),
      (e: Error) => e instanceof RuleError && /already resolved \(2026-03-02T10:00:00\+01:00 by kim\)/.test(e.message),
    );
    assert.throws(() => resolveIncident(file, open.id, { at: '2026-03-08T10:00:00+01:00', by: 'sam' }), /cannot come before/);
    assert.throws(() => resolveIncident(file, open.id, { at: 'yesterday', by: 'sam' }), /must be a date and time/);
    assert.throws(() => resolveIncident(file, open.id, { at: AT, by: '  ' }), /who resolved/);
    assert.throws(() => resolveIncident(file, open.id, { at: AT, by: 'sam', extraMileCost: '12,5' }), /cost of the extra mile/);
  });

  it('applies the plan through a transaction: resolved incident, pending check and note saved in the book', () => {
    const b = new BookBuilder();
    const c = b.customer({ address: 'Old address' });
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'major' });
    const file = b.build();
    const result = applyResolve(memoryTx(file), i.id, { at: AT, by: 'sam', extraMile: 'waived the fee' });
    assert.equal(file.incidents[0].resolvedAt, AT);
    assert.equal(file.incidents[0].extraMile, 'waived the fee');
    assert.equal(file.followUps.length, 1);
    assert.match(file.followUps[0].id, /^fol_/);
    assert.equal(file.notes.length, 1);
    assert.equal(result.notes[0].id, file.notes[0].id);
    // The note keeps the address of the day it was planned.
    file.customers[0].address = 'New address';
    assert.equal(file.notes[0].address, 'Old address');
    assert.throws(() => applyResolve(memoryTx(file), i.id, { at: AT, by: 'sam' }), RuleError);
  });

  it('resolving again after a reopen adds neither a second note nor a second check', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'critical' });
    const file = b.build();
    const tx = memoryTx(file);
    const first = applyResolve(tx, i.id, { at: AT, by: 'sam' });
    const reopened = applyCompleteFollowUp(tx, first.followUps[0].id, { satisfied: false }, '2026-03-13T11:00:00+01:00', 'sam');
    assert.equal(reopened.reopened, true);
    const plan = resolveIncident(file, i.id, { at: '2026-03-14T11:00:00+01:00', by: 'sam' });
    assert.deepEqual(plan.notes, []);
    assert.equal(plan.existingNoteId, first.notes[0].id);
    assert.deepEqual(plan.followUps, []);
    assert.equal(plan.pendingCheckId, reopened.followUps[0].id);
  });
});

describe('due days across a daylight-saving change (Europe/Paris)', () => {
  inTimeZone('Europe/Paris');

  it('a resolution the Friday before the spring change is followed up on Monday 2026-03-30, not shifted', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-27T09:00:00+01:00', { severity: 'major' });
    const plan = resolveIncident(b.build(), i.id, { at: '2026-03-27T18:00:00+01:00', by: 'sam' });
    assert.equal(plan.followUps[0].due, '2026-03-30');
    assert.equal(plan.notes[0].due, '2026-03-29');
  });

  it('uses the local day of the resolution, even when it was written in UTC', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-27T09:00:00+01:00');
    // 23:30 UTC on the 28th is already 00:30 on the 29th in Paris.
    const plan = resolveIncident(b.build(), i.id, { at: '2026-03-28T23:30:00Z', by: 'sam' });
    assert.equal(plan.followUps[0].due, '2026-04-01');
  });

  it('a resolution on the night of the autumn change is due 3 calendar days later', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-10-24T09:00:00+02:00');
    const plan = resolveIncident(b.build(), i.id, { at: '2026-10-24T23:30:00+02:00', by: 'sam' });
    assert.equal(plan.followUps[0].due, '2026-10-27');
  });

  it('a not-satisfied answer on the day before the change plans the next check 3 calendar days later', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-20T09:00:00+01:00', { resolvedAt: '2026-03-21T09:00:00+01:00', resolvedBy: 'sam' });
    const f = b.followUp(c.id, '2026-03-24', { kind: 'satisfaction-check', incidentId: i.id, assignee: 'sam' });
    const plan = completeFollowUp(b.build(), f.id, { satisfied: false }, '2026-03-28T20:00:00+01:00', 'sam');
    assert.equal(plan.followUps[0].due, '2026-03-31');
  });
});

describe('recovery steps', () => {
  inTimeZone('Europe/Paris');

  it('go acknowledged, understood, resolved, followed up', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const file = b.build();
    const tx = memoryTx(file);
    assert.deepEqual(recoveryProgress(file.incidents[0], file.followUps), { acknowledged: false, understood: false, resolved: false, followedUp: false, done: 0, next: 'acknowledged' });

    const ack = advanceRecovery(file.incidents[0], '2026-03-09T10:30:00+01:00');
    assert.deepEqual(ack, { step: 'acknowledged', patch: { acknowledgedAt: '2026-03-09T10:30:00+01:00', firstResponseAt: '2026-03-09T10:30:00+01:00' } });
    tx.patch('incidents', i.id, ack.patch);
    assert.equal(nextRecoveryStep(file.incidents[0], file.followUps), 'understood');

    const understood = advanceRecovery(file.incidents[0], '2026-03-09T11:00:00+01:00');
    assert.equal(understood.step, 'understood');
    assert.equal(understood.patch.firstResponseAt, '2026-03-09T10:30:00+01:00');
    tx.patch('incidents', i.id, understood.patch);
    assert.equal(nextRecoveryStep(file.incidents[0], file.followUps), 'resolved');
    assert.throws(() => advanceRecovery(file.incidents[0], AT), /next step is to resolve/);

    const resolved = applyResolve(tx, i.id, { at: AT, by: 'sam' });
    assert.equal(recoveryProgress(file.incidents[0], file.followUps).next, 'followed-up');
    assert.equal(recoveryProgress(file.incidents[0], file.followUps).done, 3);
    assert.throws(() => advanceRecovery(file.incidents[0], AT), /already resolved/);

    applyCompleteFollowUp(tx, resolved.followUps[0].id, { satisfied: true, rating: 5 }, '2026-03-13T09:00:00+01:00', 'sam');
    assert.deepEqual(recoveryProgress(file.incidents[0], file.followUps), { acknowledged: true, understood: true, resolved: true, followedUp: true, done: 4, next: undefined });
  });

  it('an imported incident with only a resolution time counts the first three steps as done', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { resolvedAt: '2026-03-10T10:00:00+01:00' });
    assert.equal(nextRecoveryStep(i, []), 'followed-up');
  });

  it("an unsatisfied check or another incident's check does not count as followed up", () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { resolvedAt: '2026-03-10T10:00:00+01:00' });
    const other = b.incident(c.id, '2026-03-01T10:00:00+01:00', { resolvedAt: '2026-03-02T10:00:00+01:00' });
    const unhappy = b.followUp(c.id, '2026-03-13', { kind: 'satisfaction-check', incidentId: i.id, status: 'done', outcome: { satisfied: false } });
    const otherCheck = b.followUp(c.id, '2026-03-05', { kind: 'satisfaction-check', incidentId: other.id, status: 'done', outcome: { satisfied: true } });
    assert.equal(recoveryProgress(i, [unhappy, otherCheck]).followedUp, false);
  });

  it('refuses a step dated before the incident was opened', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    assert.throws(() => advanceRecovery(i, '2026-03-09T09:00:00+01:00'), RuleError);
  });
});

describe('completing a follow-up', () => {
  inTimeZone('Europe/Paris');

  function resolvedBook() {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { resolvedAt: AT, resolvedBy: 'sam', acknowledgedAt: AT, understoodAt: AT });
    const f = b.followUp(c.id, '2026-03-13', { kind: 'satisfaction-check', incidentId: i.id, assignee: 'kim' });
    return { file: b.build(), c, i, f };
  }

  it('records a satisfied outcome, who and when, and leaves the incident resolved', () => {
    const { file, i, f } = resolvedBook();
    const result = applyCompleteFollowUp(memoryTx(file), f.id, { satisfied: true, rating: 4, comment: ' all good ' }, '2026-03-13T09:00:00+01:00', 'kim');
    assert.equal(result.followUp.status, 'done');
    assert.deepEqual(result.followUp.outcome, { satisfied: true, rating: 4, comment: 'all good' });
    assert.equal(result.followUp.doneAt, '2026-03-13T09:00:00+01:00');
    assert.equal(result.followUp.doneBy, 'kim');
    assert.equal(file.incidents.find((x) => x.id === i.id)!.resolvedAt, AT);
    assert.equal(file.followUps.length, 1);
  });

  it('a customer not satisfied reopens the recovery and gets a new check for the same assignee', () => {
    const { file, c, i, f } = resolvedBook();
    const result = applyCompleteFollowUp(memoryTx(file), f.id, { satisfied: false, rating: 2 }, '2026-03-13T09:00:00+01:00', 'sam');
    const incident = file.incidents.find((x) => x.id === i.id)!;
    assert.equal(result.reopened, true);
    assert.equal(incident.resolvedAt, undefined);
    assert.equal('resolvedBy' in incident, false);
    assert.equal(incident.reopenCount, 1);
    assert.equal(nextRecoveryStep(incident, file.followUps), 'resolved');
    assert.equal(result.followUps.length, 1);
    assert.deepEqual(
      {
        customerId: result.followUps[0].customerId,
        incidentId: result.followUps[0].incidentId,
        kind: result.followUps[0].kind,
        due: result.followUps[0].due,
        assignee: result.followUps[0].assignee,
        status: result.followUps[0].status,
      },
      { customerId: c.id, incidentId: i.id, kind: 'satisfaction-check', due: '2026-03-16', assignee: 'kim', status: 'pending' },
    );
  });

  it('not satisfied about a recovery still open: a new check, no reopen counted', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const f = b.followUp(c.id, '2026-03-13', { kind: 'custom', incidentId: i.id });
    const plan = completeFollowUp(b.build(), f.id, { satisfied: false }, '2026-03-13T09:00:00+01:00', 'sam');
    assert.equal(plan.reopened, false);
    assert.equal(plan.incidentPatch, undefined);
    assert.equal(plan.followUps.length, 1);
    assert.equal(plan.followUps[0].assignee, 'sam');
  });

  it('not satisfied without an incident: recorded, nothing reopened', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const f = b.followUp(c.id, '2026-03-13', { kind: 'keep-in-touch' });
    const plan = completeFollowUp(b.build(), f.id, { satisfied: false, comment: 'prices went up' }, '2026-03-13T09:00:00+01:00', 'sam');
    assert.deepEqual(plan.followUpPatch.outcome, { satisfied: false, comment: 'prices went up' });
    assert.deepEqual(plan.followUps, []);
    assert.equal(plan.reopened, false);
  });

  it('refuses an unknown follow-up, one already done, and a rating outside 1-5', () => {
    const { file, f } = resolvedBook();
    assert.throws(() => completeFollowUp(file, 'fol_unknown1', { satisfied: true }, AT, 'sam'), /no follow-up fol_unknown1/);
    assert.throws(() => completeFollowUp(file, f.id, { satisfied: true, rating: 6 }, AT, 'sam'), /1 to 5/);
    assert.throws(() => completeFollowUp(file, f.id, { satisfied: true, rating: 2.5 }, AT, 'sam'), /1 to 5/);
    applyCompleteFollowUp(memoryTx(file), f.id, { satisfied: true }, AT, 'sam');
    assert.throws(
      () => completeFollowUp(file, f.id, { satisfied: true }, AT, 'sam'),
      (e: Error) => e instanceof RuleError && /already done/.test(e.message),
    );
  });
});

describe('snoozing a follow-up', () => {
  const b = new BookBuilder();
  const c = b.customer();
  const f = b.followUp(c.id, '2026-03-10');

  it('makes the snooze day the effective due day, also past the original due day', () => {
    const patch = snoozeFollowUp(f, '2026-03-20', '2026-03-12');
    assert.deepEqual(patch, { snoozedUntil: '2026-03-20' });
    assert.equal(effectiveDue({ ...f, ...patch }), '2026-03-20');
    assert.equal(effectiveDue(f), '2026-03-10');
  });

  it('accepts today and refuses a day already past, a malformed day and a follow-up no longer pending', () => {
    assert.deepEqual(snoozeFollowUp(f, '2026-03-12', '2026-03-12'), { snoozedUntil: '2026-03-12' });
    assert.throws(() => snoozeFollowUp(f, '2026-03-11', '2026-03-12'), /already past/);
    assert.throws(() => snoozeFollowUp(f, '20/03/2026', '2026-03-12'), /YYYY-MM-DD/);
    assert.throws(() => snoozeFollowUp({ ...f, status: 'done' }, '2026-03-20', '2026-03-12'), /only a pending follow-up/);
  });
});

describe('recovery outlook and customer risk', () => {
  inTimeZone('Europe/Paris');

  it('is favorable for a first, minor, unforeseeable incident, and for an unknown cause', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const c2 = b.customer();
    const unknown = b.incident(c2.id, '2026-03-09T10:00:00+01:00', { cause: 'unknown' });
    const file = b.build();
    assert.deepEqual(recoveryOutlook(file, i), { outlook: 'favorable', reasons: [] });
    assert.deepEqual(recoveryOutlook(file, unknown), { outlook: 'favorable', reasons: [] });
  });

  it('is at risk with every reason, in order, for a repeated, critical, preventable failure', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.incident(c.id, '2026-01-09T10:00:00+01:00');
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { severity: 'critical', cause: 'preventable' });
    const file = b.build();
    assert.deepEqual(recoveryOutlook(file, i), { outlook: 'at-risk', reasons: ['repeat-failure', 'severe', 'preventable'] });
    assert.deepEqual(recoveryOutlook(indexBook(file), i), { outlook: 'at-risk', reasons: ['repeat-failure', 'severe', 'preventable'] });
  });

  it('counts an earlier incident exactly a window earlier as a repeat, one a day more as not, and never a later one', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const first = b.incident(c.id, '2025-03-09T23:00:00+01:00');
    const second = b.incident(c.id, '2026-03-09T08:00:00+01:00');
    const file = b.build();
    assert.deepEqual(recoveryOutlook(file, second).reasons, ['repeat-failure']);
    assert.deepEqual(recoveryOutlook(file, first).reasons, []);
    assert.deepEqual(recoveryOutlook(file, second, ruleSettings({ repeatWindowDays: 364 })).reasons, []);
  });

  it('flags a customer with an at-risk incident in the window up to the review day', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-09T10:00:00+01:00', { cause: 'preventable' });
    const calm = b.customer();
    b.incident(calm.id, '2026-03-09T10:00:00+01:00');
    const book = indexBook(b.build());
    assert.deepEqual(customerRisk(book, c.id, '2026-03-10'), { atRisk: true, reasons: ['preventable'], incidentIds: [i.id] });
    assert.deepEqual(customerRisk(book, c.id, '2026-03-09').atRisk, true);
    // Not yet opened on the day before: the review of that day did not flag the customer.
    assert.deepEqual(customerRisk(book, c.id, '2026-03-08').atRisk, false);
    assert.deepEqual(customerRisk(book, c.id, '2027-03-09').atRisk, true);
    assert.deepEqual(customerRisk(book, c.id, '2027-03-10').atRisk, false);
    assert.equal(customerRisk(book, calm.id, '2026-03-10').atRisk, false);
  });

  it('flags two incidents at the same instant as repeats of each other', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const x = b.incident(c.id, '2026-03-09T10:00:00+01:00');
    const y = b.incident(c.id, '2026-03-09T09:00:00Z');
    const file = b.build();
    assert.deepEqual(customerRisk(indexBook(file), c.id, '2026-03-10').incidentIds.sort(), [x.id, y.id].sort());
    assert.equal(recoveryOutlook(file, x).outlook, 'at-risk');
    assert.equal(recoveryOutlook(file, y).outlook, 'at-risk');
  });
});

describe('value at stake and top value', () => {
  it("raises an at-risk customer's value by the documented factor", () => {
    assert.equal(valueAtStake(1000, false), 1000);
    assert.equal(valueAtStake(1000, true), 1500);
    assert.equal(valueAtStake(1000, true, ruleSettings({ atRiskValueFactor: 2 })), 2000);
    assert.equal(valueAtStake(Number.NaN, true), 0);
  });

  it('takes the top 20% by value, ties included, never a customer worth nothing', () => {
    const ltv: Record<string, number> = { a: 900, b: 800, c: 800, d: 100, e: 50, f: 40, g: 30, h: 20, i: 10, j: 0 };
    assert.deepEqual([...topValueSet(Object.keys(ltv), (id) => ltv[id])].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...topValueSet(['j'], () => 0)], []);
    assert.deepEqual([...topValueSet(['a'], () => 5)], ['a']);
  });
});
