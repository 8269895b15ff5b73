// The editor's colours for the charts. A canvas cannot read CSS variables, so they are read
// once through getComputedStyle and again whenever VS Code switches the body's theme class.

export interface ChartPalette {
  foreground: string;
  /** Axis and grid lines. */
  lines: string;
  border: string;
  background: string;
  focus: string;
  fontFamily: string;
  fontSize: number;
  /** Distinct series colours, in the order series use them. */
  series: string[];
  /** A colour that means "look here" (spikes, flagged releases). */
  alert: string;
  /** The heatmap's base colour (cells get more opaque with more incidents). */
  heat: string;
  highContrast: boolean;
}

function read(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** A colour as [r, g, b, a] (0-255, alpha 0-1), through the canvas's own colour parser. */
function rgbaOf(colour: string): [number, number, number, number] | undefined {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return undefined;
  ctx.fillStyle = '#000000';
  ctx.fillStyle = colour;
  const normal = String(ctx.fillStyle);
  const hex = /^#([0-9a-f]{6})$/i.exec(normal);
  if (hex) return [0, 2, 4].map((i) => Number.parseInt(hex[1].slice(i, i + 2), 16)).concat(1) as [number, number, number, number];
  const rgba = /^rgba?\(([^)]+)\)$/.exec(normal);
  if (!rgba) return undefined;
  const parts = rgba[1].split(',').map((p) => Number.parseFloat(p));
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

function luminance([r, g, b]: number[]): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast of a colour drawn on the background (a translucent colour blended first). */
export function contrastOn(colour: string, background: string): number {
  const fg = rgbaOf(colour);
  const bg = rgbaOf(background);
  if (!fg || !bg) return 21;
  const blended = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [luminance(blended), luminance(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

export function readPalette(): ChartPalette {
  const style = getComputedStyle(document.documentElement);
  const body = document.body.classList;
  const dark = body.contains('vscode-dark') || body.contains('vscode-high-contrast');
  const foreground = read(style, '--vscode-charts-foreground', read(style, '--vscode-foreground', dark ? '#cccccc' : '#333333'));
  const colour = (name: string, fallback: string): string => read(style, `--vscode-charts-${name}`, fallback);
  const size = Number.parseFloat(read(style, '--vscode-font-size', '13px'));
  const background = read(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const candidates = [colour('blue', '#3794ff'), colour('orange', '#d18616'), colour('green', '#89d185'), colour('purple', '#b180d7'), colour('yellow', '#cca700'), colour('red', '#f14c4c')];
  // Some themes define a chart colour that nearly disappears on their own background
  // (Dark Modern's orange); such a colour is skipped rather than drawn unreadable.
  const readable = candidates.filter((c) => contrastOn(c, background) >= 2);
  return {
    foreground,
    lines: read(style, '--vscode-charts-lines', dark ? 'rgba(204, 204, 204, 0.5)' : 'rgba(51, 51, 51, 0.5)'),
    border: read(style, '--vscode-panel-border', read(style, '--vscode-widget-border', dark ? '#444444' : '#dddddd')),
    background,
    focus: read(style, '--vscode-focusBorder', '#0078d4'),
    fontFamily: read(style, '--vscode-font-family', 'sans-serif'),
    fontSize: Number.isFinite(size) ? size : 13,
    series: [...(readable.length >= 3 ? readable : candidates), foreground],
    alert: colour('red', '#f14c4c'),
    heat: colour('blue', '#3794ff'),
    highContrast: body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light'),
  };
}

/** A CSS colour with an opacity, for heatmap cells (works for #rgb, #rrggbb and rgb()). */
export function withAlpha(colour: string, alpha: number): string {
  const a = Math.max(0, Math.min(1, alpha));
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(colour);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${a})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(colour);
  if (rgb) return `rgba(${rgb[1].trim()}, ${rgb[2].trim()}, ${rgb[3].trim()}, ${a})`;
  return colour;
}

/** Calls back when the person switches between light, dark and high-contrast themes. */
export function onThemeChange(callback: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    callback();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
