// A CSV file as spreadsheets write it, to a table: separator guessed from the header
// (`,`, or `;` as Excel writes in French and Italian locales, or a tab), CRLF or LF,
// quoted fields with newlines. Each row keeps the line it starts on, for messages.
import { parse } from 'csv-parse/sync';

export type Separator = ',' | ';' | '\t';

export interface CsvTable {
  separator: Separator;
  /** The header's names as written (trimmed). */
  header: string[];
  rows: string[][];
  /** The line each row starts on (the header is line 1). */
  lines: number[];
}

export class NotCsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The separator the header line uses most, outside quotes. */
export function guessSeparator(text: string): Separator {
  const counts: Record<Separator, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.keys(counts) as Separator[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ',');
  return best;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Reads the text (already decoded) as a table; throws NotCsvError when it is not CSV. */
export function readCsv(input: string, separator?: Separator): CsvTable {
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const sep = separator ?? guessSeparator(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // eslint-disable-next-line no-restricted-syntax -- csv-parse types the result as string[][] even with `info`.
    records = parse(text, { delimiter: sep, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const at = (error as { lines?: number }).lines;
    const reason = (error as Error).message.replace(/^[A-Za-z ]+: /, '');
    throw new NotCsvError(typeof at === 'number' ? at : 1, `the file is not valid CSV: ${reason}`);
  }
  if (records.length === 0) throw new NotCsvError(1, 'the file is empty: a header row is required');
  const header = records[0].record.map((name) => name.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    if (record.every((value) => value.trim() === '')) continue;
    let inside = 0;
    for (const value of record) if (value.includes('\n')) inside += newlines(value);
    rows.push(record);
    lines.push(info.lines - inside);
  }
  return { separator: sep, header, rows, lines };
}
