// Reading flag values: each is checked with the record schema's own field, so a message
// names the flag and says what it expects ("--date: must be a date written YYYY-MM-DD").
// A value that cannot be read is wrong usage (exit 2), found before the book is opened.
import type { z } from 'zod';
import { INSTANT_HINT, readInstant } from '../domain/csv';
import { fromCents, toCents } from '../domain/money';
import { UsageError } from './errors';

/** A value as a message quotes it: a long one (a paste gone wrong) is cut, with its length. */
function quoted(value: unknown): string {
  const text = String(value);
  return text.length <= 80 ? `"${text}"` : `"${text.slice(0, 60)}…" (${text.length} characters)`;
}

export function check<T>(flag: string, schema: z.ZodType<T>, value: unknown, command?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`--${flag}: ${quoted(value)} ${result.error.issues[0].message}`, command);
  return result.data;
}

export function readAmountFlag(flag: string, value: string, command?: string): string {
  const text = value.trim();
  if (!/^-?\d{1,13}(\.\d{1,2})?$/.test(text)) throw new UsageError(`--${flag}: "${value}" must be an amount such as 129.90 (dot as decimal separator, at most two decimals)`, command);
  return fromCents(toCents(text));
}

export function readInstantFlag(flag: string, value: string, command?: string): string {
  const instant = readInstant(value);
  if (!instant) throw new UsageError(`--${flag}: "${value}" ${INSTANT_HINT}`, command);
  return instant;
}

export function readNumberFlag(flag: string, value: string, integer: boolean, command?: string): number {
  const text = value.trim();
  const pattern = integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  if (!pattern.test(text)) throw new UsageError(`--${flag}: "${value}" must be ${integer ? 'a whole number' : 'a number'}`, command);
  return Number(text);
}

export function readEnumFlag<T extends string>(flag: string, value: string, values: readonly T[], command?: string): T {
  const lower = value.trim().toLowerCase() as T;
  if (!values.includes(lower)) throw new UsageError(`--${flag}: "${value}" must be one of ${values.join(', ')}`, command);
  return lower;
}

export function readYesNoFlag(flag: string, value: string, command?: string): boolean {
  const lower = value.trim().toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(lower)) return true;
  if (['no', 'n', 'false', '0'].includes(lower)) return false;
  throw new UsageError(`--${flag}: "${value}" must be yes or no`, command);
}

export function readCountFlag(flag: string, value: string | undefined, fallback: number, max: number, command?: string): number {
  if (value === undefined) return fallback;
  const count = readNumberFlag(flag, value, true, command);
  if (count < 0 || count > max) throw new UsageError(`--${flag}: must be from 0 to ${max}`, command);
  return count;
}
