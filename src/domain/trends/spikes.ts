// Spikes: staff x hour cells of the trend review far above what the staff member's shifts
// and everyone's hours predict (SpikeModel, findSpikes), and the simpler quasi-independence
// fit the tests compare it with (expectedOnDuty).
import type { TrendSettings } from './scope';
import { benjaminiHochberg, binomialUpperTail, round } from './stats';
import type { Spike, StaffHourRow } from './types';

/**
 * Expected incidents per staff x hour cell when an incident's hour and the staff member on
 * duty are unrelated, given who is on duty when. Staff work shifts, so a staff member has
 * (almost) no incidents outside their hours; the plain row x column / N would then call
 * every hour of every shift a spike. The expected counts are those of the quasi-independence
 * model (expected = staff factor x hour factor on the cells where the staff member is on
 * duty, zero elsewhere), fitted by iterative proportional fitting so that every staff
 * member's and every hour's on-duty total is matched. When everybody covers every hour this
 * is exactly row total x column total / N. A cell counts as on duty when it holds at least a
 * tenth of that staff member's average per active hour (and at least one incident): the odd
 * incident logged outside a shift must not define the shift.
 */
export function expectedOnDuty(rows: ReadonlyArray<{ hours: readonly number[] }>): number[][] {
  const staffCount = rows.length;
  const onDuty = rows.map((row) => {
    const active = row.hours.filter((count) => count > 0);
    const mean = active.reduce((sum, count) => sum + count, 0) / Math.max(1, active.length);
    return row.hours.map((count) => count >= Math.max(1, 0.1 * mean));
  });
  const rowTotals = rows.map((row, s) => row.hours.reduce((sum, count, h) => sum + (onDuty[s][h] ? count : 0), 0));
  const hourTotals = new Array<number>(24).fill(0);
  rows.forEach((row, s) => row.hours.forEach((count, h) => (hourTotals[h] += onDuty[s][h] ? count : 0)));
  const staffFactor = new Array<number>(staffCount).fill(1);
  const hourFactor = new Array<number>(24).fill(1);
  for (let iteration = 0; iteration < 500; iteration++) {
    for (let s = 0; s < staffCount; s++) {
      let denominator = 0;
      for (let h = 0; h < 24; h++) if (onDuty[s][h]) denominator += hourFactor[h];
      staffFactor[s] = denominator > 0 ? rowTotals[s] / denominator : 0;
    }
    let change = 0;
    for (let h = 0; h < 24; h++) {
      let denominator = 0;
      for (let s = 0; s < staffCount; s++) if (onDuty[s][h]) denominator += staffFactor[s];
      const next = denominator > 0 ? hourTotals[h] / denominator : 0;
      change = Math.max(change, Math.abs(next - hourFactor[h]) / Math.max(1e-12, Math.abs(next)));
      hourFactor[h] = next;
    }
    if (change < 1e-10) break;
  }
  return rows.map((_, s) => hourFactor.map((factor, h) => (onDuty[s][h] ? staffFactor[s] * factor : 0)));
}

/** Columns of the spike model: 7 weekdays x 48 half hours. */
export const SLOT_COLUMNS = 7 * 48;
/** Incidents a day type (x half hour) must be predicted to hold before none there means off duty (P(X = 0 | 3) is 5%). How it was chosen: docs/ARCHITECTURE.md, "Why the trend pass is shaped so". */
const PRESENCE_MIN_MEAN = 3;

/**
 * The spike model's expected counts, fitted on staff x (weekday, half hour) counts:
 * - Presence is per staff member, day type (Monday-Friday, Saturday-Sunday) and half hour:
 *   an hour is on duty as before (a tenth of the staff member's mean per active hour), and a
 *   day type x half hour of it is off duty where the data say so firmly (see the constructor).
 *   Weekend rosters and shifts that start on the half hour are then modelled as they are,
 *   not averaged into the whole week or hour.
 * - Expected = staff factor x (weekday, half hour) factor on the cells where the staff member
 *   is on duty (quasi-independence, fitted by iterative proportional fitting): the incident
 *   rate of each weekday and half hour is shared by whoever is on duty, in proportion to
 *   each staff member's overall share.
 * - Leave one out: the expected count of a staff member's hour is fitted WITHOUT that hour's
 *   cells (they are left out of both margins), then predicted from the factors. Fitted with
 *   the cell in, a true 2x cell pulls its own expectation up and shows as about 1.4x.
 */
class SpikeModel {
  readonly staffCount: number;
  readonly onDuty: Uint8Array;
  private readonly counts: Float64Array;
  private readonly staffFactor: Float64Array;
  private readonly slotFactor: Float64Array;

  constructor(slots: readonly ArrayLike<number>[]) {
    const S = (this.staffCount = slots.length);
    this.counts = new Float64Array(S * SLOT_COLUMNS);
    this.onDuty = new Uint8Array(S * SLOT_COLUMNS);
    // Every staff member's incidents per day type (Monday-Friday, weekend) and half hour.
    const pooledKey = (c: number): number => (Math.floor(c / 48) >= 5 ? 48 : 0) + (c % 48);
    const allPooled = new Float64Array(96);
    const pooled = Array.from({ length: S }, () => new Float64Array(96));
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        const v = slots[s][c];
        this.counts[s * SLOT_COLUMNS + c] = v;
        pooled[s][pooledKey(c)] += v;
        allPooled[pooledKey(c)] += v;
      }
    }
    for (let s = 0; s < S; s++) {
      // 1. On duty in an hour (any day) with at least one incident and a tenth of the staff
      //    member's mean per active hour: the odd incident outside a shift defines no shift.
      const hours = new Float64Array(24);
      for (let k = 0; k < 96; k++) hours[(k % 48) >> 1] += pooled[s][k];
      let active = 0;
      let sum = 0;
      for (const v of hours) {
        if (v > 0) {
          active++;
          sum += v;
        }
      }
      const threshold = Math.max(1, (0.1 * sum) / Math.max(1, active));
      // 2. Within an hour on duty, a day type, then a half hour of it, is off duty only where the
      //    data say so firmly: at most a tenth of what the staff member's usual share of every
      //    incident there predicts, when that prediction is at least PRESENCE_MIN_MEAN. A chance
      //    zero in a quiet cell stays on duty.
      const off = new Uint8Array(96);
      // The staff member's usual share of the incidents where they have any.
      let mine = 0;
      let everyone = 0;
      for (let k = 0; k < 96; k++) {
        if (pooled[s][k] > 0) {
          mine += pooled[s][k];
          everyone += allPooled[k];
        }
      }
      const share = everyone > 0 ? mine / everyone : 0;
      const firmlyOff = (count: number, predicted: number): boolean => predicted >= PRESENCE_MIN_MEAN && count <= 0.1 * predicted;
      // A day type the staff member never works (a weekend-only or weekday-only roster), judged
      // on the whole day, where there is data enough; then hour by hour.
      const typeOff = [0, 48].map((base) => {
        let count = 0;
        let all = 0;
        let total = 0;
        for (let k = 0; k < 96; k++) {
          total += allPooled[k];
          if (k >= base && k < base + 48) {
            count += pooled[s][k];
            all += allPooled[k];
          }
        }
        return total > 0 && firmlyOff(count, (sum * all) / total);
      });
      for (let h = 0; h < 24; h++) {
        if (hours[h] < threshold) {
          for (const k of [2 * h, 2 * h + 1, 48 + 2 * h, 49 + 2 * h]) off[k] = 1;
          continue;
        }
        if (typeOff[0]) off[2 * h] = off[2 * h + 1] = 1;
        if (typeOff[1]) off[48 + 2 * h] = off[49 + 2 * h] = 1;
        // First the day type (its two half hours together), then each half hour of a day type on
        // duty, against what the staff member's usual share of the incidents would give there.
        for (const base of [0, 48]) {
          if (typeOff[base / 48]) continue;
          const k0 = base + 2 * h;
          const k1 = k0 + 1;
          if (firmlyOff(pooled[s][k0] + pooled[s][k1], share * (allPooled[k0] + allPooled[k1]))) {
            off[k0] = off[k1] = 1;
            continue;
          }
          if (firmlyOff(pooled[s][k0], share * allPooled[k0])) off[k0] = 1;
          if (firmlyOff(pooled[s][k1], share * allPooled[k1])) off[k1] = 1;
        }
      }
      for (let c = 0; c < SLOT_COLUMNS; c++) if (!off[pooledKey(c)]) this.onDuty[s * SLOT_COLUMNS + c] = 1;
    }
    this.staffFactor = new Float64Array(S).fill(1);
    this.slotFactor = new Float64Array(SLOT_COLUMNS).fill(1);
    this.fit(this.staffFactor, this.slotFactor, -1, -1, 500);
  }

  /** IPF on the on-duty cells, leaving out staff `ls`'s cells of hour `lh` (ls = -1: none). */
  private fit(a: Float64Array, b: Float64Array, ls: number, lh: number, maxIterations: number): void {
    const S = this.staffCount;
    const left = (s: number, c: number): boolean => s === ls && (c % 48) >> 1 === lh;
    const rowTotals = new Float64Array(S);
    const colTotals = new Float64Array(SLOT_COLUMNS);
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        const k = s * SLOT_COLUMNS + c;
        if (!this.onDuty[k] || left(s, c)) continue;
        rowTotals[s] += this.counts[k];
        colTotals[c] += this.counts[k];
      }
    }
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      for (let s = 0; s < S; s++) {
        let d = 0;
        for (let c = 0; c < SLOT_COLUMNS; c++) if (this.onDuty[s * SLOT_COLUMNS + c] && !left(s, c)) d += b[c];
        a[s] = d > 0 ? rowTotals[s] / d : 0;
      }
      let change = 0;
      for (let c = 0; c < SLOT_COLUMNS; c++) {
        let d = 0;
        for (let s = 0; s < S; s++) if (this.onDuty[s * SLOT_COLUMNS + c] && !left(s, c)) d += a[s];
        const next = d > 0 ? colTotals[c] / d : 0;
        change = Math.max(change, Math.abs(next - b[c]) / Math.max(1e-12, Math.abs(next)));
        b[c] = next;
      }
      if (change < 1e-9) break;
    }
  }

  /** Expected count of staff s in hour h with every cell in the fit. */
  expectedIn(s: number, h: number): number {
    return this.predict(this.staffFactor, this.slotFactor, s, h);
  }

  /**
   * Expected count of staff s in hour h from a fit that leaves that hour of theirs out, and
   * what the others on duty in the same cells logged (the conditional test needs both).
   */
  expectedLeavingOut(s: number, h: number): { expected: number; others: number } {
    const a = Float64Array.from(this.staffFactor);
    const b = Float64Array.from(this.slotFactor);
    this.fit(a, b, s, h, 500);
    let others = 0;
    for (let d = 0; d < 7; d++) {
      for (let k = 2 * h; k <= 2 * h + 1; k++) {
        const c = d * 48 + k;
        if (!this.onDuty[s * SLOT_COLUMNS + c]) continue;
        for (let o = 0; o < this.staffCount; o++) if (o !== s && this.onDuty[o * SLOT_COLUMNS + c]) others += this.counts[o * SLOT_COLUMNS + c];
      }
    }
    return { expected: this.predict(a, b, s, h), others };
  }

  private predict(a: Float64Array, b: Float64Array, s: number, h: number): number {
    let sum = 0;
    for (let d = 0; d < 7; d++) {
      for (let k = 2 * h; k <= 2 * h + 1; k++) {
        const c = d * 48 + k;
        if (this.onDuty[s * SLOT_COLUMNS + c]) sum += a[s] * b[c];
      }
    }
    return sum;
  }
}

/**
 * Staff x hour cells far above their expected count (see SpikeModel: presence per day type
 * and half hour, expected counts fitted without the cell). Each on-duty cell is tested with
 * a one-sided conditional binomial test: given the incidents of the cell's weekday x half-hour
 * cells (the staff member's and the others' on duty), P(X >= count) for a binomial with share
 * expected / (expected + others); the p-values of all on-duty
 * cells are adjusted by Benjamini-Hochberg, and a cell is a spike when its adjusted p-value is
 * at most the false discovery rate AND it has at least minSpikeCount incidents AND at least
 * minSpikeRatio times its expected count, so that a handful of late-night complaints alarms
 * nobody. Cells at or below their in-sample expected count, or under minSpikeCount, can be
 * no spike: they keep p = 1 (still counted by the adjustment) and skip the refit.
 */
export function findSpikes({ rows, slots, settings }: { rows: readonly StaffHourRow[]; slots: readonly ArrayLike<number>[]; settings: TrendSettings }): Spike[] {
  const model = new SpikeModel(slots);
  const cells: Array<Omit<Spike, 'adjustedPValue'>> = [];
  rows.forEach((row, s) => {
    for (let h = 0; h < 24; h++) {
      const inSample = model.expectedIn(s, h);
      if (inSample <= 0) continue;
      const count = row.hours[h];
      if (count <= inSample || count < settings.minSpikeCount) {
        cells.push({ staff: row.staff, hour: h, count, expected: inSample, pValue: 1, ratio: count / inSample });
        continue;
      }
      const { expected: mean, others } = model.expectedLeavingOut(s, h);
      // Given the incidents of those cells (this staff member's and the others'), this staff
      // member's count is binomial with share mean / (mean + others) when nothing is special:
      // the test then allows for the chance in the others' counts, which the expectation rests on.
      const pValue = mean > 0 ? binomialUpperTail(count, count + others, mean / (mean + others)) : 0;
      cells.push({ staff: row.staff, hour: h, count, expected: mean, pValue, ratio: mean > 0 ? count / mean : Infinity });
    }
  });
  const adjusted = benjaminiHochberg(cells.map((cell) => cell.pValue));
  return cells
    .map((cell, index) => ({ ...cell, adjustedPValue: adjusted[index] }))
    .filter((cell) => cell.adjustedPValue <= settings.falseDiscoveryRate && cell.count >= settings.minSpikeCount && cell.ratio >= settings.minSpikeRatio && Number.isFinite(cell.ratio))
    .sort((a, b) => a.pValue - b.pValue || b.ratio - a.ratio)
    .map((cell) => ({ ...cell, expected: round(cell.expected, 2), ratio: round(cell.ratio, 2) }));
}
