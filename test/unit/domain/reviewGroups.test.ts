import assert from 'node:assert/strict';
import { indexBook } from '../../../src/domain/book';
import { generateDemoBook } from '../../../src/domain/demo';
import { customerRisk, customersAtRisk, riskWindow } from '../../../src/domain/recovery';
import { buildFollowUpGroups, buildReview, type ReviewOptions } from '../../../src/domain/review';
import { ruleSettings } from '../../../src/domain/settings';
import { addCalendarDays } from '../../../src/domain/time';
import type { LoyalFile } from '../../../src/domain/records';
import { inTimeZone } from '../support/builders';

const TODAY = '2026-03-10';

describe('the follow-up groups of the review (Today view, status bar)', () => {
  inTimeZone('Europe/Paris');

  let file: LoyalFile;
  before(() => {
    file = generateDemoBook({ customers: 600, incidents: 1500, seed: 7, today: TODAY });
  });

  const ltvOf = (id: string): number => (id.charCodeAt(id.length - 1) * 7919) % 500_000;
  const options = (asOf: string, extra: Partial<ReviewOptions> = {}): ReviewOptions => ({ asOf, ltvOf, settings: ruleSettings(), ...extra });
  const groupsOf = (r: { asOf: string; overdue: unknown; today: unknown; thisWeek: unknown; later: unknown }) => ({
    asOf: r.asOf,
    overdue: r.overdue,
    today: r.today,
    thisWeek: r.thisWeek,
    later: r.later,
  });

  for (const shift of [0, -20, -45, 3]) {
    it(`are the review's groups, in the same order, on a generated book (as of today ${shift >= 0 ? '+' : ''}${shift} days)`, () => {
      const asOf = addCalendarDays(TODAY, shift);
      const groups = buildFollowUpGroups(indexBook(file), options(asOf));
      const review = buildReview(indexBook(file), options(asOf));
      assert.deepEqual(groups, groupsOf(review));
      assert.ok(groups.overdue.length + groups.today.length + groups.thisWeek.length + groups.later.length > 50, 'the demo book has pending follow-ups');
    });
  }

  it('are the review\'s groups for "mine only" too', () => {
    const user = file.followUps.find((f) => f.status === 'pending' && f.assignee)?.assignee;
    assert.ok(user);
    const groups = buildFollowUpGroups(indexBook(file), options(TODAY, { user, mineOnly: true }));
    assert.deepEqual(groups, groupsOf(buildReview(indexBook(file), options(TODAY, { user, mineOnly: true }))));
    const all = buildFollowUpGroups(indexBook(file), options(TODAY));
    const count = (g: typeof groups): number => g.overdue.length + g.today.length + g.thisWeek.length + g.later.length;
    assert.ok(count(groups) > 0 && count(groups) < count(all));
  });

  // With a short repeat window the older incidents are left out of the risk pass: the
  // customers at risk must be the same as over every incident.
  for (const repeatWindowDays of [365, 30]) {
    it(`mark at risk exactly the customers the risk rule finds at risk over every incident (repeat window ${repeatWindowDays} days)`, () => {
      const settings = ruleSettings({ repeatWindowDays });
      for (const shift of [0, -30, -60]) {
        const asOf = addCalendarDays(TODAY, shift);
        const full = indexBook(file);
        const atRisk = (id: string): boolean => customerRisk(full, id, asOf, settings).atRisk;
        // A fresh index and one whose incidents are already all grouped: both ways of cutting the recent ones.
        const warm = indexBook(file);
        void warm.incidentsByCustomer;
        for (const book of [indexBook(file), warm]) {
          const groups = buildFollowUpGroups(book, options(asOf, { settings }));
          const items = [...groups.overdue, ...groups.today, ...groups.thisWeek, ...groups.later];
          for (const item of items) assert.equal(item.customerAtRisk, atRisk(item.customerId), `${item.customerId} as of ${asOf}`);
          if (shift === 0) assert.ok(items.some((i) => i.customerAtRisk) && items.some((i) => !i.customerAtRisk), 'the demo book has customers at risk and not');
          const review = buildReview(book, options(asOf, { settings }));
          const expected = file.customers
            .filter((c) => !c.archived && atRisk(c.id))
            .map((c) => c.id)
            .sort();
          assert.deepEqual(review.atRisk.map((r) => r.customerId).sort(), expected);
          assert.deepEqual(groups, groupsOf(review));
        }
      }
    });
  }

  it('finds in one pass the customers the risk rule finds one at a time, same-instant repeats included', () => {
    // Two minor, unforeseeable incidents of one customer opened at the very same instant:
    // neither is severe nor preventable, each is the other's repeat.
    const quiet = file.customers.find((c) => !file.incidents.some((i) => i.customerId === c.id))!;
    const template = file.incidents.find((i) => i.openedAt.startsWith('2026-03-0'))!;
    const twin = { ...template, customerId: quiet.id, severity: 'minor' as const, cause: 'unforeseeable' as const };
    const book = { ...file, incidents: [...file.incidents, { ...twin, id: 'inc_twin0001' }, { ...twin, id: 'inc_twin0002' }] };
    for (const repeatWindowDays of [365, 30, 1]) {
      const settings = ruleSettings({ repeatWindowDays });
      for (const shift of [0, -7, -90, 200]) {
        const asOf = addCalendarDays(TODAY, shift);
        const index = indexBook(book);
        const expected = new Set(book.customers.map((c) => c.id).filter((id) => customerRisk(index, id, asOf, settings).atRisk));
        assert.deepEqual(customersAtRisk(book.incidents, riskWindow(asOf, settings)), expected, `window ${repeatWindowDays} days, as of ${asOf}`);
        if (shift === 0 && repeatWindowDays >= 30) assert.ok(expected.has(quiet.id), 'the same-instant pair (a week before) puts its customer at risk');
      }
    }
  });
});
