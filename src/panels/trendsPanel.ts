// The trend review tab (README "Trend review"; docs/ARCHITECTURE.md "A render"). The host computes the report (one
// pass over the incidents, a few hundred milliseconds at 100k) and sends only aggregates;
// the page draws them, asks for the incidents behind a click, and reports what it drew
// so tests and the bench can check it.
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { subMonths } from 'date-fns';
import type { LoyalSession } from '../session';
import type { Customer, Incident, LoyalFile } from '../domain/records';
import { addCalendarDays, dayOf, dayStart, today } from '../domain/time';
import { computeTrends } from '../domain/trends/compute';
import { drill } from '../domain/trends/drill';
import { TrendCache } from '../domain/trends/columns';
import { TREND_CSV_SECTIONS, trendsToCsv, trendsToMarkdown, type TrendCsvSection, type TrendLabels } from '../domain/trends/render';
import type { DrillSelector, TrendOptions } from '../domain/trends/types';
import type { DrillIncident, DrillResult, HostToPage, PageToHost, RenderedReport, TrendStrings, TrendsChoices, TrendsPayload, TrendsQuery } from './trendsModel';
import { DRILL_LIMIT } from './trendsModel';
import { WebviewBase, panelLog } from './webviewBase';
import { TrendsPageMessage, TrendsQuerySchema } from './trendsProtocol';

export interface TrendsPanelDeps {
  extensionUri: vscode.Uri;
  session: LoyalSession;
}

/** What the bench and tests read after the trend review has drawn itself. */
export interface TrendsRenderTimings {
  /**
   * From the command to the page's first paint (the headline cards on screen), measured in
   * the host: the `rendered` message arrives once every card is drawn, so the time the page
   * spent after its first paint is taken off. What the person waits, webview load included.
   */
  firstPaintMs: number;
  /** From the command to every card drawn (the `rendered` message received). */
  completeMs: number;
  /** In the page, from its script starting to run to the first paint (performance.now()). */
  pageFirstPaintMs: number;
  /** In the page, from the report arriving to the first paint. */
  renderMs: number;
  /** computeTrends plus the filter choices, in the host; 0 when the report was cached. */
  computeMs: number;
  incidents: number;
  total: number;
}

let lastTimings: TrendsRenderTimings | undefined;

interface CachedPayload {
  /** The store the report was made from: versions are numbered per store. */
  store: unknown;
  version: number;
  key: string;
  asOf: string;
  payload: TrendsPayload;
  computeMs: number;
}

/**
 * The last report, kept when its tab closes: reopening the trend review on an unchanged
 * book (the usual way it is used: glance, close, come back) draws at once.
 */
let lastPayload: CachedPayload | undefined;

export function lastTrendsRenderTimings(): TrendsRenderTimings | undefined {
  return lastTimings;
}

/** The same range for the page, the exports and the drill-down. */
export function resolveRange(query: TrendsQuery, asOf: string): { from?: string; to: string } {
  const monthsBack = (months: number): string => addCalendarDays(dayOf(subMonths(dayStart(asOf), months)), 1);
  switch (query.preset) {
    case 'last30':
      return { from: addCalendarDays(asOf, -29), to: asOf };
    case 'quarter':
      return { from: monthsBack(3), to: asOf };
    case 'year':
      return { from: monthsBack(12), to: asOf };
    case 'all':
      return { to: asOf };
    case 'custom': {
      const to = query.to && query.to <= asOf ? query.to : asOf;
      const from = query.from;
      // A range typed backwards is read the way the person meant it.
      if (from && from > to) return { from: to, to: from <= asOf ? from : asOf };
      return { from, to };
    }
  }
}

export function trendOptionsOf(query: TrendsQuery, asOf: string): TrendOptions {
  const range = resolveRange(query, asOf);
  const filters: NonNullable<TrendOptions['filters']> = {};
  for (const key of ['category', 'component', 'staff', 'tag'] as const) {
    const value = query.filters[key];
    if (value) filters[key] = [value];
  }
  return { ...range, asOf, bucket: query.bucket, filters };
}

/** Counts of values as written; folded ones (tags) are merged by their folded key after. */
class UseCounter {
  private readonly counts = new Map<string, number>();

  add(value: string | undefined): void {
    if (value) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  /** The most used values first, so the filter lists start with what matters. */
  top(limit: number, fold = false): string[] {
    const merged = new Map<string, { label: string; count: number }>();
    for (const [value, count] of this.counts) {
      const key = fold ? value.trim().toLowerCase() : value;
      const entry = merged.get(key);
      // The first spelling met in the book names the entry.
      if (entry) entry.count += count;
      else merged.set(key, { label: value, count });
    }
    return [...merged.values()]
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, limit)
      .map((entry) => entry.label);
  }
}

/** The filter lists: one pass over the incidents, each distinct spelling folded once. */
export function choicesOf(file: LoyalFile): TrendsChoices {
  const components = new UseCounter();
  const staff = new UseCounter();
  const tags = new UseCounter();
  for (const incident of file.incidents) {
    components.add(incident.component);
    staff.add(incident.staff);
    for (const tag of incident.tags) tags.add(tag);
  }
  return { components: components.top(1000), staff: staff.top(1000), tags: tags.top(500, true) };
}

/** Whether a drawn report answers this query (the host fills in the range of the presets). */
function sameQuery(drawn: TrendsQuery, asked: TrendsQuery): boolean {
  const filters = (q: TrendsQuery): string => JSON.stringify(['category', 'component', 'staff', 'tag'].map((k) => q.filters[k as keyof TrendsQuery['filters']] || ''));
  const range = asked.preset !== 'custom' || ((!asked.from || drawn.from === asked.from) && (!asked.to || drawn.to === asked.to));
  return drawn.preset === asked.preset && drawn.bucket === asked.bucket && filters(drawn) === filters(asked) && range;
}

/** A year by month: long enough to see a trend, few enough bars to read it. */
export const DEFAULT_TRENDS_QUERY: TrendsQuery = { preset: 'year', bucket: 'month', filters: {} };

export class TrendsPanel extends WebviewBase<PageToHost, HostToPage> {
  static readonly viewType = 'loyal.trends';
  private static instance: TrendsPanel | undefined;

  /** The open trend review, revealed, or a new one. */
  static show(deps: TrendsPanelDeps): TrendsPanel {
    if (TrendsPanel.instance && !TrendsPanel.instance.isDisposed) {
      TrendsPanel.instance.reveal();
      return TrendsPanel.instance;
    }
    TrendsPanel.instance = new TrendsPanel(deps);
    return TrendsPanel.instance;
  }

  static current(): TrendsPanel | undefined {
    return TrendsPanel.instance?.isDisposed ? undefined : TrendsPanel.instance;
  }

  private readonly session: LoyalSession;
  private readonly strings = trendStrings();
  private readonly openedAt = performance.now();
  /**
   * What the reports read from the incident records, kept while the book's arrays stay the
   * same (the store replaces them on every change): a new range, filter or bucket is then a
   * pass over typed arrays, about a fifth of a first report on a big book. It goes with the
   * tab, so a closed trend review holds no book in memory.
   */
  private readonly trendCache = new TrendCache();
  /** A reopened trend review comes back with the range and filters it was left with. */
  private query: TrendsQuery = lastPayload ? (JSON.parse(lastPayload.key) as TrendsQuery) : structuredClone(DEFAULT_TRENDS_QUERY);
  private cached: CachedPayload | undefined = lastPayload;
  private choicesCache: { version: number; choices: TrendsChoices } | undefined;
  private lookupCache: { version: number; incidents: Map<string, Incident>; customers: Map<string, Customer> } | undefined;
  private rendered: RenderedReport | undefined;
  private renderWaiters: Array<{ after: number; resolve: (rendered: RenderedReport) => void }> = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private stale = false;
  /** What the first report of this tab cost to compute (0 when it was cached). */
  private firstComputeMs: number | undefined;

  private constructor(deps: TrendsPanelDeps) {
    super(
      {
        extensionUri: deps.extensionUri,
        viewType: TrendsPanel.viewType,
        title: vscode.l10n.t('Trend review'),
        page: 'trends',
      },
      TrendsPageMessage,
    );
    this.session = deps.session;
    this.disposables.push(
      { dispose: () => this.refreshTimer && clearTimeout(this.refreshTimer) },
      deps.session.onDidChange(() => this.bookChanged()),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.visible && this.stale) this.bookChanged();
      }),
    );
    // The report is computed while the page loads, so `ready` is answered at once.
    setTimeout(() => {
      if (!this.isDisposed && this.session.state === 'ok') this.payload();
    }, 0);
  }

  /** Why the page refused messages from the host, oldest first (for support and tests). */
  readonly refusedByPage: string[] = [];

  /** The last render the page reported. */
  get lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  get currentQuery(): TrendsQuery {
    return structuredClone(this.query);
  }

  private asOf(): string {
    return today();
  }

  private lookups(file: LoyalFile): { incidents: Map<string, Incident>; customers: Map<string, Customer> } {
    const version = this.session.store?.version ?? -1;
    if (!this.lookupCache || this.lookupCache.version !== version) {
      this.lookupCache = {
        version,
        incidents: new Map(file.incidents.map((i) => [i.id, i])),
        customers: new Map(file.customers.map((c) => [c.id, c])),
      };
    }
    return this.lookupCache;
  }

  /** The report for the current query and book, computed once per change of either. */
  payload(): TrendsPayload {
    const file = this.session.file;
    const version = this.session.store?.version ?? -1;
    const asOf = this.asOf();
    const key = JSON.stringify(this.query);
    const store = this.session.store;
    if (this.cached && this.cached.store === store && this.cached.version === version && this.cached.key === key && this.cached.asOf === asOf) {
      this.firstComputeMs ??= 0;
      return this.cached.payload;
    }
    const started = performance.now();
    const options = trendOptionsOf(this.query, asOf);
    const report = computeTrends(file, options, this.trendCache);
    if (!this.choicesCache || this.choicesCache.version !== version) this.choicesCache = { version, choices: choicesOf(file) };
    const payload: TrendsPayload = {
      query: { ...structuredClone(this.query), from: report.from, to: report.to },
      report,
      choices: this.choicesCache.choices,
      emptyBook: file.incidents.length === 0,
    };
    this.cached = { store, version, key, asOf, payload, computeMs: performance.now() - started };
    this.firstComputeMs ??= this.cached.computeMs;
    lastPayload = this.cached;
    return payload;
  }

  private bookChanged(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    // A burst of writes (an import, a teammate's pull) redraws once.
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.isDisposed) return;
      if (this.session.state !== 'ok') return this.post({ type: 'error', message: vscode.l10n.t('The data file cannot be read now; the trend review shows the last figures it had.') });
      this.post({ type: 'report', payload: this.payload() });
    }, 250);
  }

  protected initMessage(): HostToPage {
    if (this.session.state !== 'ok') {
      return { type: 'error', message: vscode.l10n.t('There is no readable Loyal data file yet.') };
    }
    return { type: 'init', strings: this.strings, locale: vscode.env.language || 'en', payload: this.payload() };
  }

  protected async handle(message: PageToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'query':
        this.query = message.query;
        if (this.session.state !== 'ok') return;
        return this.post({ type: 'report', payload: this.payload() });
      case 'drill':
        return this.post({ type: 'drillResult', result: this.drill(message.requestId, message.selector) });
      case 'openIncident':
        await vscode.commands.executeCommand('loyal.incident.edit', message.id);
        return;
      case 'export':
        return this.exportWithDialog(message.format);
      case 'rendered':
        return this.renderedReceived(message.rendered);
      case 'refused':
        this.refusedByPage.push(message.detail);
        panelLog().error(`${TrendsPanel.viewType}: the page refused a message from the host: ${message.detail}`);
        return;
    }
  }

  /** The incidents behind a bar or cell, newest first. */
  drill(requestId: number, selector: DrillSelector): DrillResult {
    if (this.session.state !== 'ok') return { requestId, total: 0, incidents: [] };
    const file = this.session.file;
    const ids = drill(file, trendOptionsOf(this.query, this.asOf()), selector);
    const { incidents, customers } = this.lookups(file);
    const categories = categoryLabels();
    const shown: DrillIncident[] = [];
    for (const id of ids.slice(0, DRILL_LIMIT)) {
      const incident = incidents.get(id);
      if (!incident) continue;
      shown.push({
        id,
        openedAt: incident.openedAt,
        customer: customers.get(incident.customerId)?.name ?? incident.customerId,
        category: categories[incident.category] ?? incident.category,
        summary: incident.summary.length > 200 ? `${incident.summary.slice(0, 199)}…` : incident.summary,
        tags: incident.tags.slice(0, 10),
        resolved: incident.resolvedAt !== undefined,
      });
    }
    return { requestId, total: ids.length, incidents: shown };
  }

  private renderedReceived(rendered: RenderedReport): void {
    this.rendered = rendered;
    if (rendered.renderCount === 1) {
      const complete = performance.now() - this.openedAt;
      lastTimings = {
        firstPaintMs: Math.round(complete - rendered.completeMs),
        completeMs: Math.round(complete),
        pageFirstPaintMs: Math.round(rendered.firstPaintMs),
        renderMs: Math.round(rendered.renderMs),
        computeMs: Math.round(this.firstComputeMs ?? 0),
        incidents: this.session.state === 'ok' ? this.session.file.incidents.length : 0,
        total: rendered.total,
      };
      panelLog().info(`trend review first paint: ${JSON.stringify(lastTimings)}`);
    }
    const waiting = this.renderWaiters;
    this.renderWaiters = [];
    for (const waiter of waiting) {
      if (rendered.renderCount > waiter.after) waiter.resolve(rendered);
      else this.renderWaiters.push(waiter);
    }
  }

  /** Resolves with the first render numbered above `after` (0: the first paint). */
  waitForRender(after = 0, timeoutMs = 20_000): Promise<RenderedReport> {
    if (this.rendered && this.rendered.renderCount > after) return Promise.resolve(this.rendered);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The trend review did not render within ${timeoutMs} ms.`)), timeoutMs);
      this.renderWaiters.push({
        after,
        resolve: (rendered) => {
          clearTimeout(timer);
          resolve(rendered);
        },
      });
    });
  }

  /**
   * Test hook: the page sets its controls to this query as if the person had, sends it,
   * and draws the answer; resolves with what it drew.
   */
  async applyQuery(query: TrendsQuery): Promise<RenderedReport> {
    let seen = (await this.waitForRender(0)).renderCount;
    this.post({ type: 'applyQuery', query: TrendsQuerySchema.parse(query) });
    // A report pushed meanwhile (the book changed, its values arrived) is drawn too, with the
    // query the page had: wait for the render of this query.
    for (;;) {
      const rendered = await this.waitForRender(seen);
      if (sameQuery(rendered.query, query)) return rendered;
      seen = rendered.renderCount;
    }
  }

  /** Default file name of an export: loyal-trends-<from>-<to>[-<section>].<ext>. */
  defaultExportName(format: 'markdown' | 'csv', section?: TrendCsvSection): string {
    const { report } = this.payload();
    const base = `loyal-trends-${report.from}-${report.to}`;
    return format === 'markdown' ? `${base}.md` : `${base}-${section ?? 'topComplaints'}.csv`;
  }

  /** Writes the current report to `path` without asking (the dialog's second half, and the test hook). */
  async exportTo(format: 'markdown' | 'csv', path: string, section: TrendCsvSection = 'topComplaints'): Promise<string> {
    const { report } = this.payload();
    const content = format === 'markdown' ? trendsToMarkdown(report, trendLabels()) : trendsToCsv(report, section);
    // A UTF-8 BOM lets spreadsheet programs read accented names right; Markdown goes without.
    await writeFile(path, format === 'csv' ? `\ufeff${content}` : content, 'utf8');
    return path;
  }

  private async exportWithDialog(format: 'markdown' | 'csv'): Promise<void> {
    if (this.session.state !== 'ok') return;
    let section: TrendCsvSection | undefined;
    if (format === 'csv') {
      const labels = csvSectionLabels();
      const picked = await vscode.window.showQuickPick(
        TREND_CSV_SECTIONS.map((id) => ({ label: labels[id], id })),
        { title: vscode.l10n.t('Export CSV'), placeHolder: vscode.l10n.t('Which table of the trend review?') },
      );
      if (!picked) return;
      section = picked.id;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = this.defaultExportName(format, section);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'markdown' ? { Markdown: ['md'] } : { CSV: ['csv'] },
      title: format === 'markdown' ? vscode.l10n.t('Export Markdown') : vscode.l10n.t('Export CSV'),
    });
    if (!target) return;
    if (target.scheme !== 'file') {
      const { report } = this.payload();
      const content = format === 'markdown' ? trendsToMarkdown(report, trendLabels()) : `\ufeff${trendsToCsv(report, section ?? 'topComplaints')}`;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    } else {
      await this.exportTo(format, target.fsPath, section);
    }
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Trend review exported to {0}.', vscode.workspace.asRelativePath(target)), open);
    if (choice === open) await vscode.commands.executeCommand('vscode.open', target);
  }
}

export function registerTrendsPanel(context: vscode.ExtensionContext, session: LoyalSession, deps?: TrendsPanelDeps): void {
  const panelDeps: TrendsPanelDeps = deps ?? { extensionUri: context.extensionUri, session };
  context.subscriptions.push(
    // Returns the panel, so tests drive the very instance the extension made.
    vscode.commands.registerCommand('loyal.trends.open', () => {
      if (session.state !== 'ok') {
        void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
        return undefined;
      }
      return TrendsPanel.show(panelDeps);
    }),
    // Internal (hidden from the palette): the bench reads the last first-paint timings.
    vscode.commands.registerCommand('loyal.trends.lastRenderTimings', () => lastTrendsRenderTimings()),
  );
}

function categoryLabels(): Record<string, string> {
  return {
    product: vscode.l10n.t('Product'),
    people: vscode.l10n.t('People'),
    timeliness: vscode.l10n.t('Timeliness'),
    process: vscode.l10n.t('Process'),
    other: vscode.l10n.t('Other'),
  };
}

function csvSectionLabels(): Record<TrendCsvSection, string> {
  return {
    topComplaints: vscode.l10n.t('Top 5 complaints'),
    byCategory: vscode.l10n.t('Incidents by category'),
    byChannel: vscode.l10n.t('Incidents by channel'),
    bySeverity: vscode.l10n.t('Incidents by severity'),
    byCause: vscode.l10n.t('Incidents by cause'),
    byComponent: vscode.l10n.t('Incidents by component'),
    series: vscode.l10n.t('Incidents over time (category, tag, component)'),
    heatmapWeekdayHour: vscode.l10n.t('Hour of day by weekday'),
    heatmapStaffHour: vscode.l10n.t('Hour of day by staff member'),
    spikes: vscode.l10n.t('Spikes'),
    releases: vscode.l10n.t('Releases (incidents per week before and after)'),
    outcomes: vscode.l10n.t('Recovery outcomes'),
    scorecard: vscode.l10n.t('Scorecard'),
  };
}

/** The Markdown export's words, in the display language. */
export function trendLabels(): TrendLabels {
  return {
    title: vscode.l10n.t('Trend review'),
    range: vscode.l10n.t('{from} to {to}'),
    total: vscode.l10n.t('{total} incidents in this period.'),
    none: '–',
    topComplaints: vscode.l10n.t('Top 5 complaints'),
    tag: vscode.l10n.t('Complaint'),
    count: vscode.l10n.t('Incidents'),
    byCategory: vscode.l10n.t('Incidents by category'),
    category: vscode.l10n.t('Category'),
    categories: categoryLabels(),
    spikes: vscode.l10n.t('Spikes (hour and staff member well above expected)'),
    noSpikes: vscode.l10n.t('No hour and staff member stands out.'),
    staff: vscode.l10n.t('Staff member'),
    hour: vscode.l10n.t('Hour'),
    expected: vscode.l10n.t('Expected'),
    pValue: vscode.l10n.t('p-value'),
    releases: vscode.l10n.t('Releases (incidents per week before and after)'),
    noReleases: vscode.l10n.t('No releases in this period.'),
    component: vscode.l10n.t('Component'),
    version: vscode.l10n.t('Version'),
    date: vscode.l10n.t('Date'),
    beforePerWeek: vscode.l10n.t('Before (per week)'),
    afterPerWeek: vscode.l10n.t('After (per week)'),
    significant: vscode.l10n.t('More after?'),
    yes: vscode.l10n.t('yes'),
    no: vscode.l10n.t('no'),
    outcomes: vscode.l10n.t('Recovery outcomes'),
    satisfiedRate: vscode.l10n.t('Satisfied after follow-up'),
    repeatFailureRate: vscode.l10n.t('Repeat failures'),
    medianHoursToFirstResponse: vscode.l10n.t('Median hours to first response'),
    medianHoursToResolve: vscode.l10n.t('Median hours to resolve'),
    resolved: vscode.l10n.t('Resolved'),
    open: vscode.l10n.t('Open'),
    reopened: vscode.l10n.t('Reopened'),
    scorecard: vscode.l10n.t('Scorecard'),
    month: vscode.l10n.t('Month'),
    written: vscode.l10n.t('Written complaints'),
    oral: vscode.l10n.t('Oral complaints'),
    otherChannel: vscode.l10n.t('Other channel'),
    referrals: vscode.l10n.t('Referrals'),
    repeatPurchaseRate: vscode.l10n.t('Repeat purchase rate'),
    rework: vscode.l10n.t('Rework (reopened)'),
    firstResponseHours: vscode.l10n.t('First response (median hours)'),
    measure: vscode.l10n.t('Measure'),
    value: vscode.l10n.t('Value'),
  };
}

/** Every word of the page, in the display language. */
export function trendStrings(): TrendStrings {
  const labels = trendLabels();
  const categories = categoryLabels();
  return {
    title: labels.title,
    summary: vscode.l10n.t('{0} incidents from {1} to {2}.'),
    emptyBook: vscode.l10n.t('No incidents are logged yet. Log incidents (with tags, component and staff member) and their trends appear here.'),
    emptyRange: vscode.l10n.t('No incidents in this range and with these filters.'),
    range: vscode.l10n.t('Period'),
    presetLast30: vscode.l10n.t('Last 30 days'),
    presetQuarter: vscode.l10n.t('Last 3 months'),
    presetYear: vscode.l10n.t('Last 12 months'),
    presetAll: vscode.l10n.t('All time'),
    presetCustom: vscode.l10n.t('Custom dates'),
    from: vscode.l10n.t('From'),
    to: vscode.l10n.t('To'),
    bucket: vscode.l10n.t('Group by'),
    week: vscode.l10n.t('Week'),
    month: labels.month,
    filters: vscode.l10n.t('Range and filters'),
    allCategories: vscode.l10n.t('All categories'),
    allComponents: vscode.l10n.t('All components'),
    allStaff: vscode.l10n.t('Everyone'),
    allTags: vscode.l10n.t('All tags'),
    clearFilters: vscode.l10n.t('Clear filters'),
    exportMarkdown: vscode.l10n.t('Export Markdown'),
    exportCsv: vscode.l10n.t('Export CSV'),
    showTable: vscode.l10n.t('Show table'),
    showChart: vscode.l10n.t('Show chart'),
    topComplaints: labels.topComplaints,
    topComplaintsHint: vscode.l10n.t('The tags logged most often: know your top 5 complaints.'),
    categoryOverTime: vscode.l10n.t('Incidents by category over time'),
    tagOverTime: vscode.l10n.t('Top complaints over time'),
    weekdayHour: vscode.l10n.t('Hour of day by weekday'),
    staffHour: vscode.l10n.t('Hour of day by staff member'),
    staffHourHint: vscode.l10n.t('Outlined cells are spikes: far more incidents than expected for that hour and staff member.'),
    spikeText: vscode.l10n.t('{0} at {1}: {2} incidents, {3} expected'),
    noSpikes: labels.noSpikes,
    withoutStaff: vscode.l10n.t('{0} incidents have no staff member recorded and are left out here.'),
    components: vscode.l10n.t('Incidents per component, with releases'),
    componentsHint: vscode.l10n.t('Vertical lines are releases; a solid line with ▲ means clearly more incidents after it.'),
    releases: vscode.l10n.t('Releases: incidents per week before and after'),
    noReleases: labels.noReleases,
    outcomes: labels.outcomes,
    scorecard: labels.scorecard,
    complaint: labels.tag,
    incidents: labels.count,
    category: labels.category,
    tag: vscode.l10n.t('Tag'),
    component: labels.component,
    staff: labels.staff,
    weekday: vscode.l10n.t('Weekday'),
    hour: labels.hour,
    count: labels.count,
    expected: labels.expected,
    spikes: vscode.l10n.t('Spikes'),
    version: labels.version,
    date: labels.date,
    beforePerWeek: labels.beforePerWeek,
    afterPerWeek: labels.afterPerWeek,
    significant: labels.significant,
    flagged: vscode.l10n.t('More incidents after'),
    notFlagged: vscode.l10n.t('No clear change'),
    measure: labels.measure,
    value: labels.value,
    satisfiedRate: labels.satisfiedRate,
    satisfactionChecks: vscode.l10n.t('{0} satisfaction checks'),
    repeatFailureRate: labels.repeatFailureRate,
    medianFirstResponse: vscode.l10n.t('Median time to first response'),
    medianResolve: vscode.l10n.t('Median time to resolve'),
    resolved: labels.resolved,
    open: labels.open,
    reopened: labels.reopened,
    hours: vscode.l10n.t('hours'),
    monthColumn: labels.month,
    complaints: vscode.l10n.t('Complaints'),
    written: labels.written,
    oral: labels.oral,
    otherChannel: labels.otherChannel,
    referrals: labels.referrals,
    repeatPurchaseRate: labels.repeatPurchaseRate,
    rework: labels.rework,
    firstResponseHours: labels.firstResponseHours,
    total: vscode.l10n.t('Total'),
    none: labels.none,
    noData: vscode.l10n.t('Nothing to show for this range and these filters.'),
    drillTitle: vscode.l10n.t('Incidents: {0} ({1})'),
    drillMore: vscode.l10n.t('Showing the newest {0} of {1}. Narrow the range or the filters to see the others.'),
    drillClose: vscode.l10n.t('Close list'),
    drillLoading: vscode.l10n.t('Loading…'),
    resolvedBadge: labels.resolved,
    openBadge: labels.open,
    categoryProduct: categories.product,
    categoryPeople: categories.people,
    categoryTimeliness: categories.timeliness,
    categoryProcess: categories.process,
    categoryOther: categories.other,
    before: vscode.l10n.t('before'),
    after: vscode.l10n.t('after'),
    chartLabel: vscode.l10n.t('Chart: {0}. The same figures are in the table that follows.'),
  };
}
