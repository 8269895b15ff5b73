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

/** Reads what a person typed ("1,234.50", "12", "12.5") as an amount string, or undefined. */
export function normaliseAmount(input: string): string | undefined {
  const cleaned = input.trim().replace(/[\s,]/g, '');
  if (!/^-?\d{1,13}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return fromCents(toCents(cleaned));
}

export function formatMoney(cents: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: Math.abs(cents) >= 100_000 ? 0 : 2 }).format(cents / 100);
  } catch {
    return `${fromCents(cents)} ${currency}`;
  }
}
