// The trend review page: the range and filter bar, then one card per section. The host
// sends aggregates only; this page draws them and asks the host for the incidents behind
// a click.
import type { Category } from '../../src/domain/records';
import type { DrillSelector, TrendReport } from '../../src/domain/trends/types';
import { installOneTabStopFields } from '../shared/keyboard';
import { applyPaletteDefaults, barChart, comboChart, heatmapChart, lineChart } from './charts';
import type { Marker } from './charts';
import { Formatter, format, h } from './dom';
import type { DrillResult, PageToHost, RangePreset, RenderedReport, TrendSectionId, TrendStrings, TrendsPayload, TrendsQuery } from '../../src/panels/trendsModel';
import { SectionCard, tableSummary } from './sections';
import type { SectionContext, SectionMode, TableCell } from './sections';
import type { ChartPalette } from './theme';
import { readPalette } from './theme';

const CATEGORIES: Category[] = ['product', 'people', 'timeliness', 'process', 'other'];
/** Lines beyond this many make a chart unreadable; the table keeps them all. */
const MAX_CHART_COMPONENTS = 6;
const MAX_CHART_STAFF = 30;
const CARD_ORDER: TrendSectionId[] = ['topComplaints', 'outcomes', 'categoryOverTime', 'tagOverTime', 'weekdayHour', 'staffHour', 'components', 'scorecard'];
/** Drawn in the first frame: the headline figures at the top of the page. */
const FIRST_CARDS: ReadonlySet<TrendSectionId> = new Set(CARD_ORDER.slice(0, 2));
const LATER_CARDS: ReadonlySet<TrendSectionId> = new Set(CARD_ORDER.slice(2));

/**
 * When this script started running. performance.now() alone is no use here: a webview's
 * frame may share its time origin with the workbench, long before the tab was opened.
 */
const scriptStartedAt = performance.now();

export interface PageHost {
  post(message: PageToHost): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}

export interface PageState {
  modes: Partial<Record<TrendSectionId, SectionMode>>;
}

type SelectElement = HTMLElement & { value: string };

export class TrendReview {
  private readonly formatter: Formatter;
  private readonly main: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly controls: {
    preset: SelectElement;
    from: SelectElement;
    to: SelectElement;
    bucket: SelectElement;
    category: SelectElement;
    component: SelectElement;
    staff: SelectElement;
    tag: SelectElement;
  };
  private cards: SectionCard[] = [];
  private readonly sectionLinks: HTMLElement;
  private payload: TrendsPayload | undefined;
  private palette: ChartPalette;
  private renderCount = 0;
  /** Bumped by every report drawn: a frame of an older one stops there. */
  private drawing = 0;
  private drillRequests = 0;
  private readonly drillOwners = new Map<number, SectionCard>();
  private modes: Partial<Record<TrendSectionId, SectionMode>>;
  /** Set while controls are filled from a payload, so that does not send a new query. */
  private filling = false;

  constructor(
    root: HTMLElement,
    private readonly host: PageHost,
    private readonly strings: TrendStrings,
    locale: string,
  ) {
    this.formatter = new Formatter(locale);
    this.modes = host.getState()?.modes ?? {};
    this.palette = readPalette();
    applyPaletteDefaults(this.palette);
    const s = strings;
    const select = (label: string, name: string, options: Array<[string, string]>): SelectElement => {
      const element = h('vscode-single-select', { 'aria-label': label, name, class: `select-${name}` }) as SelectElement;
      setOptions(element, options);
      element.addEventListener('change', () => this.controlChanged(name));
      return element;
    };
    const date = (label: string, name: string): SelectElement => {
      const element = h('vscode-textfield', { type: 'date', 'aria-label': label, name, class: 'date' }) as SelectElement;
      element.addEventListener('change', () => this.controlChanged(name));
      return element;
    };
    this.controls = {
      preset: select(s.range, 'preset', [
        ['last30', s.presetLast30],
        ['quarter', s.presetQuarter],
        ['year', s.presetYear],
        ['all', s.presetAll],
        ['custom', s.presetCustom],
      ]),
      from: date(s.from, 'from'),
      to: date(s.to, 'to'),
      bucket: select(s.bucket, 'bucket', [
        ['week', s.week],
        ['month', s.month],
      ]),
      category: select(s.category, 'category', [['', s.allCategories], ...CATEGORIES.map((c): [string, string] => [c, this.categoryLabel(c)])]),
      component: select(s.component, 'component', [['', s.allComponents]]),
      staff: select(s.staff, 'staff', [['', s.allStaff]]),
      tag: select(s.tag, 'tag', [['', s.allTags]]),
    };
    const clear = h('vscode-button', { secondary: true, class: 'clear-filters' }, s.clearFilters);
    clear.addEventListener('click', () => {
      for (const name of ['category', 'component', 'staff', 'tag'] as const) this.controls[name].value = '';
      this.sendQuery();
    });
    const exportMarkdown = h('vscode-button', { class: 'export-markdown' }, s.exportMarkdown);
    exportMarkdown.addEventListener('click', () => this.host.post({ type: 'export', format: 'markdown' }));
    const exportCsv = h('vscode-button', { secondary: true, class: 'export-csv' }, s.exportCsv);
    exportCsv.addEventListener('click', () => this.host.post({ type: 'export', format: 'csv' }));

    const field = (label: string, control: HTMLElement): HTMLElement => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);
    this.summary = h('p', { class: 'summary', role: 'status' });
    this.status = h('p', { class: 'error', role: 'alert', hidden: true });
    this.main = h('main', { class: 'cards', 'aria-busy': 'true' });
    // Skip links: one per section, to jump over the charts and tables before it.
    this.sectionLinks = h('nav', { class: 'section-links', 'aria-label': s.title });
    installOneTabStopFields();
    root.replaceChildren(
      h(
        'header',
        { class: 'page-head' },
        h('div', { class: 'title-row' }, h('h1', {}, s.title), h('div', { class: 'exports' }, exportMarkdown, exportCsv)),
        this.summary,
        h(
          'form',
          { class: 'toolbar', role: 'search', 'aria-label': s.filters },
          h('div', { class: 'toolbar-group' }, field(s.range, this.controls.preset), field(s.from, this.controls.from), field(s.to, this.controls.to), field(s.bucket, this.controls.bucket)),
          h(
            'div',
            { class: 'toolbar-group' },
            field(s.category, this.controls.category),
            field(s.component, this.controls.component),
            field(s.staff, this.controls.staff),
            field(s.tag, this.controls.tag),
            h('div', { class: 'field field-button' }, clear),
          ),
        ),
        this.sectionLinks,
        this.status,
      ),
      this.main,
    );
    root.querySelector('form')?.addEventListener('submit', (event) => event.preventDefault());
  }

  private categoryLabel(category: string): string {
    const s = this.strings;
    const labels: Record<string, string> = {
      product: s.categoryProduct,
      people: s.categoryPeople,
      timeliness: s.categoryTimeliness,
      process: s.categoryProcess,
      other: s.categoryOther,
    };
    return labels[category] ?? category;
  }

  private controlChanged(name: string): void {
    if (this.filling) return;
    if (name === 'from' || name === 'to') this.controls.preset.value = 'custom';
    this.sendQuery();
  }

  private currentQuery(): TrendsQuery {
    const c = this.controls;
    const filters: TrendsQuery['filters'] = {};
    for (const name of ['category', 'component', 'staff', 'tag'] as const) if (c[name].value) filters[name] = c[name].value;
    const preset = c.preset.value as RangePreset;
    return {
      preset,
      from: preset === 'custom' ? c.from.value || undefined : undefined,
      to: preset === 'custom' ? c.to.value || undefined : undefined,
      bucket: c.bucket.value === 'month' ? 'month' : 'week',
      filters,
    };
  }

  private sendQuery(): void {
    this.main.setAttribute('aria-busy', 'true');
    this.host.post({ type: 'query', query: this.currentQuery() });
  }

  /** The test hook: behave as if the person had set these controls. */
  applyQuery(query: TrendsQuery): void {
    this.fillControls(query);
    this.sendQuery();
  }

  private fillControls(query: TrendsQuery): void {
    this.filling = true;
    const c = this.controls;
    c.preset.value = query.preset;
    c.from.value = query.from ?? '';
    c.to.value = query.to ?? '';
    c.bucket.value = query.bucket;
    c.category.value = query.filters.category ?? '';
    c.component.value = query.filters.component ?? '';
    c.staff.value = query.filters.staff ?? '';
    c.tag.value = query.filters.tag ?? '';
    this.filling = false;
  }

  showError(message: string): void {
    this.status.hidden = false;
    this.status.textContent = message;
    this.main.setAttribute('aria-busy', 'false');
  }

  /** Draws a report; resolves after the next frame with what was drawn. */
  show(payload: TrendsPayload, receivedAt: number, report: (rendered: RenderedReport) => void): void {
    this.payload = payload;
    this.status.hidden = true;
    const s = this.strings;
    const { query, report: trends, choices } = payload;
    this.filling = true;
    const keep = (element: SelectElement, all: string, values: string[], chosen: string | undefined): void => {
      const list = chosen && !values.includes(chosen) ? [chosen, ...values] : values;
      setOptions(element, [['', all], ...list.map((v): [string, string] => [v, v])]);
    };
    keep(this.controls.component, s.allComponents, choices.components, query.filters.component);
    keep(this.controls.staff, s.allStaff, choices.staff, query.filters.staff);
    keep(this.controls.tag, s.allTags, choices.tags, query.filters.tag);
    this.filling = false;
    this.fillControls(query);

    this.summary.textContent = payload.emptyBook ? s.emptyBook : format(s.summary, this.formatter.count(trends.total), this.formatter.day(trends.from), this.formatter.day(trends.to));

    for (const card of this.cards) card.destroy();
    // The headline cards first, on screen in the first frame; the other charts in the next.
    const generation = ++this.drawing;
    this.cards = this.buildCards(trends, FIRST_CARDS);
    this.main.replaceChildren(...this.cards.map((card) => card.root));

    // A callback after requestAnimationFrame + setTimeout runs once that frame is on screen.
    const afterPaint = (then: () => void): void => void requestAnimationFrame(() => setTimeout(then, 0));
    afterPaint(() => {
      if (generation !== this.drawing) return; // a newer report is being drawn
      const firstPaintAt = performance.now();
      const rest = this.buildCards(trends, LATER_CARDS);
      this.cards.push(...rest);
      this.main.append(...rest.map((card) => card.root));
      this.main.setAttribute('aria-busy', 'false');
      this.updateSectionLinks();
      afterPaint(() => {
        if (generation !== this.drawing) return;
        this.renderCount++;
        const tables: RenderedReport['tables'] = {};
        for (const card of this.cards) for (const [id, table] of card.tables) tables[id] = tableSummary(table);
        const now = performance.now();
        report({
          firstPaintMs: firstPaintAt - scriptStartedAt,
          renderMs: firstPaintAt - receivedAt,
          completeMs: now - firstPaintAt,
          renderCount: this.renderCount,
          total: trends.total,
          query,
          tables,
          charts: this.cards.filter((card) => card.hasChart && card.mode === 'chart').map((card) => card.id),
        });
      });
    });
  }

  /** VS Code switched theme: read the new colours and draw the charts again. */
  themeChanged(): void {
    this.palette = readPalette();
    applyPaletteDefaults(this.palette);
    if (!this.payload) return;
    for (const card of this.cards) card.destroy();
    this.cards = this.buildCards(this.payload.report);
    this.main.replaceChildren(...this.cards.map((card) => card.root));
    this.updateSectionLinks();
  }

  /** One link per section shown; following one puts focus on that section's heading. */
  private updateSectionLinks(): void {
    this.sectionLinks.replaceChildren(
      ...this.cards.map((card) => {
        const link = h('a', { href: `#${card.root.id}` }, card.title);
        link.addEventListener('click', (event) => {
          event.preventDefault();
          const heading = card.root.querySelector('h2');
          heading?.scrollIntoView({ block: 'start' });
          heading?.focus();
        });
        return link;
      }),
    );
  }

  showDrill(result: DrillResult): void {
    const card = this.drillOwners.get(result.requestId);
    this.drillOwners.delete(result.requestId);
    // A later click on the same card, or closing the list, makes this answer stale.
    if (card && card.owns(result.requestId)) card.showDrill(result);
  }

  private context(): SectionContext {
    return {
      strings: this.strings,
      formatter: this.formatter,
      drill: (card, selector, label) => {
        const requestId = ++this.drillRequests;
        card.drillStarted(label, requestId);
        this.drillOwners.set(requestId, card);
        this.host.post({ type: 'drill', requestId, selector });
      },
      openIncident: (id) => this.host.post({ type: 'openIncident', id }),
      modeChanged: (card) => {
        this.modes[card.id] = card.mode;
        this.host.setState({ modes: this.modes });
      },
    };
  }

  /** The cards of the sections in `only` (all when omitted), in display order. */
  private buildCards(report: TrendReport, only?: ReadonlySet<TrendSectionId>): SectionCard[] {
    const want = (id: TrendSectionId): boolean => !only || only.has(id);
    const context = this.context();
    const mode = (id: TrendSectionId): SectionMode => this.modes[id] ?? 'chart';
    const s = this.strings;
    const f = this.formatter;
    const p = this.palette;
    const bucketName = report.bucket === 'month' ? s.month : s.week;
    const bucketLabels = report.series.buckets.map((b) => f.bucket(b));
    // Charts get the short form (the axis has little room); tables keep the full date.
    const axisLabels = report.series.buckets.map((b) => f.shortBucket(b));
    const drillCell = (count: number, selector: DrillSelector, label: string): TableCell => ({ text: f.count(count), selector, label, count });
    const cards: SectionCard[] = [];

    // Top 5 complaints.
    if (want('topComplaints')) {
      const card = new SectionCard('topComplaints', context, s.topComplaints, mode('topComplaints'), { hint: s.topComplaintsHint, chartSize: 'small' });
      const rows = report.topComplaints;
      if (rows.length === 0) card.empty(s.noData);
      else
        card.setChart(
          barChart(card.canvas(s.topComplaints), p, {
            labels: rows.map((r) => r.tag),
            series: [{ label: s.incidents, data: rows.map((r) => r.count) }],
            horizontal: true,
            onPick: (_d, i) => context.drill(card, { tag: rows[i].tag }, rows[i].tag),
          }),
        );
      card.addTable({ caption: s.topComplaints, headers: [s.complaint, s.incidents], rows: rows.map((r) => [r.tag, drillCell(r.count, { tag: r.tag }, r.tag)]) });
      cards.push(card);
    }

    // Incidents by category over time.
    if (want('categoryOverTime')) {
      const card = new SectionCard('categoryOverTime', context, s.categoryOverTime, mode('categoryOverTime'));
      const buckets = report.series.buckets;
      if (report.total === 0) card.empty(s.emptyRange);
      else
        card.setChart(
          barChart(card.canvas(s.categoryOverTime), p, {
            labels: axisLabels,
            series: CATEGORIES.map((c) => ({ label: this.categoryLabel(c), data: report.series.byCategory[c] })),
            stacked: true,
            onPick: (d, i) => context.drill(card, { category: CATEGORIES[d], bucket: buckets[i] }, `${this.categoryLabel(CATEGORIES[d])}, ${bucketLabels[i]}`),
          }),
        );
      card.addTable({
        caption: s.categoryOverTime,
        headers: [bucketName, ...CATEGORIES.map((c) => this.categoryLabel(c)), s.total],
        rows: buckets.map((bucket, i) => [
          bucketLabels[i],
          ...CATEGORIES.map((c) => drillCell(report.series.byCategory[c][i], { category: c, bucket }, `${this.categoryLabel(c)}, ${bucketLabels[i]}`)),
          drillCell(report.series.total[i], { bucket }, bucketLabels[i]),
        ]),
      });
      cards.push(card);
    }

    // Incidents by tag over time.
    if (want('tagOverTime')) {
      const card = new SectionCard('tagOverTime', context, s.tagOverTime, mode('tagOverTime'));
      const tags = report.series.byTag;
      const buckets = report.series.buckets;
      if (tags.length === 0) card.empty(s.noData);
      else
        card.setChart(
          lineChart(card.canvas(s.tagOverTime), p, {
            labels: axisLabels,
            series: tags.map((t) => ({ label: t.tag, data: t.counts })),
            onPick: (d, i) => context.drill(card, { tag: tags[d].tag, bucket: buckets[i] }, `${tags[d].tag}, ${bucketLabels[i]}`),
          }),
        );
      card.addTable({
        caption: s.tagOverTime,
        headers: [bucketName, ...tags.map((t) => t.tag)],
        rows: tags.length === 0 ? [] : buckets.map((bucket, i) => [bucketLabels[i], ...tags.map((t) => drillCell(t.counts[i], { tag: t.tag, bucket }, `${t.tag}, ${bucketLabels[i]}`))]),
      });
      cards.push(card);
    }

    // Hour of day by weekday.
    const hourLabels = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));
    if (want('weekdayHour')) {
      const card = new SectionCard('weekdayHour', context, s.weekdayHour, mode('weekdayHour'), { chartSize: 'small' });
      const values = report.heatmapWeekdayHour;
      const label = (d: number, hour: number): string => `${f.weekdays[d]} ${f.hour(hour)}`;
      if (report.total === 0) card.empty(s.emptyRange);
      else
        card.setChart(
          heatmapChart(card.canvas(s.weekdayHour), p, {
            xLabels: hourLabels,
            yLabels: f.weekdays,
            values,
            tooltip: (d, hour, v) => `${label(d, hour)}: ${f.count(v)}`,
            onPick: (d, hour) => context.drill(card, { weekday: d, hour }, label(d, hour)),
          }),
        );
      card.addTable({
        caption: s.weekdayHour,
        headers: [s.weekday, ...hourLabels, s.total],
        rows: values.map((hours, d) => [
          f.weekdays[d],
          ...hours.map((v, hour) => drillCell(v, { weekday: d, hour }, label(d, hour))),
          drillCell(
            hours.reduce((a, b) => a + b, 0),
            { weekday: d },
            f.weekdays[d],
          ),
        ]),
      });
      cards.push(card);
    }

    // Hour of day by staff member, with spikes.
    if (want('staffHour')) {
      const card = new SectionCard('staffHour', context, s.staffHour, mode('staffHour'), { hint: s.staffHourHint, chartSize: 'tall' });
      const rows = report.heatmapStaffHour;
      const spikeKey = new Set(report.spikes.map((spike) => `${spike.staff}\u0000${spike.hour}`));
      const label = (staff: string, hour: number): string => `${staff}, ${f.hour(hour)}`;
      const shown = rows.slice(0, MAX_CHART_STAFF);
      if (rows.length === 0) card.empty(s.noData);
      else {
        card.chartBox.style.setProperty('--rows', String(shown.length));
        card.setChart(
          heatmapChart(card.canvas(s.staffHour), p, {
            xLabels: hourLabels,
            yLabels: shown.map((r) => r.staff),
            values: shown.map((r) => r.hours),
            highlighted: (y, hour) => spikeKey.has(`${shown[y].staff}\u0000${hour}`),
            tooltip: (y, hour, v) => {
              const spike = report.spikes.find((sp) => sp.staff === shown[y].staff && sp.hour === hour);
              return spike ? format(s.spikeText, spike.staff, f.hour(hour), f.count(spike.count), f.oneDecimal(spike.expected)) : `${label(shown[y].staff, hour)}: ${f.count(v)}`;
            },
            onPick: (y, hour) => context.drill(card, { staff: shown[y].staff, hour }, label(shown[y].staff, hour)),
          }),
        );
      }
      card.addTable({
        caption: s.staffHour,
        headers: [s.staff, ...hourLabels, s.total],
        rows: rows.map((r) => [
          r.staff,
          ...r.hours.map((v, hour): TableCell => {
            const spike = spikeKey.has(`${r.staff}\u0000${hour}`);
            // The spike is said in words too, so it is not told by colour alone.
            const name = spike ? `${label(r.staff, hour)} (${s.spikes})` : label(r.staff, hour);
            return { text: f.count(v), selector: { staff: r.staff, hour }, label: name, count: v, flagged: spike };
          }),
          drillCell(r.total, { staff: r.staff }, r.staff),
        ]),
      });
      card.extraBox.appendChild(h('h3', {}, s.spikes));
      if (report.spikes.length === 0) card.extraBox.appendChild(h('p', { class: 'hint' }, s.noSpikes));
      else
        card.addTable(
          {
            caption: s.spikes,
            textColumns: 2,
            headers: [s.staff, s.hour, s.count, s.expected],
            rows: report.spikes.map((spike) => [
              spike.staff,
              f.hour(spike.hour),
              drillCell(spike.count, { staff: spike.staff, hour: spike.hour }, label(spike.staff, spike.hour)),
              f.oneDecimal(spike.expected),
            ]),
          },
          card.extraBox,
          'spikes',
        );
      if (report.withoutStaff > 0) card.extraBox.appendChild(h('p', { class: 'hint' }, format(s.withoutStaff, f.count(report.withoutStaff))));
      cards.push(card);
    }

    // Incidents per component with releases.
    if (want('components')) {
      const card = new SectionCard('components', context, s.components, mode('components'), { hint: s.componentsHint, chartSize: 'medium' });
      const components = report.series.byComponent;
      const buckets = report.series.buckets;
      const shown = components.slice(0, MAX_CHART_COMPONENTS);
      const markers: Marker[] = [];
      for (const release of report.releases) {
        const index = bucketIndexOf(buckets, release.date);
        if (index >= 0) markers.push({ index, label: `${release.component} ${release.version}`, flagged: release.significant });
      }
      if (components.length === 0) card.empty(s.noData);
      else
        card.setChart(
          lineChart(card.canvas(s.components), p, {
            labels: axisLabels,
            series: shown.map((c) => ({ label: c.component, data: c.counts })),
            markers,
            onPick: (d, i) => context.drill(card, { component: shown[d].component, bucket: buckets[i] }, `${shown[d].component}, ${bucketLabels[i]}`),
          }),
        );
      card.addTable({
        caption: s.components,
        headers: [bucketName, ...components.map((c) => c.component)],
        rows:
          components.length === 0
            ? []
            : buckets.map((bucket, i) => [bucketLabels[i], ...components.map((c) => drillCell(c.counts[i], { component: c.component, bucket }, `${c.component}, ${bucketLabels[i]}`))]),
      });
      card.extraBox.appendChild(h('h3', {}, s.releases));
      if (report.releases.length === 0) card.extraBox.appendChild(h('p', { class: 'hint' }, s.noReleases));
      card.addTable(
        {
          caption: s.releases,
          textColumns: 3,
          headers: [s.component, s.version, s.date, s.beforePerWeek, s.afterPerWeek, s.significant],
          rows: report.releases.map((r) => {
            const name = `${r.component} ${r.version}`;
            return [
              r.component,
              r.version,
              f.day(r.date),
              { text: f.oneDecimal(r.before), selector: { release: { component: r.component, date: r.date, side: 'before' } }, label: `${name}, ${s.before}`, count: r.countBefore },
              { text: f.oneDecimal(r.after), selector: { release: { component: r.component, date: r.date, side: 'after' } }, label: `${name}, ${s.after}`, count: r.countAfter },
              r.significant ? `▲ ${s.flagged}` : s.notFlagged,
            ];
          }),
        },
        card.extraBox,
        'releases',
      );
      card.extraBox.querySelectorAll('tbody tr').forEach((row, i) => row.classList.toggle('flagged', report.releases[i]?.significant === true));
      if (report.releases.length === 0) card.extraBox.querySelector('.table-scroll')?.remove();
      cards.push(card);
    }

    // Recovery outcomes: figures, not a chart; the tiles are the "chart" view.
    if (want('outcomes')) {
      const o = report.outcomes;
      const card = new SectionCard('outcomes', context, s.outcomes, mode('outcomes'), { chartSize: 'auto' });
      const measures: Array<[string, string, string?]> = [
        [s.satisfiedRate, f.percent(o.satisfiedRate, s.none), format(s.satisfactionChecks, f.count(o.satisfactionChecks))],
        [s.repeatFailureRate, f.percent(o.repeatFailureRate, s.none)],
        [s.medianFirstResponse, f.hours(o.medianHoursToFirstResponse, s.none), s.hours],
        [s.medianResolve, f.hours(o.medianHoursToResolve, s.none), s.hours],
        [s.resolved, f.count(o.resolved)],
        [s.open, f.count(o.open)],
        [s.reopened, f.count(o.reopened)],
      ];
      card.chartBox.replaceChildren(
        h(
          'ul',
          { class: 'tiles', 'aria-hidden': 'true' },
          ...measures.map(([name, value, note]) =>
            h('li', { class: 'tile' }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-name' }, name), note ? h('span', { class: 'tile-note' }, note) : null),
          ),
        ),
      );
      card.addTable({ caption: s.outcomes, headers: [s.measure, s.value], rows: measures.map(([name, value]) => [name, value]) });
      cards.push(card);
    }

    // Scorecard.
    if (want('scorecard')) {
      const card = new SectionCard('scorecard', context, s.scorecard, mode('scorecard'));
      const months = report.scorecard;
      const monthLabels = months.map((m) => f.bucket(m.month));
      if (months.length === 0) card.empty(s.noData);
      else
        card.setChart(
          comboChart(card.canvas(s.scorecard), p, {
            labels: monthLabels,
            bars: [
              { label: s.written, data: months.map((m) => m.written) },
              { label: s.oral, data: months.map((m) => m.oral) },
              { label: s.referrals, data: months.map((m) => m.referrals) },
              { label: s.rework, data: months.map((m) => m.rework) },
            ],
            rate: { label: s.repeatPurchaseRate, data: months.map((m) => m.repeatPurchaseRate) },
            percent: (v) => f.percent(v, s.none),
          }),
        );
      card.addTable({
        caption: s.scorecard,
        headers: [s.monthColumn, s.written, s.oral, s.otherChannel, s.referrals, s.repeatPurchaseRate, s.rework, s.firstResponseHours],
        rows: months.map((m, i) => [
          monthLabels[i],
          f.count(m.written),
          f.count(m.oral),
          f.count(m.otherChannel),
          f.count(m.referrals),
          f.percent(m.repeatPurchaseRate, s.none),
          f.count(m.rework),
          f.hours(m.medianHoursToFirstResponse, s.none),
        ]),
      });
      cards.push(card);
    }
    // The headline figures (top complaints, outcomes) side by side at the top.
    return cards.sort((a, b) => CARD_ORDER.indexOf(a.id) - CARD_ORDER.indexOf(b.id));
  }
}

/** The series bucket a day falls in (buckets are in order; a bucket starts at its key). */
function bucketIndexOf(buckets: string[], day: string): number {
  const key = buckets[0]?.length === 7 ? day.slice(0, 7) : day;
  let found = -1;
  for (let i = 0; i < buckets.length; i++) {
    if (buckets[i] <= key) found = i;
    else break;
  }
  // A day after the last week's Monday still belongs to it, but not one past the range.
  return found;
}

function setOptions(select: HTMLElement, options: Array<[string, string]>): void {
  select.replaceChildren(...options.map(([value, label]) => h('vscode-option', { value }, label)));
}
