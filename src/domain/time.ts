// Dates in the file: calendar days (YYYY-MM-DD, the user's time zone) and instants
// with their UTC offset. All arithmetic goes through date-fns.
import { addDays, differenceInCalendarDays, format, formatISO, parseISO } from 'date-fns';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** The calendar day of a date in the local time zone. */
export function dayOf(date: Date): string {
  return format(date, 'yyyy-MM-dd');
}

export function today(clock: Clock = systemClock): string {
  return dayOf(clock.now());
}

/** An instant written with the local offset, e.g. 2026-03-02T09:15:00+01:00. */
export function instantOf(date: Date): string {
  return formatISO(date);
}

export function nowInstant(clock: Clock = systemClock): string {
  return instantOf(clock.now());
}

/** Local midnight of a calendar day. */
export function dayStart(day: string): Date {
  return parseISO(day);
}

/** Adds calendar days (not 24-hour periods: a daylight-saving change does not shift the day). */
export function addCalendarDays(day: string, days: number): string {
  return dayOf(addDays(parseISO(day), days));
}

export function daysBetween(fromDay: string, toDay: string): number {
  return differenceInCalendarDays(parseISO(toDay), parseISO(fromDay));
}

/** The local calendar day on which an instant falls. */
export function dayOfInstant(instant: string): string {
  return dayOf(new Date(instant));
}
