// Day and instant arithmetic for the trend pass. Half a million incidents must be read in
// well under a second, so instants are read field by field from their text instead of
// through a Date per incident. Every hour and weekday here is the wall clock of the
// offset written in the instant: a complaint logged at 09:15+01:00 counts at 9 o'clock,
// which is the hour the staff member on duty lived through, whatever the reader's zone.
import { civilFromDays, daysFromCivil } from '../civilDays';

export { civilFromDays, daysFromCivil };

// The file is validated before any report is made, so digits are read without checks:
// this is the innermost loop of the trend pass.
function two(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

function four(text: string, at: number): number {
  return two(text, at) * 100 + two(text, at + 2);
}

/** Day number of the YYYY-MM-DD that starts a day or an instant (its written, local date). */
export function dayNumberOf(text: string): number {
  return daysFromCivil(four(text, 0), two(text, 5), two(text, 8));
}

/** The wall-clock hour (0-23) written in an instant such as 2026-03-02T09:15:00+01:00. */
export function hourOf(instant: string): number {
  return two(instant, 11);
}

/** The wall-clock minute (0-59) written in an instant. */
export function minuteOf(instant: string): number {
  return two(instant, 14);
}

/** Weekday of a day number, Monday = 0 ... Sunday = 6 (ISO order). 1970-01-01 was a Thursday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** Seconds since the epoch of an instant with its offset (`Z` or ±HH:MM; fractions ignored). */
export function epochSecondsOf(instant: string): number {
  const local = dayNumberOf(instant) * 86400 + two(instant, 11) * 3600 + two(instant, 14) * 60 + two(instant, 17);
  const end = instant.length;
  if (instant.charCodeAt(end - 1) === 90 /* Z */) return local;
  const sign = instant.charCodeAt(end - 6) === 45 /* - */ ? -1 : 1;
  const offset = two(instant, end - 5) * 3600 + two(instant, end - 2) * 60;
  return local - sign * offset;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function dayText(dayNumber: number): string {
  const [y, m, d] = civilFromDays(dayNumber);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Months since year 0 of a day number, so consecutive months are consecutive integers. */
export function monthIndexOf(dayNumber: number): number {
  const [y, m] = civilFromDays(dayNumber);
  return y * 12 + (m - 1);
}

export function monthText(monthIndex: number): string {
  return `${pad(Math.floor(monthIndex / 12), 4)}-${pad((monthIndex % 12) + 1, 2)}`;
}

export function monthStartDay(monthIndex: number): number {
  return daysFromCivil(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
}

/** The Monday that starts the ISO week of a day number. */
export function weekStartOf(dayNumber: number): number {
  return dayNumber - weekdayOf(dayNumber);
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Day number of a YYYY-MM-DD given by a caller; throws a RangeError naming the option otherwise. */
export function parseDayOption(name: string, value: string): number {
  if (!DAY_PATTERN.test(value)) throw new RangeError(`${name} must be a date written YYYY-MM-DD, got "${value}"`);
  const n = dayNumberOf(value);
  if (dayText(n) !== value) throw new RangeError(`${name} is not a real calendar date: "${value}"`);
  return n;
}

// The first pass of the trend pass reads hundreds of thousands of dates: days of months
// 1900-2199 come from a table (anything outside falls back to the general formula), and the
// day of an instant, read once, gives its epoch seconds too. Callers in the hot loop bind
// these to local constants (see columns.ts).
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const MONTH_START_TABLE = (() => {
  const table = new Int32Array(TABLE_YEARS * 12);
  for (let y = 0; y < TABLE_YEARS; y++) for (let m = 0; m < 12; m++) table[y * 12 + m] = daysFromCivil(TABLE_FIRST_YEAR + y, m + 1, 1);
  return table;
})();

/** Same as dayNumberOf (validated text), through the table of month starts. */
export function fastDayNumber(text: string): number {
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const y = year - TABLE_FIRST_YEAR;
  if (y >= 0 && y < TABLE_YEARS) return MONTH_START_TABLE[y * 12 + month - 1] + day - 1;
  return daysFromCivil(year, month, day);
}

/** Same as epochSecondsOf, given the day number already read from the instant. */
export function fastEpochSeconds(instant: string, dayNumber: number): number {
  const local = dayNumber * 86400 + two(instant, 11) * 3600 + two(instant, 14) * 60 + two(instant, 17);
  const end = instant.length;
  if (instant.charCodeAt(end - 1) === 90 /* Z */) return local;
  const sign = instant.charCodeAt(end - 6) === 45 /* - */ ? -1 : 1;
  return local - sign * (two(instant, end - 5) * 3600 + two(instant, end - 2) * 60);
}
