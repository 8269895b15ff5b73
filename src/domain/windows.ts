// The day windows of the rules, each written once: every part of Loyal (recovery outlook,
// customer risk, the trend review, the views, the CLI) asks these functions, so two places
// can never disagree on whether an incident is a repeat failure or recently resolved.
// Both count local calendar days (the user's time zone), not elapsed hours: a person reads
// "within 365 days" on a calendar.
import type { Incident } from './records';
import { dayNumber, instantMs, localDayNumberOfMs } from './book';

const DAY_MS = 86_400_000;

/**
 * Whether an incident opened at `laterMs` repeats a failure of the same customer opened at
 * `earlierMs`: the earlier one opened at or before it, on a local calendar day at most
 * `windowDays` before the later one's day. Two incidents 365 days and 22 hours apart are a
 * repeat in a 365-day window; an incident at the very same instant counts too. The local
 * days are worked out only near the edge of the window: a daylight-saving change moves a
 * day boundary by an hour, never by a day.
 */
export function isRepeatWithin(earlierMs: number, laterMs: number, windowDays: number): boolean {
  const gap = laterMs - earlierMs;
  if (!(gap >= 0)) return false;
  if (gap < (windowDays - 1) * DAY_MS) return true;
  if (gap > (windowDays + 2) * DAY_MS) return false;
  return localDayNumberOfMs(earlierMs) >= localDayNumberOfMs(laterMs) - windowDays;
}

/** Resolved incidents stay in the Incidents view this many days, so the follow-up can be checked. */
export const RECENTLY_RESOLVED_DAYS = 30;

/**
 * Whether an incident counts as recently resolved on `asOf` (YYYY-MM-DD): resolved on a
 * local calendar day no more than `days` before `asOf`.
 */
export function isRecentlyResolved(incident: Pick<Incident, 'resolvedAt'>, asOf: string, days: number = RECENTLY_RESOLVED_DAYS): boolean {
  if (incident.resolvedAt === undefined) return false;
  return localDayNumberOfMs(instantMs(incident.resolvedAt)) >= dayNumber(asOf) - days;
}
