// Indexes over one version of a book, shared by every rule that reads the whole book (the
// morning review, risk, quiet customers, keep-in-touch), so a book with 100k incidents is
// walked a handful of times instead of once per customer. Each map is built the first time
// it is asked for: the review needs only a few of them, and it runs on the UI path.
// The index is a snapshot: callers rebuild it when the book changes (the session keeps one
// per store version).
import { civilFromDays, daysFromCivil } from './civilDays';

const DAY_MS = 86_400_000;
import type { Contact, Customer, FollowUp, HandwrittenNote, Incident, LoyalFile, Purchase, Subscription } from './records';

export interface BookIndex {
  readonly file: LoyalFile;
  readonly customersById: ReadonlyMap<string, Customer>;
  /** The key each customer had in the system it was imported from. */
  readonly customersByExternalId: ReadonlyMap<string, Customer>;
  readonly incidentsById: ReadonlyMap<string, Incident>;
  readonly followUpsById: ReadonlyMap<string, FollowUp>;
  readonly notesById: ReadonlyMap<string, HandwrittenNote>;
  /** Each customer's incidents, oldest first (by the instant they were opened, then id). */
  readonly incidentsByCustomer: ReadonlyMap<string, readonly Incident[]>;
  /** Epoch milliseconds at which each incident of `incidentsByCustomer` was opened, same order. */
  readonly incidentTimesByCustomer: ReadonlyMap<string, readonly number[]>;
  readonly purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>;
  readonly subscriptionsByCustomer: ReadonlyMap<string, readonly Subscription[]>;
  readonly contactsByCustomer: ReadonlyMap<string, readonly Contact[]>;
  readonly followUpsByCustomer: ReadonlyMap<string, readonly FollowUp[]>;
  readonly followUpsByIncident: ReadonlyMap<string, readonly FollowUp[]>;
  readonly notesByCustomer: ReadonlyMap<string, readonly HandwrittenNote[]>;
  readonly pendingFollowUps: readonly FollowUp[];
  /** Notes still to write or to post. */
  readonly openNotes: readonly HandwrittenNote[];
  /**
   * Each customer's activity days as day numbers (see `dayNumber`), distinct and ascending:
   * purchase days, local days of contacts and of completed follow-ups (each one is the
   * customer buying or answering).
   */
  readonly activityDayNumbersByCustomer: ReadonlyMap<string, readonly number[]>;
  /** The same activity days written YYYY-MM-DD. */
  readonly activityDaysByCustomer: ReadonlyMap<string, readonly string[]>;
  /**
   * The same index, except that `incidentsByCustomer` and `incidentTimesByCustomer` hold
   * only the incidents opened at or after `sinceMs` (same order). For rules that look at
   * recent incidents only: grouping every incident of a big book is what they would
   * otherwise wait for. The other maps are shared with this index.
   */
  withIncidentsSince(sinceMs: number): BookIndex;
}

export function indexBook(file: LoyalFile): BookIndex {
  return new LazyBookIndex(file);
}

class LazyBookIndex implements BookIndex {
  /** The cache key of the incident groups, made once: the getters run once per customer. */
  private readonly incidentGroupsKey: string;

  constructor(
    readonly file: LoyalFile,
    private readonly cache = new Map<string, unknown>(),
    /** Incidents opened before this instant are left out of the incident groups. */
    private readonly incidentsSinceMs = -Infinity,
  ) {
    this.incidentGroupsKey = incidentsSinceMs === -Infinity ? 'incidentGroups' : `incidentGroups:${incidentsSinceMs}`;
  }

  withIncidentsSince(sinceMs: number): BookIndex {
    return this.once(`since:${sinceMs}`, () => new LazyBookIndex(this.file, this.cache, sinceMs));
  }

  private once<T>(key: string, build: () => T): T {
    let value = this.cache.get(key) as T | undefined;
    if (value === undefined) {
      value = build();
      this.cache.set(key, value);
    }
    return value;
  }

  get customersById(): ReadonlyMap<string, Customer> {
    return this.once('customersById', () => byId(this.file.customers));
  }
  get customersByExternalId(): ReadonlyMap<string, Customer> {
    return this.once('customersByExternalId', () => {
      const map = new Map<string, Customer>();
      for (const c of this.file.customers) if (c.externalId) map.set(c.externalId, c);
      return map;
    });
  }
  get incidentsById(): ReadonlyMap<string, Incident> {
    return this.once('incidentsById', () => byId(this.file.incidents));
  }
  get followUpsById(): ReadonlyMap<string, FollowUp> {
    return this.once('followUpsById', () => byId(this.file.followUps));
  }
  get notesById(): ReadonlyMap<string, HandwrittenNote> {
    return this.once('notesById', () => byId(this.file.notes));
  }
  get incidentsByCustomer(): ReadonlyMap<string, readonly Incident[]> {
    return this.incidentGroups().incidents;
  }
  get incidentTimesByCustomer(): ReadonlyMap<string, readonly number[]> {
    return this.incidentGroups().times;
  }
  get purchasesByCustomer(): ReadonlyMap<string, readonly Purchase[]> {
    return this.once('purchasesByCustomer', () => byCustomer(this.file.purchases));
  }
  get subscriptionsByCustomer(): ReadonlyMap<string, readonly Subscription[]> {
    return this.once('subscriptionsByCustomer', () => byCustomer(this.file.subscriptions));
  }
  get contactsByCustomer(): ReadonlyMap<string, readonly Contact[]> {
    return this.once('contactsByCustomer', () => byCustomer(this.file.contacts));
  }
  get followUpsByCustomer(): ReadonlyMap<string, readonly FollowUp[]> {
    return this.once('followUpsByCustomer', () => byCustomer(this.file.followUps));
  }
  get followUpsByIncident(): ReadonlyMap<string, readonly FollowUp[]> {
    return this.once('followUpsByIncident', () => {
      const map = new Map<string, FollowUp[]>();
      for (const f of this.file.followUps) if (f.incidentId !== undefined) push(map, f.incidentId, f);
      return map;
    });
  }
  get notesByCustomer(): ReadonlyMap<string, readonly HandwrittenNote[]> {
    return this.once('notesByCustomer', () => byCustomer(this.file.notes));
  }
  get pendingFollowUps(): readonly FollowUp[] {
    return this.once('pendingFollowUps', () => this.file.followUps.filter((f) => f.status === 'pending'));
  }
  get openNotes(): readonly HandwrittenNote[] {
    return this.once('openNotes', () => this.file.notes.filter((n) => n.status !== 'sent'));
  }
  get activityDayNumbersByCustomer(): ReadonlyMap<string, readonly number[]> {
    return this.once('activityDayNumbers', () => {
      const map = new Map<string, number[]>();
      for (const p of this.file.purchases) push(map, p.customerId, dayNumber(p.date));
      for (const c of this.file.contacts) push(map, c.customerId, localDayNumberOfMs(instantMs(c.at)));
      for (const f of this.file.followUps) {
        if (f.status === 'done' && f.doneAt !== undefined) push(map, f.customerId, localDayNumberOfMs(instantMs(f.doneAt)));
      }
      for (const days of map.values()) distinctSorted(days);
      return map;
    });
  }
  get activityDaysByCustomer(): ReadonlyMap<string, readonly string[]> {
    return this.once('activityDays', () => {
      const map = new Map<string, string[]>();
      for (const [customerId, days] of this.activityDayNumbersByCustomer) map.set(customerId, days.map(dayFromNumber));
      return map;
    });
  }

  private incidentGroups(): { incidents: Map<string, Incident[]>; times: Map<string, number[]> } {
    const since = this.incidentsSinceMs;
    return this.once(this.incidentGroupsKey, () => {
      const all = since === -Infinity ? undefined : (this.cache.get('incidentGroups') as { incidents: Map<string, Incident[]>; times: Map<string, number[]> } | undefined);
      if (all) return recentGroups(all, since);
      // One map lookup per incident; the two public maps are made from the groups after.
      const groups = new Map<string, { incidents: Incident[]; times: number[] }>();
      let leftOut = 0;
      const olderThan = since === -Infinity ? '' : writtenDaysBefore(since);
      for (const incident of this.file.incidents) {
        if (incident.openedAt < olderThan) {
          leftOut++;
          continue;
        }
        const ms = instantMs(incident.openedAt);
        if (ms < since) {
          leftOut++;
          continue;
        }
        const group = groups.get(incident.customerId);
        if (group) {
          group.incidents.push(incident);
          group.times.push(ms);
        } else {
          groups.set(incident.customerId, { incidents: [incident], times: [ms] });
        }
      }
      const incidents = new Map<string, Incident[]>();
      const times = new Map<string, number[]>();
      for (const [customerId, group] of groups) {
        sortByTime(group.incidents, group.times);
        incidents.set(customerId, group.incidents);
        times.set(customerId, group.times);
      }
      // Nothing older on the book: these are every incident's groups too, not worth a second pass.
      if (leftOut === 0 && !this.cache.has('incidentGroups')) this.cache.set('incidentGroups', { incidents, times });
      return { incidents, times };
    });
  }
}

/** The groups of incidents opened at or after `since`, cut from the groups of every incident (sorted by time). */
function recentGroups(all: { incidents: Map<string, Incident[]>; times: Map<string, number[]> }, since: number): { incidents: Map<string, Incident[]>; times: Map<string, number[]> } {
  const incidents = new Map<string, Incident[]>();
  const times = new Map<string, number[]>();
  for (const [customerId, list] of all.incidents) {
    const customerTimes = all.times.get(customerId)!;
    let first = customerTimes.length;
    while (first > 0 && !(customerTimes[first - 1] < since)) first--;
    if (first === customerTimes.length) continue;
    incidents.set(customerId, first === 0 ? list : list.slice(first));
    times.set(customerId, first === 0 ? customerTimes : customerTimes.slice(first));
  }
  return { incidents, times };
}

/** A customer by id, or by the key it had in the system it was imported from. */
export function findCustomer(book: BookIndex, idOrExternalId: string): Customer | undefined {
  return book.customersById.get(idOrExternalId) ?? book.customersByExternalId.get(idOrExternalId);
}

/** The customer's last activity day on or before `asOf` (every day when omitted), if any. */
export function lastActivityDay(book: BookIndex, customerId: string, asOf?: string): string | undefined {
  const days = activityDayNumbersUntil(book, customerId, asOf === undefined ? Infinity : dayNumber(asOf));
  return days.length === 0 ? undefined : dayFromNumber(days[days.length - 1]);
}

/** Activity days on or before `asOf`, ascending. */
export function activityDaysUntil(book: BookIndex, customerId: string, asOf: string): string[] {
  return activityDayNumbersUntil(book, customerId, dayNumber(asOf)).map(dayFromNumber);
}

/** Activity day numbers on or before the day number `until`, ascending. */
export function activityDayNumbersUntil(book: BookIndex, customerId: string, until: number): readonly number[] {
  const days = book.activityDayNumbersByCustomer.get(customerId);
  if (!days || days.length === 0) return [];
  if (days[days.length - 1] <= until) return days;
  let n = days.length;
  while (n > 0 && days[n - 1] > until) n--;
  return days.slice(0, n);
}

// Fast date arithmetic for whole-book passes: date-fns and Date.parse cost microseconds per
// call, a visible pause over 100k records. Days are counted with the civil-calendar
// formula; local days (the user's time zone) go through the Date fields.

/**
 * A day as a count of days since 1970-01-01; differences are calendar-day counts whatever
 * the time zone or daylight-saving changes, because no clock time is involved.
 */
export function dayNumber(day: string): number {
  return daysFromCivil(digits(day, 0, 4), digits(day, 5, 2), digits(day, 8, 2));
}

/**
 * A day such that an instant written on an earlier day (`instant < day` as text) is before
 * `ms` whatever its UTC offset (offsets stay within a day): a filter that needs no parsing.
 */
export function writtenDaysBefore(ms: number): string {
  return dayFromNumber(Math.floor(ms / DAY_MS) - 2);
}

export function dayFromNumber(n: number): string {
  const [y, m, d] = civilFromDays(n);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * Epoch milliseconds of an instant. The shape the app writes (seconds, `Z` or `±HH:MM`) is
 * read arithmetically; anything else (fractions of a second) goes to Date.parse.
 */
export function instantMs(instant: string): number {
  const length = instant.length;
  if ((length === 20 || length === 25) && instant.charCodeAt(10) === 84 /* T */) {
    const y = digits(instant, 0, 4);
    const mo = digits(instant, 5, 2);
    const d = digits(instant, 8, 2);
    const h = digits(instant, 11, 2);
    const mi = digits(instant, 14, 2);
    const s = digits(instant, 17, 2);
    if ((y | mo | d | h | mi | s) >= 0) {
      let offset = 0;
      if (length === 25) {
        const sign = instant.charCodeAt(19);
        const oh = digits(instant, 20, 2);
        const om = digits(instant, 23, 2);
        if ((sign === 43 || sign === 45) && (oh | om) >= 0) offset = (sign === 45 ? -1 : 1) * (oh * 60 + om);
        else return Date.parse(instant);
      } else if (instant.charCodeAt(19) !== 90 /* Z */) {
        return Date.parse(instant);
      }
      return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi - offset) * 60_000 + s * 1000;
    }
  }
  return Date.parse(instant);
}

/** The local calendar day (YYYY-MM-DD) of an instant written with any offset. */
export function localDayOfInstant(instant: string): string {
  return dayFromNumber(localDayNumberOfMs(instantMs(instant)));
}

/** The day number of the local calendar day on which the instant `ms` falls. */
export function localDayNumberOfMs(ms: number): number {
  const d = new Date(ms);
  return daysFromCivil(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** Local midnight, in epoch milliseconds, of the day `days` calendar days after `day`. */
export function localMidnightMs(day: string, days = 0): number {
  return new Date(digits(day, 0, 4), digits(day, 5, 2) - 1, digits(day, 8, 2) + days).getTime();
}

/** Reads `count` decimal digits at `start`, or -1 when one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function byId<T extends { id: string }>(records: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const r of records) map.set(r.id, r);
  return map;
}

function byCustomer<T extends { customerId: string }>(records: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of records) push(map, r.customerId, r);
  return map;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function distinctSorted(days: number[]): void {
  if (days.length > 1) days.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < days.length; i++) if (n === 0 || days[i] !== days[n - 1]) days[n++] = days[i];
  days.length = n;
}

/** Sorts incidents and their times together, by time then id (insertion sort: lists are short). */
function sortByTime(incidents: Incident[], times: number[]): void {
  if (incidents.length > 64) {
    const order = incidents.map((_, i) => i).sort((a, b) => times[a] - times[b] || compareIds(incidents[a].id, incidents[b].id));
    const sortedIncidents = order.map((i) => incidents[i]);
    const sortedTimes = order.map((i) => times[i]);
    for (let i = 0; i < order.length; i++) {
      incidents[i] = sortedIncidents[i];
      times[i] = sortedTimes[i];
    }
    return;
  }
  for (let i = 1; i < incidents.length; i++) {
    const incident = incidents[i];
    const time = times[i];
    let j = i - 1;
    while (j >= 0 && (times[j] > time || (times[j] === time && incidents[j].id > incident.id))) {
      incidents[j + 1] = incidents[j];
      times[j + 1] = times[j];
      j--;
    }
    incidents[j + 1] = incident;
    times[j + 1] = time;
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
