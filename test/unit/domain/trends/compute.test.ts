import assert from 'node:assert/strict';
import { LoyalFile as LoyalFileSchema } from '../../../../src/domain/records';
import { computeTrends } from '../../../../src/domain/trends/compute';
import { drill } from '../../../../src/domain/trends/drill';
import { sortedChecks } from '../../../../src/domain/trends/columns';
import { BUSINESS_HOURS, UNIFORM_HOURS, bookOf, customerOf, dayPlus, followUpOf, incidentOf, instantAt, purchaseOf, randomIncidents, releaseOf, seededRandom } from '../../support/trendsBuilders';

const STAFF = ['Ana', 'Ben', 'Chloé', 'Dana', 'Eli', 'Femi'];

describe('trend review: counts and series', () => {
  const book = bookOf({
    incidents: [
      incidentOf({ openedAt: '2026-03-02T09:15:00+01:00', tags: ['Late delivery', 'wrong item'], category: 'timeliness', channel: 'phone' }),
      incidentOf({ openedAt: '2026-03-03T10:00:00+01:00', tags: ['late delivery', 'late delivery'], category: 'timeliness' }),
      incidentOf({ openedAt: '2026-03-10T11:00:00+01:00', tags: ['wrong item'], severity: 'major', cause: 'preventable' }),
      incidentOf({ openedAt: '2026-03-11T12:00:00+01:00', tags: ['broken'], channel: 'chat' }),
      incidentOf({ openedAt: '2026-03-12T12:00:00+01:00', tags: ['damaged box'] }),
      incidentOf({ openedAt: '2026-03-13T12:00:00+01:00', tags: ['billing'] }),
      incidentOf({ openedAt: '2026-03-14T12:00:00+01:00', tags: ['zebra'] }),
      incidentOf({ openedAt: '2026-04-01T08:00:00+02:00', tags: ['late delivery'], category: 'people' }),
      // Opened after the as-of day: not yet known on that day.
      incidentOf({ openedAt: '2026-05-02T08:00:00+02:00', tags: ['zebra', 'broken'] }),
    ],
  });

  it('builds records that the file schema accepts', () => {
    assert.equal(LoyalFileSchema.safeParse(book).success, true);
  });

  it('ranks the top 5 complaints by count, ties by name, merging spellings of one tag', () => {
    const report = computeTrends(book, { asOf: '2026-04-30', bucket: 'week' });
    assert.equal(report.total, 8);
    assert.deepEqual(report.topComplaints, [
      { tag: 'Late delivery', count: 3 },
      { tag: 'wrong item', count: 2 },
      { tag: 'billing', count: 1 },
      { tag: 'broken', count: 1 },
      { tag: 'damaged box', count: 1 },
    ]);
    assert.equal(report.byCategory.timeliness, 2);
    assert.equal(report.byCategory.people, 1);
    assert.equal(report.byCategory.product, 5);
    assert.equal(report.byChannel.phone, 1);
    assert.equal(report.byChannel.chat, 1);
    assert.equal(report.bySeverity.major, 1);
    assert.equal(report.byCause.preventable, 1);
  });

  it('counts only the days in range and never past the as-of day', () => {
    const report = computeTrends(book, { from: '2026-03-10', to: '2026-12-31', asOf: '2026-03-12', bucket: 'week' });
    assert.equal(report.to, '2026-03-12');
    assert.equal(report.total, 3);
  });

  it('applies filters to every count', () => {
    const report = computeTrends(book, { asOf: '2026-04-30', bucket: 'week', filters: { tag: ['LATE DELIVERY'] } });
    assert.equal(report.total, 3);
    assert.equal(computeTrends(book, { asOf: '2026-04-30', bucket: 'week', filters: { category: ['timeliness'] } }).total, 2);
  });

  it('gives weekly buckets from the Monday of the first week, empty weeks included', () => {
    const report = computeTrends(book, { from: '2026-03-04', asOf: '2026-04-01', bucket: 'week' });
    assert.deepEqual(report.series.buckets, ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
    assert.deepEqual(report.series.total, [0, 5, 0, 0, 1]);
    assert.deepEqual(report.series.byCategory.people, [0, 0, 0, 0, 1]);
    const monthly = computeTrends(book, { asOf: '2026-04-30', bucket: 'month' });
    assert.deepEqual(monthly.series.buckets, ['2026-03', '2026-04']);
    assert.deepEqual(monthly.series.byTag[0], { tag: 'Late delivery', counts: [2, 1] });
  });

  it('places incidents on the wall-clock hour and weekday written in their offset', () => {
    const night = bookOf({
      incidents: [
        incidentOf({ openedAt: '2026-03-02T23:30:00-05:00', staff: 'Ana' }), // Monday 23:30 in New York
        incidentOf({ openedAt: '2026-03-08T00:10:00+09:00', staff: 'Ana' }), // Sunday 00:10 in Tokyo
      ],
    });
    const report = computeTrends(night, { asOf: '2026-03-31', bucket: 'week' });
    assert.equal(report.heatmapWeekdayHour[0][23], 1);
    assert.equal(report.heatmapWeekdayHour[6][0], 1);
    assert.deepEqual(report.heatmapStaffHour, [{ staff: 'Ana', total: 2, hours: [1, ...new Array(22).fill(0), 1] }]);
  });

  it('refuses a range that ends before it starts, or a day that is not a date', () => {
    assert.throws(() => computeTrends(book, { from: '2026-04-02', to: '2026-04-01', asOf: '2026-05-01', bucket: 'week' }), RangeError);
    assert.throws(() => computeTrends(book, { asOf: '2026-02-30', bucket: 'week' }), /not a real calendar date/);
  });
});

describe('trend review: staff x hour spikes', () => {
  const asOf = { asOf: '2026-03-31', bucket: 'week' as const };

  function planted(incidents: ReturnType<typeof incidentOf>[], staff: string, hour: number, extra: number): ReturnType<typeof bookOf> {
    const random = seededRandom(99);
    for (let i = 0; i < extra; i++) {
      incidents.push(incidentOf({ openedAt: instantAt(dayPlus('2026-01-05', Math.floor(random() * 84)), hour, 5), staff }));
    }
    return bookOf({ incidents });
  }

  it('finds a planted spike at one hour when one staff member is on duty, with its count and expected count', () => {
    const incidents = randomIncidents({ seed: 7, incidents: 3000, staff: STAFF, firstDay: '2026-01-05', days: 84, hourWeights: BUSINESS_HOURS });
    const book = planted(incidents, 'Dana', 14, 60);
    const report = computeTrends(book, asOf);
    assert.equal(report.spikes.length, 1, JSON.stringify(report.spikes));
    const [spike] = report.spikes;
    assert.equal(spike.staff, 'Dana');
    assert.equal(spike.hour, 14);
    const dana = report.heatmapStaffHour.find((row) => row.staff === 'Dana');
    assert.ok(dana);
    assert.equal(spike.count, dana.hours[14]);
    // Everybody covers every hour here. Left out of its own fit, the cell expects what the others
    // logged at 14:00 times Dana's share of every OTHER hour: share / (1 - share) x others.
    const hourTotal = report.heatmapStaffHour.reduce((sum, row) => sum + row.hours[14], 0);
    const others = hourTotal - spike.count;
    const share = (dana.total - spike.count) / (3060 - hourTotal);
    const leftOut = (others * share) / (1 - share);
    assert.ok(Math.abs(spike.expected - leftOut) / leftOut < 0.02, `${spike.expected} vs ${leftOut}`);
    // Fitted with the cell in (the old way) the expectation is pulled up by the spike itself.
    assert.ok(spike.expected < (dana.total * hourTotal) / 3060);
    assert.ok(spike.count >= spike.expected * 1.5);
    assert.ok(spike.adjustedPValue <= 0.05 && spike.pValue < 1e-4);
    assert.equal(drill(book, asOf, { staff: 'Dana', hour: 14 }).length, spike.count);
  });

  it('takes shifts into account: hours on duty are not spikes, a burst inside or outside a shift is', () => {
    const shifts: Array<[number, number]> = [
      [7, 13],
      [12, 20],
      [9, 17],
      [14, 20],
      [8, 18],
      [8, 12],
    ];
    const shiftBook = (seed: number): ReturnType<typeof incidentOf>[] =>
      randomIncidents({ seed, incidents: 3000, staff: STAFF, shifts, firstDay: '2026-01-05', days: 84, hourWeights: BUSINESS_HOURS });
    assert.deepEqual(computeTrends(bookOf({ incidents: shiftBook(5) }), asOf).spikes, []);
    const report = computeTrends(planted(shiftBook(5), 'Ben', 17, 60), asOf);
    // The planted cell comes first; Benjamini-Hochberg may let a borderline cell through beside a real one.
    assert.deepEqual([report.spikes[0].staff, report.spikes[0].hour], ['Ben', 17]);
    assert.ok(report.spikes.length <= 2, JSON.stringify(report.spikes));
  });

  it('raises a spike on at most 1 of 20 pure-noise books (5%): seeds 1 to 20, with and without shifts', () => {
    const alarms: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const incidents = randomIncidents({
        seed,
        incidents: 3000,
        staff: STAFF,
        firstDay: '2026-01-05',
        days: 84,
        // Flat days, days shaped like a shop's, and shop days worked in shifts.
        hourWeights: seed % 2 === 0 ? BUSINESS_HOURS : UNIFORM_HOURS,
        shifts:
          seed % 4 === 0
            ? [
                [7, 13],
                [12, 20],
                [9, 17],
                [14, 20],
                [8, 18],
                [8, 12],
              ]
            : undefined,
      });
      const report = computeTrends(bookOf({ incidents }), asOf);
      if (report.spikes.length) alarms.push(`seed ${seed}: ${report.spikes.map((spike) => `${spike.staff} at ${spike.hour} (${spike.count} vs ${spike.expected})`).join(', ')}`);
    }
    // Seed 14 draws 42 of hour 18's 142 incidents for Ana (p = 7e-5 even with no spike): a fair false alarm.
    assert.ok(alarms.length <= 1, alarms.join('\n'));
  });

  it('keeps to the minimum count and effect size it is given', () => {
    const book = planted(randomIncidents({ seed: 7, incidents: 3000, staff: STAFF, firstDay: '2026-01-05', days: 84, hourWeights: BUSINESS_HOURS }), 'Dana', 14, 60);
    const [spike] = computeTrends(book, asOf).spikes;
    assert.ok(spike);
    assert.deepEqual(computeTrends(book, { ...asOf, minSpikeCount: spike.count + 1 }).spikes, []);
    assert.deepEqual(computeTrends(book, { ...asOf, minSpikeRatio: spike.ratio + 0.05 }).spikes, []);
    assert.equal(computeTrends(book, { ...asOf, minSpikeCount: spike.count, minSpikeRatio: spike.ratio - 0.05 }).spikes.length, 1);
  });
});

describe('trend review: release effects', () => {
  const firstDay = '2026-01-05';

  function steadyIncidents(seed: number, component: string, perWeek: number, from: string, days: number): ReturnType<typeof incidentOf>[] {
    const random = seededRandom(seed);
    const result = [];
    const count = Math.round((perWeek * days) / 7);
    for (let i = 0; i < count; i++) {
      result.push(incidentOf({ openedAt: instantAt(dayPlus(from, Math.floor(random() * days)), 10 + Math.floor(random() * 8)), component }));
    }
    return result;
  }

  it('flags a release followed by more incidents of its component, in incidents per week', () => {
    const incidents = [...steadyIncidents(1, 'billing', 2, firstDay, 56), ...steadyIncidents(2, 'billing', 8, dayPlus(firstDay, 56), 56), ...steadyIncidents(3, 'shop', 5, firstDay, 112)];
    const book = bookOf({
      incidents,
      releases: [releaseOf('billing', '1.4.0', dayPlus(firstDay, 56)), releaseOf('shop', '2.0.0', dayPlus(firstDay, 56))],
    });
    const options = { asOf: dayPlus(firstDay, 111), bucket: 'week' as const };
    const report = computeTrends(book, options);
    const billing = report.releases.find((r) => r.component === 'billing');
    const shop = report.releases.find((r) => r.component === 'shop');
    assert.ok(billing && shop);
    assert.equal(billing.significant, true);
    assert.equal(billing.version, '1.4.0');
    assert.equal(billing.weeksBefore, 4);
    assert.equal(billing.weeksAfter, 4);
    assert.equal(billing.before, Math.round((billing.countBefore / 4) * 100) / 100);
    assert.ok(billing.before < 3 && billing.after > 6, JSON.stringify(billing));
    assert.equal(shop.significant, false);
    const after = drill(book, options, { release: { component: 'billing', date: billing.date, side: 'after' } });
    assert.equal(after.length, billing.countAfter);
  });

  it('uses the weeks actually observed when the range or the as-of day cuts a window', () => {
    const incidents = steadyIncidents(4, 'billing', 7, firstDay, 70);
    const release = dayPlus(firstDay, 60);
    const book = bookOf({ incidents, releases: [releaseOf('billing', '1.5.0', release)] });
    const report = computeTrends(book, { from: dayPlus(release, -14), asOf: dayPlus(release, 9), bucket: 'week' });
    const [effect] = report.releases;
    assert.equal(effect.weeksBefore, 2);
    assert.equal(effect.weeksAfter, Math.round((10 / 7) * 100) / 100);
    assert.equal(effect.after, Math.round(((effect.countAfter * 7) / 10) * 100) / 100);
    // A release on the as-of day has one day after it: reported, too little to call.
    const today = computeTrends(bookOf({ incidents, releases: [releaseOf('billing', '1.6.0', dayPlus(firstDay, 69))] }), {
      asOf: dayPlus(firstDay, 69),
      bucket: 'week',
    });
    assert.equal(today.releases[0].weeksAfter, Math.round((1 / 7) * 100) / 100);
    assert.equal(today.releases[0].significant, false);
  });

  it('flags no release when releases change nothing: seeds 1 to 20', () => {
    const alarms: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(1000 + seed);
      const components = ['billing', 'shop', 'search'];
      const incidents = components.flatMap((component, c) => steadyIncidents(seed * 10 + c, component, 3 + c * 2, firstDay, 182));
      const releases = [];
      for (let r = 0; r < 8; r++) {
        releases.push(releaseOf(components[r % 3], `1.${r}.0`, dayPlus(firstDay, 14 + Math.floor(random() * 154))));
      }
      const report = computeTrends(bookOf({ incidents, releases }), { asOf: dayPlus(firstDay, 181), bucket: 'month' });
      assert.equal(report.releases.length, 8);
      for (const effect of report.releases.filter((r) => r.significant)) alarms.push(`seed ${seed}: ${effect.component} ${effect.version}`);
    }
    assert.deepEqual(alarms, []);
  });
});

describe('trend review: recovery outcomes and scorecard', () => {
  const alice = customerOf({ createdAt: '2026-01-10T10:00:00+01:00' });
  const bob = customerOf({ createdAt: '2026-02-03T10:00:00+01:00', referredBy: alice.id });
  const carol = customerOf({ createdAt: '2026-02-20T10:00:00+01:00', referredBy: alice.id });
  const first = incidentOf({
    customerId: alice.id,
    openedAt: '2026-02-02T09:00:00+01:00',
    firstResponseAt: '2026-02-02T11:00:00+01:00',
    resolvedAt: '2026-02-03T09:00:00+01:00',
    channel: 'email',
  });
  const second = incidentOf({
    customerId: alice.id,
    openedAt: '2026-02-10T09:00:00+01:00',
    firstResponseAt: '2026-02-10T13:00:00+01:00',
    resolvedAt: '2026-03-02T09:00:00+01:00',
    reopenCount: 1,
    channel: 'phone',
  });
  const third = incidentOf({
    customerId: bob.id,
    openedAt: '2026-02-15T09:00:00+01:00',
    // Answered from another office: 09:00+01:00 is 08:00Z, 10:00+00:00 is two hours later.
    firstResponseAt: '2026-02-15T10:00:00+00:00',
    resolvedAt: '2026-04-05T09:00:00+02:00',
    channel: 'other',
  });
  const book = bookOf({
    customers: [alice, bob, carol],
    incidents: [first, second, third],
    purchases: [
      purchaseOf({ customerId: alice.id, date: '2026-01-12' }),
      purchaseOf({ customerId: alice.id, date: '2026-02-14' }),
      purchaseOf({ customerId: bob.id, date: '2026-02-05' }),
      purchaseOf({ customerId: bob.id, date: '2026-02-25' }),
    ],
    followUps: [
      followUpOf({ customerId: alice.id, incidentId: first.id, status: 'done', outcome: { satisfied: true }, doneAt: '2026-02-06T10:00:00+01:00' }),
      followUpOf({ customerId: alice.id, incidentId: second.id, status: 'done', outcome: { satisfied: false }, doneAt: '2026-02-20T10:00:00+01:00' }),
      followUpOf({ customerId: alice.id, incidentId: second.id, status: 'done', outcome: { satisfied: true }, doneAt: '2026-03-05T10:00:00+01:00' }),
      followUpOf({ customerId: bob.id, incidentId: third.id, status: 'pending' }),
    ],
  });

  it('reports recovery outcomes as they stood on the as-of day', () => {
    const report = computeTrends(book, { from: '2026-02-01', asOf: '2026-03-31', bucket: 'month' });
    assert.deepEqual(report.outcomes, {
      satisfiedRate: 0.6667,
      satisfactionChecks: 3,
      repeatFailureRate: 0.3333,
      medianHoursToFirstResponse: 2,
      medianHoursToResolve: (24 + 24 * 20) / 2,
      resolved: 2,
      open: 1,
      reopened: 1,
    });
    const earlier = computeTrends(book, { from: '2026-02-01', asOf: '2026-02-28', bucket: 'month' });
    assert.equal(earlier.outcomes.resolved, 1);
    assert.equal(earlier.outcomes.satisfiedRate, 0.5);
  });

  it('counts every satisfaction check of an incident in the book, however the book is ordered', () => {
    const expected = computeTrends(book, { from: '2026-02-01', asOf: '2026-03-31', bucket: 'month' }).outcomes;
    // A hand-made book: a check naming an incident that is not in it, sorting before the others.
    const stray = followUpOf({ customerId: alice.id, incidentId: 'inc_0', status: 'done', outcome: { satisfied: true }, doneAt: '2026-02-06T10:00:00+01:00' });
    const withStray = { ...book, followUps: [stray, ...book.followUps] };
    const reversed = { ...book, incidents: [...book.incidents].reverse() };
    for (const [name, variant] of Object.entries({ withStray, reversed })) {
      const outcomes = computeTrends(variant, { from: '2026-02-01', asOf: '2026-03-31', bucket: 'month' }).outcomes;
      assert.equal(outcomes.satisfactionChecks, 3, name);
      assert.equal(outcomes.satisfiedRate, expected.satisfiedRate, name);
    }
  });

  it('counts the satisfaction checks of thousands of incidents whose ids share their first characters, are of any length or hold other characters', () => {
    const random = seededRandom(7);
    const alphabet = '0123456789_abcdefghijklmnopqrstuvwxyz';
    const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const shapes: Record<string, () => string> = {
      random: () => `inc_${pick(14)}`,
      // Imported ids: a long shared date prefix, then a counter of any width.
      sharedPrefix: () => `inc_20260105${pick(1 + Math.floor(random() * 6))}`,
      // The shortest ids and ids of other lengths side by side.
      anyLength: () => `inc_${pick(4 + Math.floor(random() * 10))}`,
      // A hand-made book: characters the ids of the app never hold (read as text).
      handMade: () => `inc_${pick(3)}${random() < 0.3 ? 'É-' : ''}${pick(4)}`,
    };
    const customer = customerOf();
    for (const [name, idOf] of Object.entries(shapes)) {
      const ids = [...new Set(Array.from({ length: 3000 }, idOf))].sort();
      const incidents = ids.map((id, k) => incidentOf({ id, customerId: customer.id, openedAt: instantAt(dayPlus('2026-02-01', k % 20), 10) }));
      const followUps = [];
      let expectedChecks = 0;
      let expectedSatisfied = 0;
      for (const incident of incidents) {
        const checks = Math.floor(random() * 3);
        for (let c = 0; c < checks; c++) {
          const satisfied = random() < 0.6;
          followUps.push(followUpOf({ customerId: customer.id, incidentId: incident.id, status: 'done', outcome: { satisfied }, doneAt: '2026-03-01T10:00:00+01:00' }));
          expectedChecks++;
          if (satisfied) expectedSatisfied++;
        }
      }
      // Follow-ups in the order of their own ids, as the store keeps them: not their incidents' order.
      followUps.sort((a, b) => (a.id < b.id ? -1 : 1)).reverse();
      const outcomes = computeTrends(bookOf({ customers: [customer], incidents, followUps }), { from: '2026-02-01', asOf: '2026-03-31', bucket: 'month' }).outcomes;
      assert.equal(outcomes.satisfactionChecks, expectedChecks, name);
      assert.equal(outcomes.satisfiedRate, Math.round((expectedSatisfied / expectedChecks) * 10000) / 10000, name);
    }
  });

  it('puts the checks in the order of their incident ids as text, so they are matched in one walk beside the incidents', () => {
    const random = seededRandom(11);
    const alphabet = '0123456789_abcdefghijklmnopqrstuvwxyz';
    const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const ids = Array.from({ length: 5000 }, (_, k) => (k % 3 === 0 ? `inc_${pick(14)}` : k % 3 === 1 ? `inc_2026${pick(1 + (k % 9))}` : `inc_${pick(4)}`));
    ids.push(...ids.slice(0, 500));
    const satisfied = ids.map(() => random() < 0.5);
    const { all, happy } = sortedChecks(ids, satisfied);
    assert.deepEqual(all, [...ids].sort());
    assert.deepEqual(happy, ids.filter((_, k) => satisfied[k]).sort());
  });

  it('keeps a monthly scorecard: written and oral complaints, referrals, repeat purchases, rework, response speed', () => {
    const report = computeTrends(book, { from: '2026-01-01', asOf: '2026-03-31', bucket: 'month' });
    assert.deepEqual(
      report.scorecard.map((row) => [row.month, row.written, row.oral, row.otherChannel, row.referrals, row.purchasingCustomers, row.repeatPurchaseRate, row.rework, row.medianHoursToFirstResponse]),
      [
        ['2026-01', 0, 0, 0, 0, 1, 0, 0, null],
        ['2026-02', 1, 1, 1, 2, 2, 0.5, 0, 2],
        ['2026-03', 0, 0, 0, 0, 0, null, 1, null],
      ],
    );
  });
});

describe('trend review: drilling into a bar or a cell', () => {
  const book = bookOf({
    incidents: randomIncidents({ seed: 11, incidents: 1500, staff: STAFF, firstDay: '2026-01-05', days: 84, hourWeights: BUSINESS_HOURS, components: ['billing', 'shop'] }),
  });
  const options = { asOf: '2026-03-31', bucket: 'week' as const };
  const report = computeTrends(book, options);

  it('lists exactly the incidents counted in a tag bar, a heatmap cell or a week', () => {
    const top = report.topComplaints[0];
    assert.equal(drill(book, options, { tag: top.tag }).length, top.count);
    assert.equal(drill(book, options, { weekday: 2, hour: 10 }).length, report.heatmapWeekdayHour[2][10]);
    const week = 3;
    assert.equal(drill(book, options, { bucket: report.series.buckets[week] }).length, report.series.total[week]);
    assert.equal(drill(book, options, { component: 'billing', category: 'people' }).length > 0, true);
  });

  it('lists the newest incident first', () => {
    const ids = drill(book, options, { staff: 'Ana' });
    const opened = ids.map((id) => Date.parse(book.incidents.find((incident) => incident.id === id)?.openedAt ?? ''));
    assert.deepEqual(
      opened,
      [...opened].sort((a, b) => b - a),
    );
  });
});
