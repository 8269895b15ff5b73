// Values as shops, payment processors, help desks and spreadsheets write them: amounts with
// a decimal comma or dot, thousands separators, currency symbols, a leading apostrophe
// (Excel's "keep this as text"); dates in ISO, with a space and an offset
// (2025-10-07 09:50:26 +0200), or day/month/year in either order.
import { Day } from '../records';
import { fromCents, normaliseAmount, toCents } from '../money';
import { instantOf } from '../time';

export type DecimalSeparator = 'dot' | 'comma';
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** A cell without a spreadsheet's text marker (a leading apostrophe, as Shopify writes zip codes). */
export function plain(text: string | undefined): string {
  if (text === undefined) return '';
  const trimmed = text.trim();
  return trimmed.startsWith("'") ? trimmed.slice(1).trim() : trimmed;
}

const CURRENCY_MARKS = /[$€£¥₹₽₩₺₪฿]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|CZK|HUF|NZD|kr|Fr)\b\.?/gi;

/**
 * Reads an amount as a decimal string with a dot ("1234.50"), or undefined. Without a
 * separator given, a lone comma followed by one or two digits is decimal (12,50) and with
 * both the last one is (1.234,50 / 1,234.50). Currency symbols and codes, spaces and
 * apostrophes grouping thousands (1'234.50 in Switzerland) are dropped; (12.50) and a
 * trailing minus are negative, as accounting exports write refunds.
 */
export function readAmount(text: string, decimal?: DecimalSeparator): string | undefined {
  let value = plain(text)
    .replace(CURRENCY_MARKS, '')
    .replace(/[\s\u00a0\u202f]/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(value)) [value, negative] = [value.slice(1, -1), true];
  if (value.endsWith('-')) [value, negative] = [value.slice(0, -1), true];
  if (value.startsWith('-')) [value, negative] = [value.slice(1), !negative];
  if (value.startsWith('+')) value = value.slice(1);
  if (!value) return undefined;
  let read: string | undefined;
  if (decimal === undefined) read = normaliseAmount(value.replace(/'/g, ''));
  else {
    const [group, point] = decimal === 'comma' ? ["[.']", ','] : ["[,']", '.'];
    const parts = value.split(point);
    // Group separators only every three digits: with a decimal comma, 12.50 is not 1250.
    const whole = new RegExp(`^(\\d+|\\d{1,3}(${group}\\d{3})+)$`);
    if (parts.length <= 2 && whole.test(parts[0]) && (parts.length === 1 || /^\d{1,2}$/.test(parts[1]))) {
      const digits = parts[0].replace(new RegExp(group, 'g'), '');
      if (/^\d{1,13}$/.test(digits)) read = fromCents(toCents(parts.length === 2 ? `${digits}.${parts[1]}` : digits));
    }
  }
  if (read === undefined) return undefined;
  return negative && read !== '0.00' ? fromCents(-toCents(read)) : read;
}

export interface ReadMoment {
  /** The calendar day as written (the shop's or help desk's own day). */
  day: string;
  /** The moment with its offset; a time without offset is local, or UTC when the column says so. */
  instant: string;
}

const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(AM|PM)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const DMY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(AM|PM)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Reads a date, with or without a time and an offset. `format` decides day/month order for
 * 03/04/2024 (DD/MM/YYYY in Europe, MM/DD/YYYY in the US); ISO dates are read whatever the
 * format. `utc` reads a time without offset as UTC (Stripe's "Created date (UTC)").
 */
export function readMoment(text: string, format: DateFormat = 'YYYY-MM-DD', utc = false): ReadMoment | undefined {
  const value = plain(text);
  let y: number, mo: number, d: number, rest: Array<string | undefined>;
  let match = YMD.exec(value);
  if (match) {
    [y, mo, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    rest = match.slice(4);
  } else {
    match = DMY.exec(value);
    if (!match || format === 'YYYY-MM-DD') return undefined;
    const [a, b] = [Number(match[1]), Number(match[2])];
    [d, mo] = format === 'DD/MM/YYYY' ? [a, b] : [b, a];
    y = Number(match[3]);
    if (match[3].length === 2) y += y < 70 ? 2000 : 1900;
    rest = match.slice(4);
  }
  const day = `${y}-${pad(mo)}-${pad(d)}`;
  if (!Day.safeParse(day).success) return undefined;
  const [hText, miText, sText, ampm, offsetText] = rest;
  let h = hText === undefined ? 0 : Number(hText);
  const mi = miText === undefined ? 0 : Number(miText);
  const s = sText === undefined ? 0 : Number(sText);
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const clock = `${pad(h)}:${pad(mi)}:${pad(s)}`;
  let offset = offsetText?.toUpperCase();
  if (offset === 'UTC' || offset === 'GMT') offset = 'Z';
  if (!offset && utc) offset = 'Z';
  if (offset) {
    if (offset !== 'Z') {
      offset = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
      if (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59) return undefined;
    }
    return { day, instant: `${day}T${clock}${offset}` };
  }
  return { day, instant: instantOf(new Date(y, mo - 1, d, h, mi, s)) };
}

/**
 * The date formats that read every sample: a file with 15/01/2024 is DD/MM, one with
 * 01/15/2024 is MM/DD, one with only 03/04/2024 is ambiguous (both stay possible).
 */
export function possibleDateFormats(samples: readonly string[]): DateFormat[] {
  const present = samples.map(plain).filter((s) => s !== '');
  if (present.length === 0) return [...DATE_FORMATS];
  return DATE_FORMATS.filter((format) => present.every((sample) => readMoment(sample, format) !== undefined));
}
