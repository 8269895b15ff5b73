// Test data for the trend review: incidents built field by field and seeded random books,
// so every test is deterministic and every record passes the file's schema.
import type { Customer, FollowUp, Incident, LoyalFile, Purchase, Release } from '../../../src/domain/records';
import { emptyFile } from '../../../src/domain/records';

/** Mulberry32: a small seeded PRNG, good enough for test books. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 0;
function nextId(prefix: string): string {
  counter++;
  return `${prefix}_${counter.toString(36).padStart(8, '0')}`;
}

const AUDIT_AT = '2025-01-01T09:00:00+01:00';
const audit = { createdAt: AUDIT_AT, createdBy: 'test', updatedAt: AUDIT_AT, updatedBy: 'test' };

export function incidentOf(fields: Partial<Incident> & { openedAt: string }): Incident {
  return {
    id: nextId('inc'),
    customerId: 'cus_0000',
    channel: 'email',
    category: 'product',
    severity: 'minor',
    cause: 'unknown',
    summary: '',
    tags: [],
    reopenCount: 0,
    ...audit,
    ...fields,
  };
}

export function customerOf(fields: Partial<Customer> = {}): Customer {
  return { id: nextId('cus'), name: 'Customer', tags: [], archived: false, ...audit, ...fields };
}

export function purchaseOf(fields: Partial<Purchase> & { customerId: string; date: string }): Purchase {
  return { id: nextId('pur'), amount: '10.00', currency: 'EUR', ...audit, ...fields };
}

export function followUpOf(fields: Partial<FollowUp> & { customerId: string }): FollowUp {
  return { id: nextId('fol'), kind: 'satisfaction-check', due: '2026-01-01', status: 'pending', ...audit, ...fields };
}

export function releaseOf(component: string, version: string, date: string): Release {
  return { id: nextId('rel'), component, version, date, source: 'manual', ...audit };
}

export function bookOf(parts: Partial<LoyalFile>): LoyalFile {
  return { ...emptyFile(), ...parts };
}

/** The day `offset` days after a YYYY-MM-DD, in UTC arithmetic (no time zone involved). */
export function dayPlus(day: string, offset: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

export function instantAt(day: string, hour: number, minute = 0, offset = '+01:00'): string {
  return `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${offset}`;
}

function pickWeighted(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** Opening hours of a shop: most complaints during the day, a few at night. */
export const BUSINESS_HOURS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 8, 9, 10, 10, 9, 8, 6, 4, 3, 2, 1, 1];
export const UNIFORM_HOURS = new Array<number>(24).fill(1);

export interface RandomBookOptions {
  seed: number;
  incidents: number;
  staff: string[];
  components?: string[];
  tags?: string[];
  firstDay: string;
  days: number;
  /** Relative weight of each hour of the day, the same for every staff member (no effect). */
  hourWeights?: readonly number[];
  customers?: number;
  /** [first hour, last hour] of each staff member's shift: an incident goes to someone on duty. */
  shifts?: Array<[number, number]>;
}

function staffOnDuty(random: () => number, options: RandomBookOptions, hour: number): string {
  const shifts = options.shifts;
  const onDuty = shifts === undefined ? options.staff : options.staff.filter((_, s) => hour >= shifts[s][0] && hour <= shifts[s][1]);
  const pool = onDuty.length > 0 ? onDuty : options.staff;
  return pool[Math.floor(random() * pool.length)];
}

/** Incidents spread at random, with staff, hour, day and component drawn independently. */
export function randomIncidents(options: RandomBookOptions): Incident[] {
  const random = seededRandom(options.seed);
  const hours = options.hourWeights ?? UNIFORM_HOURS;
  const components = options.components ?? ['shop'];
  const tags = options.tags ?? ['late delivery', 'wrong item', 'rude reply', 'billing error', 'broken', 'slow site'];
  const customers = options.customers ?? 500;
  const categories = ['product', 'people', 'timeliness', 'process', 'other'] as const;
  const channels = ['email', 'phone', 'in-person', 'chat', 'social', 'other'] as const;
  const result: Incident[] = [];
  for (let i = 0; i < options.incidents; i++) {
    const day = dayPlus(options.firstDay, Math.floor(random() * options.days));
    const hour = pickWeighted(random, hours);
    result.push(
      incidentOf({
        customerId: `cus_${Math.floor(random() * customers)
          .toString(36)
          .padStart(4, '0')}`,
        openedAt: instantAt(day, hour, Math.floor(random() * 60)),
        staff: staffOnDuty(random, options, hour),
        component: components[Math.floor(random() * components.length)],
        category: categories[Math.floor(random() * categories.length)],
        channel: channels[Math.floor(random() * channels.length)],
        tags: [tags[Math.floor(random() * tags.length)]],
      }),
    );
  }
  return result;
}
