// One card per section of the trend review: a chart, the same figures as a real <table>
// (shown on demand, and always there for screen readers), and the incidents behind a
// clicked bar or cell.
import type { DrillSelector } from '../../src/domain/trends/types';
import type { Chart } from './charts';
import { append, format, h } from './dom';
import type { Formatter } from './dom';
import type { DrillResult, TrendSectionId, TrendStrings } from '../../src/panels/trendsModel';
import { DRILL_LIMIT } from '../../src/panels/trendsModel';
import { rovingTable } from '../shared/keyboard';

export type SectionMode = 'chart' | 'table';

export interface SectionContext {
  strings: TrendStrings;
  formatter: Formatter;
  /** Ask the host for the incidents behind a selection; `label` says what was clicked. */
  drill(card: SectionCard, selector: DrillSelector, label: string): void;
  openIncident(id: string): void;
  modeChanged(card: SectionCard): void;
}

/** A table cell: plain text, or a count that lists its incidents when activated. */
export type TableCell = string | { text: string; selector: DrillSelector; label: string; count: number; flagged?: boolean };

export interface TableInput {
  caption: string;
  headers: string[];
  rows: TableCell[][];
  /** The first column names the row (a <th scope="row">). */
  rowHeaders?: boolean;
  /** How many leading columns hold words (left-aligned); the rest are figures. Default 1. */
  textColumns?: number;
}

let nextCardId = 0;

export class SectionCard {
  readonly root: HTMLElement;
  readonly chartBox: HTMLDivElement;
  readonly tableBox: HTMLDivElement;
  readonly extraBox: HTMLDivElement;
  private readonly drillBox: HTMLDivElement;
  private readonly toggle: HTMLElement | undefined;
  private chart: Chart | undefined;
  /** The rows of each table of this card, keyed by the section they report. */
  readonly tables = new Map<TrendSectionId, HTMLTableElement>();
  readonly title: string;

  constructor(
    readonly id: TrendSectionId,
    private readonly context: SectionContext,
    title: string,
    public mode: SectionMode,
    options: { hint?: string; hasChart?: boolean; chartSize?: 'small' | 'medium' | 'tall' | 'auto' } = {},
  ) {
    const headingId = `heading-${id}-${nextCardId++}`;
    this.title = title;
    const hasChart = options.hasChart ?? true;
    this.toggle = hasChart ? h('vscode-button', { secondary: true, class: 'toggle', 'aria-pressed': 'false' }) : undefined;
    this.toggle?.addEventListener('click', () => {
      this.setMode(this.mode === 'chart' ? 'table' : 'chart');
      this.context.modeChanged(this);
    });
    this.chartBox = h('div', { class: `chart-box chart-${options.chartSize ?? 'medium'}` });
    this.tableBox = h('div', { class: 'table-box' });
    this.extraBox = h('div', { class: 'extra' });
    this.drillBox = h('div', { class: 'drill', 'aria-live': 'polite' });
    this.root = h(
      'section',
      { class: 'card', id: `section-${id}`, 'aria-labelledby': headingId, 'data-section': id },
      h('header', { class: 'card-head' }, h('h2', { id: headingId, tabindex: -1 }, title), this.toggle),
      options.hint ? h('p', { class: 'hint' }, options.hint) : null,
      hasChart ? this.chartBox : null,
      this.tableBox,
      this.extraBox,
      this.drillBox,
    );
    if (!hasChart) this.mode = 'table';
    this.setMode(this.mode);
  }

  setMode(mode: SectionMode): void {
    this.mode = this.toggle ? mode : 'table';
    const table = this.mode === 'table';
    this.chartBox.hidden = table;
    // In chart view the table stays in the page for screen readers, out of sight; it comes
    // into view when keyboard focus enters it (see .visually-hidden:focus-within).
    this.tableBox.classList.toggle('visually-hidden', !table && this.toggle !== undefined);
    if (this.toggle) {
      this.toggle.textContent = table ? this.context.strings.showChart : this.context.strings.showTable;
      this.toggle.setAttribute('aria-pressed', String(table));
    }
  }

  /** A canvas for the chart, labelled for assistive technology (the table carries the figures). */
  canvas(label: string): HTMLCanvasElement {
    const canvas = h('canvas', { role: 'img', 'aria-label': format(this.context.strings.chartLabel, label) });
    this.chartBox.replaceChildren(canvas);
    return canvas;
  }

  setChart(chart: Chart | undefined): void {
    this.chart?.destroy();
    this.chart = chart;
  }

  get hasChart(): boolean {
    return this.chart !== undefined || this.chartBox.childElementCount > 0;
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  empty(message: string): void {
    this.chartBox.replaceChildren(h('p', { class: 'empty' }, message));
  }

  /** Adds a table; `reportAs` names it in the rendered report (defaults to the card). */
  addTable(input: TableInput, target: HTMLElement = this.tableBox, reportAs: TrendSectionId = this.id): HTMLTableElement {
    const table = buildTable(input, (cell) => this.context.drill(this, cell.selector, cell.label));
    // One Tab stop per table, the arrow keys inside; the scroller itself is not a stop
    // (Chromium would make it one, and it moves when focus shows a hidden table).
    rovingTable(table, 'button.cell-link');
    target.appendChild(h('div', { class: 'table-scroll', tabindex: -1 }, table));
    this.tables.set(reportAs, table);
    return table;
  }

  drillStarted(label: string, requestId: number): void {
    this.drillBox.replaceChildren(h('div', { class: 'drill-head' }, h('h3', {}, label), this.closeButton()), h('p', { class: 'hint' }, this.context.strings.drillLoading));
    this.drillBox.dataset.request = String(requestId);
    this.drillBox.dataset.label = label;
  }

  /** True when this card is waiting for this drill result (a later click wins). */
  owns(requestId: number): boolean {
    return this.drillBox.dataset.request === String(requestId);
  }

  showDrill(result: DrillResult): void {
    const { strings, formatter } = this.context;
    const label = this.drillBox.dataset.label ?? '';
    const list = h('ul', { class: 'drill-list' });
    for (const incident of result.incidents) {
      const button = h(
        'button',
        { type: 'button', class: 'incident-link', 'data-incident': incident.id },
        h('span', { class: 'when' }, formatter.instant(incident.openedAt)),
        h('span', { class: 'who' }, incident.customer),
        h('span', { class: 'what' }, incident.summary || incident.category),
      );
      button.addEventListener('click', () => this.context.openIncident(incident.id));
      list.appendChild(
        h(
          'li',
          {},
          button,
          h('span', { class: `badge ${incident.resolved ? 'resolved' : 'open'}` }, incident.resolved ? strings.resolvedBadge : strings.openBadge),
          ...incident.tags.slice(0, 4).map((tag) => h('span', { class: 'tag' }, tag)),
        ),
      );
    }
    this.drillBox.replaceChildren();
    append(
      this.drillBox,
      h('div', { class: 'drill-head' }, h('h3', {}, format(strings.drillTitle, label, formatter.count(result.total))), this.closeButton()),
      result.incidents.length === 0 ? h('p', { class: 'hint' }, strings.noData) : list,
      result.total > result.incidents.length ? h('p', { class: 'hint' }, format(strings.drillMore, formatter.count(Math.min(result.total, DRILL_LIMIT)), formatter.count(result.total))) : null,
    );
  }

  private closeButton(): HTMLElement {
    const close = h('vscode-button', { secondary: true, class: 'drill-close' }, this.context.strings.drillClose);
    close.addEventListener('click', () => {
      delete this.drillBox.dataset.request;
      this.drillBox.replaceChildren();
    });
    return close;
  }
}

function buildTable(input: TableInput, onDrill: (cell: Exclude<TableCell, string>) => void): HTMLTableElement {
  // Hour tables have 26 columns: tighter cells keep them within the card.
  const table = h('table', { class: input.headers.length > 12 ? 'dense' : undefined });
  table.appendChild(h('caption', { class: 'visually-hidden' }, input.caption));
  const headRow = h('tr', {});
  const textColumns = input.textColumns ?? 1;
  input.headers.forEach((header, i) => headRow.appendChild(h('th', { scope: 'col', class: i >= textColumns ? 'num' : undefined }, header)));
  table.appendChild(h('thead', {}, headRow));
  const body = h('tbody', {});
  for (const row of input.rows) {
    const tr = h('tr', {});
    row.forEach((cell, i) => {
      const isHeader = i === 0 && input.rowHeaders !== false;
      const td = h(isHeader ? 'th' : 'td', isHeader ? { scope: 'row' } : { class: i >= textColumns ? 'num' : undefined });
      if (typeof cell === 'string') {
        td.textContent = cell;
      } else if (cell.count === 0) {
        td.textContent = cell.text;
        td.classList.add('zero');
      } else {
        const button = h('button', { type: 'button', class: 'cell-link', 'aria-label': `${cell.label}: ${cell.text}` }, cell.text);
        if (cell.flagged) td.classList.add('flagged-cell');
        button.addEventListener('click', () => onDrill(cell));
        td.appendChild(button);
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

/** The first rows of a table as shown, for the rendered report. */
export function tableSummary(table: HTMLTableElement, maxRows = 10): { rows: number; cells: string[][] } {
  const rows = Array.from(table.tBodies[0]?.rows ?? []);
  return {
    rows: rows.length,
    cells: rows.slice(0, maxRows).map((row) => Array.from(row.cells).map((cell) => cell.textContent?.trim() ?? '')),
  };
}
