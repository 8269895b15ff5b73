import assert from 'node:assert/strict';
import { activityDaysUntil, dayFromNumber, dayNumber, findCustomer, indexBook, instantMs, lastActivityDay, localDayOfInstant } from '../../../src/domain/book';
import { BookBuilder, inTimeZone } from '../support/builders';

describe('book indexes', () => {
  inTimeZone('Europe/Paris');

  it('finds a customer by id or by the key of the system it was imported from', () => {
    const b = new BookBuilder();
    const c = b.customer({ externalId: 'CRM-42' });
    const book = indexBook(b.build());
    assert.equal(findCustomer(book, c.id)?.id, c.id);
    assert.equal(findCustomer(book, 'CRM-42')?.id, c.id);
    assert.equal(findCustomer(book, 'CRM-43'), undefined);
  });

  it("orders a customer's incidents by the instant they were opened, whatever the offset written", () => {
    const b = new BookBuilder();
    const c = b.customer();
    const later = b.incident(c.id, '2026-03-01T09:30:00Z');
    const earlier = b.incident(c.id, '2026-03-01T10:00:00+01:00');
    const book = indexBook(b.build());
    assert.deepEqual(
      book.incidentsByCustomer.get(c.id)!.map((i) => i.id),
      [earlier.id, later.id],
    );
  });

  it('keeps pending follow-ups, open notes and per-customer lists', () => {
    const b = new BookBuilder();
    const c = b.customer();
    const i = b.incident(c.id, '2026-03-01T10:00:00+01:00');
    const pending = b.followUp(c.id, '2026-03-05', { incidentId: i.id });
    b.followUp(c.id, '2026-03-01', { status: 'done', doneAt: '2026-03-01T10:00:00+01:00' });
    const open = b.note(c.id, '2026-03-05', { status: 'to-post' });
    b.note(c.id, '2026-03-05', { status: 'sent' });
    const book = indexBook(b.build());
    assert.deepEqual(
      book.pendingFollowUps.map((f) => f.id),
      [pending.id],
    );
    assert.deepEqual(
      book.openNotes.map((n) => n.id),
      [open.id],
    );
    assert.deepEqual(
      book.followUpsByIncident.get(i.id)!.map((f) => f.id),
      [pending.id],
    );
    assert.equal(book.followUpsByCustomer.get(c.id)!.length, 2);
    assert.equal(book.notesByCustomer.get(c.id)!.length, 2);
  });

  it('dates activity on the local calendar day and answers "last activity as of"', () => {
    const b = new BookBuilder();
    const c = b.customer();
    b.purchase(c.id, '2026-03-01');
    b.contact(c.id, '2026-03-04T23:30:00Z'); // 00:30 on the 5th in Paris
    b.followUp(c.id, '2026-03-01', { status: 'done', doneAt: '2026-03-08T10:00:00+01:00' });
    b.followUp(c.id, '2026-03-01', { status: 'skipped' });
    const book = indexBook(b.build());
    assert.deepEqual(book.activityDaysByCustomer.get(c.id), ['2026-03-01', '2026-03-05', '2026-03-08']);
    assert.equal(lastActivityDay(book, c.id), '2026-03-08');
    assert.equal(lastActivityDay(book, c.id, '2026-03-07'), '2026-03-05');
    assert.equal(lastActivityDay(book, c.id, '2026-02-28'), undefined);
    assert.deepEqual(activityDaysUntil(book, c.id, '2026-03-05'), ['2026-03-01', '2026-03-05']);
  });

  it('counts calendar days across the spring daylight-saving change', () => {
    assert.equal(dayNumber('2026-03-30') - dayNumber('2026-03-27'), 3);
    assert.equal(dayFromNumber(dayNumber('2026-03-28') + 2), '2026-03-30');
    assert.equal(localDayOfInstant('2026-03-29T00:30:00+01:00'), '2026-03-29');
    assert.equal(localDayOfInstant('2026-03-29T22:30:00Z'), '2026-03-30');
  });

  it('reads instants exactly as Date.parse does, whatever the offset or precision', () => {
    for (const instant of ['2026-03-29T01:59:59+01:00', '2026-03-29T03:00:00+02:00', '1999-12-31T23:59:59Z', '2024-02-29T12:00:00-05:30', '2026-03-02T09:15:00.250+01:00', '2026-03-02T09:15+01:00']) {
      assert.equal(instantMs(instant), Date.parse(instant), instant);
    }
  });

  it('writes back every day number as the day it came from, leap days included', () => {
    for (const day of ['1970-01-01', '2000-02-29', '2024-02-29', '2024-03-01', '2026-12-31', '2100-03-01']) assert.equal(dayFromNumber(dayNumber(day)), day);
    assert.equal(dayNumber('1970-01-02'), 1);
  });
});
