// Chart.js charts of the trend review, themed from the editor's palette. Chart.js draws on a
// canvas and sizes it through the CSSOM (element.style), which a strict Content Security
// Policy allows; no chart here needs eval or an inline <style>.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ActiveElement, ChartConfiguration, ChartEvent, Plugin, TooltipItem } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { ChartPalette } from './theme';
import { withAlpha } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, MatrixController, MatrixElement);

/** Which bar, point or cell was clicked: dataset and index within it. */
export type PickHandler = (datasetIndex: number, index: number) => void;

export interface SeriesInput {
  label: string;
  data: number[];
}

/** Global defaults follow the theme, so every chart made afterwards matches the editor. */
export function applyPaletteDefaults(palette: ChartPalette): void {
  Chart.defaults.color = palette.foreground;
  Chart.defaults.borderColor = withAlpha(palette.lines, palette.highContrast ? 0.6 : 0.2);
  Chart.defaults.font.family = palette.fontFamily;
  Chart.defaults.font.size = Math.max(11, palette.fontSize - 1);
  // The page reports its first paint: drawing at once is both faster and what is measured.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.tooltip.backgroundColor = palette.background;
  Chart.defaults.plugins.tooltip.titleColor = palette.foreground;
  Chart.defaults.plugins.tooltip.bodyColor = palette.foreground;
  Chart.defaults.plugins.tooltip.borderColor = palette.border;
  Chart.defaults.plugins.tooltip.borderWidth = 1;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
}

function clickHandler(onPick: PickHandler | undefined) {
  return (_event: ChartEvent, elements: ActiveElement[]): void => {
    const first = elements[0];
    if (first && onPick) onPick(first.datasetIndex, first.index);
  };
}

function hoverCursor(_event: ChartEvent, elements: ActiveElement[], chart: Chart): void {
  chart.canvas.classList.toggle('clickable', elements.length > 0);
}

/** Time axes: labels stay level and the ones that do not fit are skipped. */
const AXIS_TICKS = { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 };

function colourOf(palette: ChartPalette, i: number): string {
  return palette.series[i % palette.series.length];
}

export interface BarChartInput {
  labels: string[];
  series: SeriesInput[];
  stacked?: boolean;
  horizontal?: boolean;
  /** Colour index per series (defaults to its position). */
  colours?: number[];
  onPick?: PickHandler;
}

export function barChart(canvas: HTMLCanvasElement, palette: ChartPalette, input: BarChartInput): Chart {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: input.labels,
      datasets: input.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: colourOf(palette, input.colours?.[i] ?? i),
        borderColor: palette.highContrast ? palette.foreground : colourOf(palette, input.colours?.[i] ?? i),
        borderWidth: palette.highContrast ? 1 : 0,
      })),
    },
    options: {
      indexAxis: input.horizontal ? 'y' : 'x',
      onClick: clickHandler(input.onPick),
      onHover: hoverCursor,
      plugins: { legend: { display: input.series.length > 1, position: 'bottom' } },
      scales: {
        x: { stacked: input.stacked, beginAtZero: true, ticks: input.horizontal ? { precision: 0 } : AXIS_TICKS },
        y: { stacked: input.stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
  return new Chart(canvas, config);
}

export interface Marker {
  /** Position on the category axis (index of the bucket). */
  index: number;
  label: string;
  flagged: boolean;
}

/** Vertical lines at releases, drawn over the lines; flagged ones in the alert colour. */
function markerPlugin(markers: Marker[], palette: ChartPalette): Plugin<'line'> {
  return {
    id: 'releaseMarkers',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `${Math.max(10, palette.fontSize - 2)}px ${palette.fontFamily}`;
      ctx.textBaseline = 'top';
      let lastLabelEnd = -Infinity;
      for (const marker of markers) {
        const px = x.getPixelForValue(marker.index);
        if (px < area.left - 1 || px > area.right + 1) continue;
        ctx.strokeStyle = marker.flagged ? palette.alert : withAlpha(palette.foreground, 0.6);
        ctx.lineWidth = marker.flagged ? 2 : 1;
        ctx.setLineDash(marker.flagged ? [] : [4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        // Labels that would overlap the previous one are left to the tooltip and the table.
        const text = marker.flagged ? `▲ ${marker.label}` : marker.label;
        const width = ctx.measureText(text).width;
        if (px + 3 > lastLabelEnd) {
          ctx.fillStyle = marker.flagged ? palette.alert : palette.foreground;
          ctx.fillText(text, px + 3, area.top + 2);
          lastLabelEnd = px + 3 + width + 6;
        }
      }
      ctx.restore();
    },
  };
}

export interface LineChartInput {
  labels: string[];
  series: SeriesInput[];
  markers?: Marker[];
  onPick?: PickHandler;
}

export function lineChart(canvas: HTMLCanvasElement, palette: ChartPalette, input: LineChartInput): Chart {
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      labels: input.labels,
      datasets: input.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        borderColor: colourOf(palette, i),
        backgroundColor: colourOf(palette, i),
        pointRadius: input.labels.length > 30 ? 0 : 2,
        pointHitRadius: 6,
        borderWidth: 2,
        tension: 0, // straight segments: a curve would dip below zero between counts
      })),
    },
    options: {
      interaction: { mode: 'nearest', intersect: false },
      onClick: clickHandler(input.onPick),
      onHover: hoverCursor,
      plugins: { legend: { display: true, position: 'bottom' } },
      scales: { x: { ticks: AXIS_TICKS }, y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
    plugins: input.markers && input.markers.length > 0 ? [markerPlugin(input.markers, palette)] : [],
  };
  return new Chart(canvas, config);
}

export interface HeatmapInput {
  xLabels: string[];
  yLabels: string[];
  /** values[y][x] */
  values: number[][];
  highlighted?: (y: number, x: number) => boolean;
  tooltip: (y: number, x: number, value: number) => string;
  onPick?: (y: number, x: number) => void;
}

export function heatmapChart(canvas: HTMLCanvasElement, palette: ChartPalette, input: HeatmapInput): Chart {
  let max = 0;
  const points: Array<{ x: string; y: string; v: number; row: number; column: number }> = [];
  input.values.forEach((row, y) =>
    row.forEach((v, x) => {
      if (v > max) max = v;
      points.push({ x: input.xLabels[x], y: input.yLabels[y], v, row: y, column: x });
    }),
  );
  const columns = input.xLabels.length;
  const rows = input.yLabels.length;
  const config: ChartConfiguration<'matrix'> = {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: '',
          data: points,
          backgroundColor: (ctx) => {
            const point = ctx.raw as (typeof points)[number] | undefined;
            if (!point || point.v === 0) return withAlpha(palette.foreground, 0.04);
            return withAlpha(palette.heat, 0.15 + 0.85 * (point.v / max));
          },
          borderColor: (ctx) => {
            const point = ctx.raw as (typeof points)[number] | undefined;
            return point && input.highlighted?.(point.row, point.column) ? palette.alert : 'transparent';
          },
          borderWidth: (ctx) => {
            const point = ctx.raw as (typeof points)[number] | undefined;
            return point && input.highlighted?.(point.row, point.column) ? 3 : 0;
          },
          width: ({ chart }) => Math.max(2, (chart.chartArea?.width ?? 0) / columns - 2),
          height: ({ chart }) => Math.max(2, (chart.chartArea?.height ?? 0) / rows - 2),
        },
      ],
    },
    options: {
      onClick: (_event, elements) => {
        const first = elements[0];
        if (!first || !input.onPick) return;
        const point = points[first.index];
        input.onPick(point.row, point.column);
      },
      onHover: hoverCursor,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: () => '',
            label: (item: TooltipItem<'matrix'>) => {
              const point = points[item.dataIndex];
              return input.tooltip(point.row, point.column, point.v);
            },
          },
        },
      },
      scales: {
        x: { type: 'category', labels: input.xLabels, offset: true, grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { type: 'category', labels: input.yLabels, offset: true, reverse: false, grid: { display: false }, ticks: { autoSkip: false } },
      },
    },
  };
  showHeatLegend(canvas, palette, max, input.highlighted !== undefined);
  return new Chart(canvas, config);
}

/**
 * What the colours of a heatmap mean: a row of swatches from no incident to the busiest
 * cell, with their counts (and the outline of a spike, where spikes are marked). Hidden
 * from screen readers: the table beside the chart has every figure.
 */
function showHeatLegend(canvas: HTMLCanvasElement, palette: ChartPalette, max: number, spikes: boolean): void {
  const box = canvas.parentElement;
  if (!box) return;
  box.parentElement?.querySelector(':scope > .heat-legend')?.remove();
  const legend = document.createElement('div');
  legend.className = 'heat-legend';
  legend.setAttribute('aria-hidden', 'true');
  const values = [...new Set(max <= 5 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, 1, Math.round(max / 4), Math.round(max / 2), Math.round((3 * max) / 4), max])];
  for (const value of values) {
    const swatch = document.createElement('span');
    swatch.className = 'heat-swatch';
    // Colours through the CSS object model: the page's CSP refuses style attributes.
    swatch.style.backgroundColor = value === 0 ? withAlpha(palette.foreground, 0.04) : withAlpha(palette.heat, 0.15 + 0.85 * (value / Math.max(1, max)));
    const count = document.createElement('span');
    count.className = 'heat-count';
    count.textContent = value.toLocaleString(document.documentElement.lang || undefined);
    legend.append(swatch, count);
  }
  if (spikes) {
    const swatch = document.createElement('span');
    swatch.className = 'heat-swatch spike';
    swatch.style.borderColor = palette.alert;
    legend.append(swatch);
  }
  box.after(legend);
}

export interface ComboChartInput {
  labels: string[];
  bars: SeriesInput[];
  /** A share from 0 to 1, drawn as a line against a percent axis on the right. */
  rate: { label: string; data: Array<number | null> };
  percent: (value: number) => string;
  onPick?: PickHandler;
}

export function comboChart(canvas: HTMLCanvasElement, palette: ChartPalette, input: ComboChartInput): Chart {
  const config = {
    type: 'bar' as const,
    data: {
      labels: input.labels,
      datasets: [
        ...input.bars.map((s, i) => ({
          type: 'bar' as const,
          label: s.label,
          data: s.data,
          backgroundColor: colourOf(palette, i),
          yAxisID: 'y',
        })),
        {
          type: 'line' as const,
          label: input.rate.label,
          data: input.rate.data,
          borderColor: palette.foreground,
          backgroundColor: palette.foreground,
          borderDash: [5, 3],
          pointRadius: 2,
          spanGaps: true,
          yAxisID: 'rate',
        },
      ],
    },
    options: {
      onClick: clickHandler(input.onPick),
      onHover: hoverCursor,
      plugins: { legend: { display: true, position: 'bottom' as const } },
      scales: {
        x: { ticks: AXIS_TICKS },
        y: { beginAtZero: true, ticks: { precision: 0 } },
        rate: {
          position: 'right' as const,
          min: 0,
          max: 1,
          grid: { drawOnChartArea: false },
          ticks: { callback: (value: number | string) => input.percent(Number(value)) },
        },
      },
    },
  } as ChartConfiguration<'bar'>;
  return new Chart(canvas, config);
}

export { Chart };
