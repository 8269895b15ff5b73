import assert from 'node:assert/strict';
import { DEMO_PLANTED, generateDemoBook } from '../../../src/domain/demo';
import { COLLECTION_NAMES, LoyalFile, type Incident } from '../../../src/domain/records';
import { addCalendarDays, daysBetween } from '../../../src/domain/time';
import { checkFile } from '../../../src/domain/validate';

const TODAY = '2026-03-15';

describe('generateDemoBook', () => {
  it('makes books that pass the file check, for several sizes and seeds', () => {
    for (const [customers, seed] of [
      [1, 1],
      [25, 'café'],
      [400, 7],
      [3000, 99],
    ] as const) {
      const book = generateDemoBook({ customers, seed, today: TODAY });
      const check = checkFile(JSON.parse(JSON.stringify(book)));
      assert.ok(check.ok, `${customers}/${seed}: ${check.ok ? '' : JSON.stringify(check.problems.slice(0, 3))}`);
      assert.equal(book.customers.length, customers);
      assert.equal(book.incidents.length, Math.round(customers * 0.5));
    }
  });

  it('gives the same book for the same seed and a different one for another seed', () => {
    const a = JSON.stringify(generateDemoBook({ customers: 300, seed: 5, today: TODAY }));
    const b = JSON.stringify(generateDemoBook({ customers: 300, seed: 5, today: TODAY }));
    const c = JSON.stringify(generateDemoBook({ customers: 300, seed: 6, today: TODAY }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('writes records as the store would save them: sorted by id, keys in schema order', () => {
    const book = generateDemoBook({ customers: 500, incidents: 800, seed: 3, today: TODAY });
    // Parsing puts keys in schema order and fills defaults: nothing may change.
    assert.equal(JSON.stringify(LoyalFile.parse(book)), JSON.stringify(book));
    for (const name of COLLECTION_NAMES) {
      const ids = book[name].map((record) => record.id);
      assert.deepEqual(ids, [...ids].sort(), `${name} sorted by id`);
    }
  });

  it('records nothing after the morning of "today"', () => {
    const book = generateDemoBook({ customers: 800, seed: 11, today: TODAY });
    const instants = [
      ...book.incidents.flatMap((i) => [i.openedAt, i.resolvedAt, i.firstResponseAt, i.updatedAt]),
      ...book.purchases.map((p) => p.date),
      ...book.contacts.map((c) => c.at),
      ...book.followUps.flatMap((f) => [f.doneAt, f.createdAt]),
      ...book.notes.flatMap((n) => [n.sentAt, n.writtenAt]),
    ].filter((value): value is string => value !== undefined);
    const latest = instants.reduce((max, value) => (value.slice(0, 10) > max ? value.slice(0, 10) : max), '');
    assert.ok(latest <= TODAY, `latest record on ${latest}`);
    assert.ok(latest >= addCalendarDays(TODAY, -2), 'the book reaches up to today');
  });

  it('puts the given user first in the team and has 3 to 5 members', () => {
    for (const customers of [10, 500, 5000]) {
      const book = generateDemoBook({ customers, seed: 1, today: TODAY, user: 'Ada Byron' });
      assert.equal(book.team[0].name, 'Ada Byron');
      assert.ok(book.team.length >= 3 && book.team.length <= 5);
    }
  });

  describe('the planted patterns', () => {
    const book = generateDemoBook({ customers: 2000, incidents: 4000, seed: 42, today: TODAY });
    const hourOf = (incident: Incident) => Number(incident.openedAt.slice(11, 13));

    it('has one staff member with far more incidents at one hour than the shifts explain', () => {
      const { staff, hour } = DEMO_PLANTED.spike;
      const withStaff = book.incidents.filter((i) => i.staff);
      const staffTotal = withStaff.filter((i) => i.staff === staff).length;
      const hourTotal = withStaff.filter((i) => hourOf(i) === hour).length;
      const count = withStaff.filter((i) => i.staff === staff && hourOf(i) === hour).length;
      const expected = (staffTotal * hourTotal) / withStaff.length;
      assert.ok(count >= 2.5 * expected, `${count} incidents vs ${expected.toFixed(1)} expected`);
      // No other staff member and hour comes close (among cells with enough incidents to tell).
      const cells = new Map<string, number>();
      for (const i of withStaff) cells.set(`${i.staff}@${hourOf(i)}`, (cells.get(`${i.staff}@${hourOf(i)}`) ?? 0) + 1);
      const ratios = [...cells]
        .filter(([, n]) => n >= 10)
        .map(([key, n]) => {
          const [who, h] = key.split('@');
          const total = withStaff.filter((i) => i.staff === who).length;
          const atHour = withStaff.filter((i) => hourOf(i) === Number(h)).length;
          return { key, ratio: n / ((total * atHour) / withStaff.length) };
        });
      ratios.sort((a, b) => b.ratio - a.ratio);
      assert.equal(ratios[0].key, `${staff}@${hour}`);
      assert.ok(ratios[1].ratio < 1.6, `next highest: ${ratios[1].key} at ${ratios[1].ratio.toFixed(2)}x`);
    });

    it('has more website incidents in the weeks after one release than before it', () => {
      const { component, version, daysBeforeToday } = DEMO_PLANTED.release;
      const release = book.releases.find((r) => r.component === component && r.version === version);
      assert.ok(release, 'the release is recorded');
      assert.equal(release.date, addCalendarDays(TODAY, -daysBeforeToday));
      const days = (i: Incident) => daysBetween(release.date, i.openedAt.slice(0, 10));
      const website = book.incidents.filter((i) => i.component === component);
      const before = website.filter((i) => days(i) >= -28 && days(i) < 0).length;
      const after = website.filter((i) => days(i) >= 0 && days(i) < 28).length;
      assert.ok(after >= 2 * Math.max(before, 1), `${before} before, ${after} after`);
    });

    it('has a top five of complaints led by late delivery', () => {
      const counts = new Map<string, number>();
      for (const i of book.incidents) for (const tag of i.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      const top = [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([tag]) => tag);
      assert.equal(top[0], 'late delivery');
      assert.equal(new Set(top).size, 5);
    });
  });

  describe('what the sidebar shows on the first morning', () => {
    const book = generateDemoBook({ customers: 600, seed: 8, today: TODAY });

    it('has open incidents at different recovery steps, and resolved ones', () => {
      const open = book.incidents.filter((i) => !i.resolvedAt);
      assert.ok(
        open.some((i) => !i.acknowledgedAt),
        'a new one, not yet acknowledged',
      );
      assert.ok(
        open.some((i) => i.acknowledgedAt && !i.understoodAt),
        'an acknowledged one',
      );
      assert.ok(
        open.some((i) => i.understoodAt),
        'an understood one',
      );
      assert.ok(book.incidents.filter((i) => i.resolvedAt).length > open.length, 'mostly resolved');
    });

    it('has follow-ups overdue, due today, this week and later, of several kinds', () => {
      const pending = book.followUps.filter((f) => f.status === 'pending');
      const offset = (due: string) => daysBetween(TODAY, due);
      assert.ok(
        pending.some((f) => offset(f.due) < 0),
        'overdue',
      );
      assert.ok(
        pending.some((f) => offset(f.due) === 0),
        'today',
      );
      assert.ok(
        pending.some((f) => offset(f.due) > 0 && offset(f.due) <= 6),
        'this week',
      );
      assert.ok(
        pending.some((f) => offset(f.due) > 6),
        'later',
      );
      const kinds = new Set(book.followUps.map((f) => f.kind));
      for (const kind of ['satisfaction-check', 'keep-in-touch', 'custom'] as const) assert.ok(kinds.has(kind), kind);
      const done = book.followUps.filter((f) => f.status === 'done');
      assert.ok(
        done.some((f) => f.outcome?.satisfied === false),
        'an unhappy customer',
      );
      assert.ok(
        done.some((f) => f.outcome?.satisfied === true),
        'a happy customer',
      );
    });

    it('has handwritten notes to write, to post and sent', () => {
      for (const status of ['to-write', 'to-post', 'sent'] as const)
        assert.ok(
          book.notes.some((n) => n.status === status),
          status,
        );
      for (const size of [1, 5]) {
        const tiny = generateDemoBook({ customers: size, seed: 2, today: TODAY });
        assert.deepEqual(new Set(tiny.notes.map((n) => n.status)), new Set(['to-write', 'to-post', 'sent']), `${size} customers`);
      }
    });

    it('has loyal, lapsed and one-time buyers, subscriptions live and cancelled', () => {
      const purchases = new Map<string, string[]>();
      for (const p of book.purchases) purchases.set(p.customerId, [...(purchases.get(p.customerId) ?? []), p.date]);
      // In id order in the file: each history in date order.
      const histories = [...purchases.values()].map((days) => days.sort());
      const oneTime = histories.filter((days) => days.length === 1).length;
      const loyal = histories.filter((days) => days.length >= 8 && daysBetween(days.at(-1)!, TODAY) <= 60).length;
      const quiet = histories.filter((days) => days.length >= 4 && daysBetween(days.at(-1)!, TODAY) >= 180).length;
      assert.ok(oneTime > 50 && loyal > 50 && quiet > 20, `${oneTime} one-time, ${loyal} loyal, ${quiet} gone quiet`);
      assert.ok(book.subscriptions.some((s) => s.end) && book.subscriptions.some((s) => !s.end));
      assert.ok(book.subscriptions.some((s) => s.period === 'year') && book.subscriptions.some((s) => s.period === 'month'));
    });

    it('has customers at risk: a second incident within a year, or a severe or preventable one', () => {
      const byCustomer = new Map<string, Incident[]>();
      for (const i of book.incidents) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i]);
      const repeat = [...byCustomer.values()].filter((list) => list.length >= 2 && daysBetween(list[0].openedAt.slice(0, 10), list[1].openedAt.slice(0, 10)) <= 365);
      assert.ok(repeat.length > 0, 'a repeat failure');
      assert.ok(book.incidents.some((i) => i.severity === 'critical'));
      assert.ok(book.incidents.some((i) => i.cause === 'preventable'));
    });

    it('has real-looking customers: companies, addresses, tags, referrals, several languages', () => {
      const c = book.customers;
      assert.ok(c.some((x) => x.company) && c.some((x) => x.address?.includes('\n')));
      for (const tag of ['wholesale', 'vip', 'café regular'])
        assert.ok(
          c.some((x) => x.tags.includes(tag)),
          tag,
        );
      assert.ok(c.some((x) => x.referredBy));
      assert.ok(c.some((x) => x.externalId));
      const countries = new Set(c.map((x) => x.address?.split('\n').at(-1)).filter(Boolean));
      assert.ok(countries.size >= 5, [...countries].join(', '));
    });
  });

  it('makes 10,000 customers and 100,000 incidents quickly enough for the benchmarks', function () {
    this.timeout(60_000);
    const book = generateDemoBook({ customers: 10_000, incidents: 100_000, seed: 1, today: TODAY });
    assert.equal(book.incidents.length, 100_000);
    assert.ok(book.incidents.every((i, k) => k === 0 || book.incidents[k - 1].id < i.id));
  });
});
