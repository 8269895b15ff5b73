/**
 * A generator of incident books for validating spikes and release effects, independent of the
 * demo (src/domain/demo.ts): shifts that differ at weekends, shifts that start or end on the
 * half hour, short shifts, part-time and weekend-only staff, staff who take more or fewer of
 * the incidents, and hour and weekday weights. Whoever is on duty when an incident opens is
 * drawn among those on duty, by weight: with no planted effect nobody's hour is special.
 */
import type { LoyalFile } from '../../../src/domain/records';
import { bookOf, dayPlus, incidentOf, instantAt, releaseOf, seededRandom } from './trendsBuilders';

/** A shift: from and to in half hours of the day (19 = 09:30), [from, to). */
type Shift = [number, number];

interface Member {
  name: string;
  weight: number;
  weekday: Shift[];
  weekend: Shift[];
}

export const ROSTER: Member[] = [
  { name: 'Ada', weight: 1.5, weekday: [[16, 32]], weekend: [] }, // 08:00-16:00, weekdays only
  { name: 'Bo', weight: 1, weekday: [[24, 40]], weekend: [[20, 36]] }, // 12-20, weekends 10-18
  { name: 'Cy', weight: 0.8, weekday: [[19, 23]], weekend: [] }, // 09:30-11:30: a short half-hour shift
  { name: 'Di', weight: 1.2, weekday: [], weekend: [[16, 40]] }, // weekends only, 08-20
  { name: 'Ed', weight: 0.7, weekday: [[32, 40]], weekend: [] }, // part time, 16-20
  { name: 'Flo', weight: 1, weekday: [[14, 31]], weekend: [[18, 26]] }, // 07:00-15:30, weekends 09-13
  { name: 'Gus', weight: 1, weekday: [[20, 36]], weekend: [] }, // 10-18
  { name: 'Hana', weight: 0.9, weekday: [], weekend: [[25, 40]] }, // weekends 12:30-20:00
];

/** Incidents per half hour of the day (07:00-20:00), and per weekday (Monday first). */
const HALF_HOUR_WEIGHTS = Array.from({ length: 48 }, (_, k) => (k < 14 || k >= 40 ? 0 : 1 + 2 * Math.exp(-(((k - 22) / 5) ** 2)) + 1.5 * Math.exp(-(((k - 34) / 4) ** 2))));
const WEEKDAY_WEIGHTS = [1.3, 1, 1, 1, 1.1, 0.7, 0.5];

function onDuty(member: Member, weekday: number, halfHour: number): boolean {
  return (weekday >= 5 ? member.weekend : member.weekday).some(([from, to]) => halfHour >= from && halfHour < to);
}

function pick(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

export interface RosterBookOptions {
  seed: number;
  incidents: number;
  /** Weeks of log, from Monday 2026-01-05. */
  weeks: number;
  /** A planted spike: this member's incidents in this hour come `ratio` times as often. */
  spike?: { staff: string; hour: number; ratio: number };
}

const FIRST_DAY = '2026-01-05';

/** A book of `incidents` incidents (more with a planted spike), each with its staff member. */
export function rosterBook(options: RosterBookOptions): LoyalFile {
  const random = seededRandom(options.seed);
  const days = options.weeks * 7;
  const dayWeights = Array.from({ length: days }, (_, d) => WEEKDAY_WEIGHTS[d % 7]);
  const incidents = [];
  for (let i = 0; i < options.incidents; i++) {
    const d = pick(random, dayWeights);
    const weekday = d % 7;
    // Only times someone is on duty.
    const slotWeights = HALF_HOUR_WEIGHTS.map((w, k) => (ROSTER.some((m) => onDuty(m, weekday, k)) ? w : 0));
    const k = pick(random, slotWeights);
    const present = ROSTER.filter((m) => onDuty(m, weekday, k));
    const member =
      present[
        pick(
          random,
          present.map((m) => m.weight),
        )
      ];
    let copies = 1;
    const spike = options.spike;
    if (spike && member.name === spike.staff && k >> 1 === spike.hour) {
      // ratio 2: one extra copy; 2.5: one, and a second half the time.
      const extra = spike.ratio - 1;
      copies += Math.floor(extra) + (random() < extra - Math.floor(extra) ? 1 : 0);
    }
    for (let c = 0; c < copies; c++) {
      const minute = (k % 2) * 30 + Math.floor(random() * 30);
      incidents.push(incidentOf({ openedAt: instantAt(dayPlus(FIRST_DAY, d), k >> 1, minute), staff: member.name, customerId: `cus_${String(Math.floor(random() * 400)).padStart(4, '0')}` }));
    }
  }
  return bookOf({ incidents });
}

export const ROSTER_AS_OF = (weeks: number): string => dayPlus(FIRST_DAY, weeks * 7 - 1);

export interface ReleaseBookOptions {
  seed: number;
  incidents: number;
  weeks: number;
  /** The rate of `checkout` incidents from its release on, relative to before (1: no effect). */
  ratio: number;
}

/**
 * Incidents of three components (checkout, search, app) over `weeks` weeks with weekday
 * weights; checkout is released in the middle and its rate is `ratio` times higher from then
 * on; search and app are released on seeded days with no effect.
 */
export function releaseBook(options: ReleaseBookOptions): { file: LoyalFile; releaseDay: string } {
  const random = seededRandom(options.seed);
  const days = options.weeks * 7;
  const releaseDayIndex = Math.floor(days / 2);
  const components = ['checkout', 'search', 'app'];
  const componentWeights = [1, 1.2, 0.8];
  // Expected incidents per (day, component), then drawn in proportion.
  const cells: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let c = 0; c < components.length; c++) cells.push(WEEKDAY_WEIGHTS[d % 7] * componentWeights[c] * (c === 0 && d >= releaseDayIndex ? options.ratio : 1));
  }
  const incidents = [];
  for (let i = 0; i < options.incidents; i++) {
    const cell = pick(random, cells);
    const d = Math.floor(cell / components.length);
    const k = pick(random, HALF_HOUR_WEIGHTS);
    incidents.push(incidentOf({ openedAt: instantAt(dayPlus(FIRST_DAY, d), k >> 1, (k % 2) * 30 + Math.floor(random() * 30)), component: components[cell % components.length] }));
  }
  const releases = [
    releaseOf('checkout', '2.0.0', dayPlus(FIRST_DAY, releaseDayIndex)),
    releaseOf('search', '1.1.0', dayPlus(FIRST_DAY, 30 + Math.floor(random() * (days - 60)))),
    releaseOf('app', '3.2.0', dayPlus(FIRST_DAY, 30 + Math.floor(random() * (days - 60)))),
  ];
  return { file: bookOf({ incidents, releases }), releaseDay: dayPlus(FIRST_DAY, releaseDayIndex) };
}
