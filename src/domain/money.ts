// Amounts are decimal strings in the file and integer cents in arithmetic.

export function toCents(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

export function fromCents(cents: number): string {
  const rounded = Math.round(cents);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Reads what a person typed as an amount string, or undefined: "1,234.50", "12", "12.5",
 * and the decimal comma of French and Italian ("12,50", "1.234,50", "1 234,50").
 * With both separators the last one is the decimal point; a lone comma followed by one
 * or two digits is a decimal comma, otherwise it groups thousands.
 */
export function normaliseAmount(input: string): string | undefined {
  const text = input.trim().replace(/[\s\u00a0\u202f']/g, '');
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  let decimal: ',' | '.' | undefined;
  if (lastComma >= 0 && lastDot >= 0) decimal = lastComma > lastDot ? ',' : '.';
  else if (lastComma >= 0) decimal = /^-?\d+,\d{1,2}$/.test(text) ? ',' : undefined;
  else if (lastDot >= 0) decimal = /^-?\d+\.\d{1,2}$/.test(text) ? '.' : undefined;
  const group = decimal === ',' ? '.' : ',';
  const [whole, fraction, extra] = decimal ? text.split(decimal) : [text];
  if (extra !== undefined) return undefined;
  // Group separators only in their place: 1,234,567 but not 12,34,5.
  const grouped = new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+$`);
  const digits = whole.includes(group) ? (grouped.test(whole) ? whole.split(group).join('') : undefined) : whole;
  if (digits === undefined || !/^-?\d{1,13}$/.test(digits)) return undefined;
  if (fraction !== undefined && !/^\d{1,2}$/.test(fraction)) return undefined;
  return fromCents(toCents(fraction === undefined ? digits : `${digits}.${fraction}`));
}

export function formatMoney(cents: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: Math.abs(cents) >= 100_000 ? 0 : 2 }).format(cents / 100);
  } catch {
    return `${fromCents(cents)} ${currency}`;
  }
}
