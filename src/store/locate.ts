// Where a problem is in the file's content: the line and column of a record, or of one of
// its fields, so the Problems panel and the CLI can point at the spot.
import type { FileProblem } from '../domain/validate';
import type { DataFileProblem } from './errors';

/** Finds things in the file's content, a string or (for a book too long for one string) its bytes. */
export interface Locator {
  indexOf(needle: string, from?: number): number;
  idOffsets(id: string): number[];
  linesAt(offsets: number[]): Array<{ line: number; column: number }>;
}

export function textLocator(text: string): Locator {
  return { indexOf: (needle, from) => text.indexOf(needle, from), idOffsets: (id) => idOffsets(text, id), linesAt: (offsets) => linesAt(text, offsets) };
}

/** Offsets are in bytes here; columns too (they differ from characters only on non-ASCII lines). */
export function bytesLocator(bytes: Buffer): Locator {
  const indexOf = (needle: string, from = 0) => bytes.indexOf(needle, from, 'utf8');
  return {
    indexOf,
    idOffsets: (id) => {
      const found: number[] = [];
      for (let at = indexOf(`"id": "${id}"`); at !== -1; at = indexOf(`"id": "${id}"`, at + 1)) found.push(at);
      return found;
    },
    linesAt: (offsets) => {
      const order = offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
      const out = new Array<{ line: number; column: number }>(offsets.length);
      let line = 1;
      let lineStart = 0;
      let next = bytes.indexOf(10);
      for (const { offset, index } of order) {
        while (next !== -1 && next < offset) {
          line += 1;
          lineStart = next + 1;
          next = bytes.indexOf(10, lineStart);
        }
        out[index] = { line, column: offset - lineStart + 1 };
      }
      return out;
    },
  };
}

/** Line and column of several offsets in one pass over the text. */
export function linesAt(text: string, offsets: number[]): Array<{ line: number; column: number }> {
  const order = offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
  const out = new Array<{ line: number; column: number }>(offsets.length);
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf('\n');
  for (const { offset, index } of order) {
    while (next !== -1 && next < offset) {
      line += 1;
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    out[index] = { line, column: offset - lineStart + 1 };
  }
  return out;
}

/** `"id": "x"` as written by serialiseFile, or with other spacing by a hand edit. */
function idOffsets(text: string, id: string): number[] {
  const found: number[] = [];
  const pattern = new RegExp(`"id"\\s*:\\s*"${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'g');
  for (const match of text.matchAll(pattern)) found.push(match.index);
  return found;
}

const LOCATED_PROBLEMS = 200;

/** Adds the text line of each problem's record (and field, when it can be found). */
export function locateProblems(source: Locator, raw: unknown, problems: FileProblem[]): DataFileProblem[] {
  const offsets: Array<number | undefined> = problems.map((problem, index) => {
    if (index >= LOCATED_PROBLEMS || !problem.recordId) return undefined;
    const match = /^(\w+)\[(\d+)\]((?:\.\w+|\[\d+\])*)/.exec(problem.path);
    if (!match) return undefined;
    const [, collection, at, rest] = match;
    // The keys below the record (`outcome.rating` of a follow-up): each problem is put on the
    // line of its own key, so two problems in one nested object are not both on its first line.
    const keys = rest
      .split('.')
      .slice(1)
      .map((key) => key.replace(/\[\d+\]$/, ''));
    const field = keys[0];
    const records = (raw as Record<string, unknown>)[collection];
    if (!Array.isArray(records)) return undefined;
    // A duplicated id occurs twice: count which occurrence this record is.
    let nth = 0;
    for (let i = 0; i < Number(at); i++) if ((records[i] as { id?: unknown } | null)?.id === problem.recordId) nth++;
    const recordAt = source.idOffsets(problem.recordId)[nth];
    if (recordAt === undefined || !field || field === 'id') return recordAt;
    const nextRecord = source.indexOf('"id"', recordAt + 4);
    const within = (offset: number): boolean => offset !== -1 && (nextRecord === -1 || offset < nextRecord);
    let found = recordAt;
    for (const key of keys) {
      const keyAt = source.indexOf(`"${key}"`, found);
      if (!within(keyAt)) break;
      found = keyAt;
    }
    return found;
  });
  const known = offsets.map((offset) => offset ?? 0);
  const lines = source.linesAt(known);
  return problems.map((problem, index) => {
    const located: DataFileProblem = { path: problem.path, message: problem.message };
    if (problem.recordId) located.recordId = problem.recordId;
    if (offsets[index] !== undefined) {
      located.line = lines[index].line;
      located.column = lines[index].column;
    }
    return located;
  });
}
