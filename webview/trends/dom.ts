// Small DOM helpers. Text only ever goes in through textContent or attributes, never
// through innerHTML, so a tag or a customer name cannot become markup.

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Fills `{0}`, `{1}`... in a translated string. */
export function format(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}

export class Formatter {
  private readonly integer: Intl.NumberFormat;
  private readonly decimal: Intl.NumberFormat;
  private readonly percentFormat: Intl.NumberFormat;
  private readonly monthFormat: Intl.DateTimeFormat;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly shortDayFormat: Intl.DateTimeFormat;
  private readonly shortMonthFormat: Intl.DateTimeFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;
  readonly weekdays: string[];

  constructor(readonly locale: string) {
    const safe = Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
    this.integer = new Intl.NumberFormat(safe, { maximumFractionDigits: 0 });
    this.decimal = new Intl.NumberFormat(safe, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.percentFormat = new Intl.NumberFormat(safe, { style: 'percent', maximumFractionDigits: 1 });
    this.monthFormat = new Intl.DateTimeFormat(safe, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    this.dayFormat = new Intl.DateTimeFormat(safe, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    this.shortDayFormat = new Intl.DateTimeFormat(safe, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    this.shortMonthFormat = new Intl.DateTimeFormat(safe, { month: 'short', year: '2-digit', timeZone: 'UTC' });
    this.dateTimeFormat = new Intl.DateTimeFormat(safe, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    const weekday = new Intl.DateTimeFormat(safe, { weekday: 'short', timeZone: 'UTC' });
    // 2024-01-01 was a Monday: the report counts weekdays from Monday = 0.
    this.weekdays = Array.from({ length: 7 }, (_, d) => weekday.format(Date.UTC(2024, 0, 1 + d)));
  }

  count(value: number): string {
    return this.integer.format(value);
  }

  oneDecimal(value: number): string {
    return this.decimal.format(value);
  }

  percent(rate: number | null, none: string): string {
    return rate === null ? none : this.percentFormat.format(rate);
  }

  hours(value: number | null, none: string): string {
    return value === null ? none : this.decimal.format(value);
  }

  hour(hour: number): string {
    return `${String(hour).padStart(2, '0')}:00`;
  }

  /** A series bucket: the Monday of a week (YYYY-MM-DD) or a month (YYYY-MM). */
  bucket(key: string): string {
    const [year, month, day] = key.split('-').map(Number);
    if (day === undefined) return this.monthFormat.format(Date.UTC(year, month - 1, 1));
    return this.dayFormat.format(Date.UTC(year, month - 1, day));
  }

  /** The same, short enough for an axis: "24 Nov", "Nov 25". */
  shortBucket(key: string): string {
    const [year, month, day] = key.split('-').map(Number);
    if (day === undefined) return this.shortMonthFormat.format(Date.UTC(year, month - 1, 1));
    return this.shortDayFormat.format(Date.UTC(year, month - 1, day));
  }

  day(key: string): string {
    const [year, month, day] = key.split('-').map(Number);
    return this.dayFormat.format(Date.UTC(year, month - 1, day));
  }

  /** The wall-clock time written in the file, whatever the viewer's own time zone. */
  instant(iso: string): string {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    if (!match) return iso;
    const [, y, mo, d, hh, mm] = match.map(Number);
    return this.dateTimeFormat.format(Date.UTC(y, mo - 1, d, hh, mm));
  }
}
