// Keyboard paths through the pages: a table is one Tab stop with the arrow keys inside it,
// and a date or date-time field is one Tab stop (Chromium would stop on each of its parts:
// month, day, year, hours, minutes, the picker; the arrow keys still move between them).

/** What Tab stops at, in document order (custom elements count once; their inside is theirs). */
const FOCUSABLE = 'vscode-button, vscode-textfield, vscode-textarea, vscode-single-select, vscode-checkbox, button, a[href], input, select, textarea, [tabindex]';

function tabStops(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => {
    if (el.getAttribute('tabindex') === '-1' || el.hasAttribute('disabled') || el.closest('[hidden]')) return false;
    // Not inside another stop that is a custom element (its shadow handles its own parts).
    const outer = el.parentElement?.closest('vscode-textfield, vscode-textarea, vscode-single-select');
    return !outer && el.getClientRects().length > 0;
  });
}

const MULTI_PART_FIELDS = 'vscode-textfield[type="date"], vscode-textfield[type="datetime-local"], vscode-textfield[type="time"], input[type="date"], input[type="datetime-local"]';

/**
 * On this page, Tab and Shift+Tab leave a date or date-time field at once instead of
 * walking through its parts (the arrow keys move between the parts).
 */
export function installOneTabStopFields(): void {
  document.addEventListener(
    'keydown',
    (event: KeyboardEvent) => {
      if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
      const field = event.composedPath().find((el): el is HTMLElement => el instanceof HTMLElement && el.matches(MULTI_PART_FIELDS) && el.getRootNode() === document);
      if (!field) return;
      const stops = tabStops();
      const at = stops.indexOf(field);
      const next = at === -1 ? undefined : stops[at + (event.shiftKey ? -1 : 1)];
      if (!next) return;
      event.preventDefault();
      next.focus();
    },
    true,
  );
}

/**
 * The buttons of a table's cells become one Tab stop: the last focused one (the first at
 * the start) has tabindex 0, the others -1; the arrow keys, Home and End move between
 * them by row and column, Ctrl+Home and Ctrl+End to the first and last.
 */
export function rovingTable(table: HTMLTableElement, selector = 'button'): void {
  const grid = (): Array<Array<HTMLElement | undefined>> => Array.from(table.rows).map((row) => Array.from(row.cells).map((cell) => cell.querySelector<HTMLElement>(selector) ?? undefined));
  const all = Array.from(table.querySelectorAll<HTMLElement>(selector));
  all.forEach((button, i) => button.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  const move = (to: HTMLElement | undefined): void => {
    if (!to) return;
    for (const button of table.querySelectorAll<HTMLElement>(selector)) button.setAttribute('tabindex', button === to ? '0' : '-1');
    to.focus();
  };
  table.addEventListener('focusin', (event) => {
    const target = event.target as HTMLElement;
    if (target.matches(selector)) for (const button of table.querySelectorAll<HTMLElement>(selector)) button.setAttribute('tabindex', button === target ? '0' : '-1');
  });
  table.addEventListener('keydown', (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (!target.matches(selector)) return;
    const cells = grid();
    const row = cells.findIndex((r) => r.includes(target));
    const column = cells[row]?.indexOf(target) ?? -1;
    if (row === -1 || column === -1) return;
    const inRow = (r: number, from: number, step: number): HTMLElement | undefined => {
      for (let c = from; c >= 0 && c < (cells[r]?.length ?? 0); c += step) if (cells[r][c]) return cells[r][c];
      return undefined;
    };
    const inColumn = (from: number, step: number): HTMLElement | undefined => {
      for (let r = from; r >= 0 && r < cells.length; r += step) {
        // The same column, else the nearest button of that row.
        const found = cells[r][column] ?? inRow(r, column, -1) ?? inRow(r, column, 1);
        if (found) return found;
      }
      return undefined;
    };
    const flat = cells.flat().filter((b): b is HTMLElement => !!b);
    let to: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowRight':
        to = inRow(row, column + 1, 1);
        break;
      case 'ArrowLeft':
        to = inRow(row, column - 1, -1);
        break;
      case 'ArrowDown':
        to = inColumn(row + 1, 1);
        break;
      case 'ArrowUp':
        to = inColumn(row - 1, -1);
        break;
      case 'Home':
        to = event.ctrlKey ? flat[0] : inRow(row, 0, 1);
        break;
      case 'End':
        to = event.ctrlKey ? flat.at(-1) : inRow(row, (cells[row]?.length ?? 1) - 1, -1);
        break;
      default:
        return;
    }
    event.preventDefault();
    move(to);
  });
}
