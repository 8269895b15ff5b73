/** Calendar-day arithmetic for YYYY-MM-DD strings (no time zones involved). */
import { daysFromCivil } from '../civilDays';

export { daysFromCivil };

/** Average month length in days (365.25 / 12); the models' month. */
export const DAYS_PER_MONTH = 365.25 / 12;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** Day number of a YYYY-MM-DD string; throws RangeError when it is not a valid date. */
export function dayNumber(date: string): number {
  if (date.length === 10 && date[4] === '-' && date[7] === '-') {
    const y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
    const m = digit(date, 5) * 10 + digit(date, 6);
    const d = digit(date, 8) * 10 + digit(date, 9);
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return daysFromCivil(y, m, d);
  }
  throw new RangeError(`Invalid date (expected YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** The YYYY-MM-DD string of a day number. */
export function dayString(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Day number of `day` plus `months` calendar months (clamped to the month's last day). */
export function addMonthsToDay(day: number, months: number): number {
  const dt = new Date(day * 86_400_000);
  const y0 = dt.getUTCFullYear();
  const m0 = dt.getUTCMonth() + months;
  const y = y0 + Math.floor(m0 / 12);
  const m = (((m0 % 12) + 12) % 12) + 1;
  const d = Math.min(dt.getUTCDate(), daysInMonth(y, m));
  return daysFromCivil(y, m, d);
}
