// Reading the file's text: JSON, then the schema. Every failure says where it is, by
// line and column, so a hand edit or a git merge gone wrong can be fixed at the spot.
import { COLLECTION_NAMES, SCHEMA_VERSION, type AnyRecord, type CollectionName, type LoyalFile } from '../domain/records';
import { checkFile, referenceProblems, type FileProblem } from '../domain/validate';
import { DataFileError, lineColumnAt, type DataFileProblem } from './errors';
import { checkRecords, fastCheckFile } from './fastValidate';
import { StringPool } from './pool';
import { sortedById } from './serialise';

const MARKER = /^(<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?\r?$/gm;
const MARKER_WORDS: Record<string, string> = {
  '<<<<<<<': 'start of a merge conflict (your side)',
  '|||||||': 'common ancestor of a merge conflict',
  '=======': 'separator of a merge conflict',
  '>>>>>>>': 'end of a merge conflict (their side)',
};

/** Lines holding git merge-conflict markers, in order. */
export function findConflictMarkers(text: string): Array<{ line: number; marker: string }> {
  const found: Array<{ offset: number; marker: string }> = [];
  for (const match of text.matchAll(MARKER)) found.push({ offset: match.index, marker: match[1] });
  const lines = linesAt(text, found.map((f) => f.offset));
  return found.map((f, i) => ({ line: lines[i].line, marker: f.marker }));
}

/** Finds things in the file's content, a string or (for a book too long for one string) its bytes. */
interface Locator {
  indexOf(needle: string, from?: number): number;
  idOffsets(id: string): number[];
  linesAt(offsets: number[]): Array<{ line: number; column: number }>;
}

function textLocator(text: string): Locator {
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
function linesAt(text: string, offsets: number[]): Array<{ line: number; column: number }> {
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

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first JSON syntax error. V8 (Node 20) gives a position for some
 * errors only ("Unexpected token 'x', ... is not valid JSON" has none), so scan ourselves;
 * this runs only after JSON.parse has failed.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else return;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= n) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail();
        }
      } else i++;
    }
  };
  const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          skipSpace();
          if (text[i] !== '"') fail();
          string();
          skipSpace();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        if (!text.startsWith(word, i)) fail();
        i += word.length;
        return;
      }
    }
    numberPattern.lastIndex = i;
    if (!numberPattern.test(text)) fail();
    i = numberPattern.lastIndex;
  };
  try {
    value();
    skipSpace();
    if (i < n) fail();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    return undefined; // a pathological nesting depth: no location then
  }
}

/** V8's message without the echo of the text and the position (given as line/column instead). */
function shortJsonMessage(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

function invalidJson(text: string, error: unknown): DataFileError {
  const markers = findConflictMarkers(text);
  if (markers.length) {
    const hunks = markers.filter((m) => m.marker === '<<<<<<<').length;
    return new DataFileError(
      'conflict-markers',
      `the file holds ${hunks || 'unfinished'} git merge conflict${hunks === 1 ? '' : 's'} (lines ${markers.map((m) => m.line).join(', ')})`,
      markers.map((m) => ({ line: m.line, column: 1, message: `${m.marker}: ${MARKER_WORDS[m.marker]}` })),
    );
  }
  const offset = jsonSyntaxErrorOffset(text) ?? text.length;
  const { line, column } = lineColumnAt(text, offset);
  const message = shortJsonMessage(error instanceof Error ? error.message : String(error));
  return new DataFileError('invalid-json', `the file is not valid JSON: ${message} at line ${line}, column ${column}`, [{ line, column, message }]);
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
function locateProblems(source: Locator, raw: unknown, problems: FileProblem[]): DataFileProblem[] {
  const offsets: Array<number | undefined> = problems.map((problem, index) => {
    if (index >= LOCATED_PROBLEMS || !problem.recordId) return undefined;
    const match = /^(\w+)\[(\d+)\]((?:\.\w+|\[\d+\])*)/.exec(problem.path);
    if (!match) return undefined;
    const [, collection, at, rest] = match;
    // The keys below the record (`outcome.rating` of a follow-up): each problem is put on the
    // line of its own key, so two problems in one nested object are not both on its first line.
    const keys = rest.split('.').slice(1).map((key) => key.replace(/\[\d+\]$/, ''));
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

/** Parses and validates the text of a data file; throws a DataFileError saying where it is broken. */
export function parseFileText(text: string): LoyalFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidJson(text, error);
  }
  return checkRaw(raw, textLocator(text));
}

/** Above this size the file is read piece by piece (see parseLarge). */
export const LARGE_FILE_BYTES = 256 * 2 ** 20;

/** Parses the bytes of a data file; large books are never turned into one string. */
export function parseFileBytes(bytes: Buffer, largeAbove = LARGE_FILE_BYTES): LoyalFile {
  // One JSON.parse of the whole text is the quickest while the text fits in a string.
  if (bytes.length <= largeAbove) return parseFileText(bytes.toString('utf8'));
  const fast = parseValidLayout(bytes);
  if (fast) return fast;
  // Not in Loyal's layout, or not valid: the plain path, which says where the problem is.
  return checkRaw(parseLarge(bytes), bytesLocator(bytes));
}

class NotFast extends Error {}

const FILE_KEYS = new Set(['$schema', 'schemaVersion', ...COLLECTION_NAMES]);
const COLLECTION_KEYS = new Set<string>(COLLECTION_NAMES);

/**
 * The quick way to read a valid large file in Loyal's layout: a few MB of records at a
 * time, each validated as soon as it is parsed, and no string as long as the file is ever made. Gives the same book
 * as JSON.parse + checkFile; returns undefined on anything unusual (an older
 * schemaVersion to migrate, any problem), and the plain path then does the work and
 * reports the problems.
 */
function parseValidLayout(bytes: Buffer): LoyalFile | undefined {
  let raw: Record<string, unknown>;
  const validated = new Set<string>();
  const pool = new StringPool();
  try {
    raw = parseLarge(bytes, (key, records, offset) => {
      if (!COLLECTION_KEYS.has(key)) throw new NotFast();
      if (offset === 0) validated.add(key);
      const checked = checkRecords(key as CollectionName, records, pool);
      if (!checked) throw new NotFast();
      return checked;
    });
  } catch {
    return undefined;
  }
  if (raw.schemaVersion !== SCHEMA_VERSION) return undefined;
  if (raw.$schema !== undefined && typeof raw.$schema !== 'string') return undefined;
  for (const key in raw) {
    if (!FILE_KEYS.has(key)) return undefined;
    const value = raw[key];
    // Records written on one line came through JSON.parse unvalidated.
    if (COLLECTION_KEYS.has(key) && (!Array.isArray(value) || (value.length && !validated.has(key)))) return undefined;
  }
  const file = {} as Record<string, unknown>;
  if (raw.$schema !== undefined) file.$schema = raw.$schema;
  file.schemaVersion = raw.schemaVersion;
  for (const name of COLLECTION_NAMES) file[name] = sortedById((raw[name] ?? []) as AnyRecord[]);
  if (referenceProblems(file as LoyalFile).length) return undefined;
  return file as LoyalFile;
}

/** The schema, references and version of parsed JSON; records come back sorted by id. */
function checkRaw(raw: unknown, source: Locator): LoyalFile {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    const at = source.indexOf('"schemaVersion"');
    throw new DataFileError(
      'newer-version',
      `the file was written by a newer Loyal (schemaVersion ${version}; this one reads up to ${SCHEMA_VERSION}): update Loyal`,
      [{ path: 'schemaVersion', message: `schemaVersion ${version} is newer than ${SCHEMA_VERSION}`, ...(at === -1 ? {} : source.linesAt([at])[0]) }],
    );
  }
  const fast = fastCheckFile(raw);
  if (fast) {
    for (const name of COLLECTION_NAMES) (fast as Record<CollectionName, AnyRecord[]>)[name] = sortedById(fast[name] as AnyRecord[]);
    return fast;
  }
  const checked = checkFile(raw);
  if (!checked.ok) {
    const problems = locateProblems(source, raw, checked.problems);
    const first = problems[0];
    const where = first.line ? ` (line ${first.line})` : '';
    const more = problems.length > 1 ? ` and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'}` : '';
    throw new DataFileError('schema', `the file does not match the Loyal format: ${first.path}: ${first.message}${where}${more}`, problems);
  }
  const file = checked.file;
  for (const name of COLLECTION_NAMES) (file as Record<CollectionName, AnyRecord[]>)[name] = sortedById(file[name] as AnyRecord[]);
  return file;
}

const PIECE_BYTES = 4 * 2 ** 20;

/**
 * JSON.parse for a file longer than V8's longest string, in the layout serialiseFile
 * writes: one top-level key per line at two spaces, each collection's records at four,
 * each record ending on a line `    }`. The records are parsed a few MB at a time.
 */
export function parseLarge(bytes: Buffer, onRecords?: (key: string, records: unknown[], offset: number) => unknown[]): Record<string, unknown> {
  const fail = (offset: number, message: string): never => {
    const markers = largeConflictMarkers(bytes);
    if (markers) throw markers;
    const [{ line, column }] = bytesLocator(bytes).linesAt([offset]);
    throw new DataFileError('invalid-json', `the file is not valid JSON: ${message} at line ${line}, column ${column}`, [{ line, column, message }]);
  };
  const lineAt = (from: number) => {
    const end = bytes.indexOf(10, from);
    const stop = end === -1 ? bytes.length : end;
    return { text: bytes.toString('utf8', from, stop).replace(/\r$/, ''), next: stop + 1 };
  };
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = lineAt(at);
  if (first.text !== '{') fail(at, "a file this large must be in Loyal's own layout (one field per line), which starts with a line '{'");
  at = first.next;
  const out: Record<string, unknown> = {};
  for (;;) {
    const { text, next } = lineAt(at);
    if (text === '}') {
      if (bytes.subarray(next).toString('latin1').trim() !== '') fail(next, 'Unexpected non-whitespace character after JSON');
      return out;
    }
    const entry = /^ {2}("(?:[^"\\]|\\.)*"): (.*?)(,?)$/.exec(text);
    if (!entry) fail(at, "Expected a top-level key at two spaces (Loyal's own layout)");
    const key = JSON.parse(entry![1]) as string;
    if (entry![2] !== '[') {
      try {
        out[key] = JSON.parse(entry![2]);
      } catch (error) {
        fail(at, shortJsonMessage((error as Error).message));
      }
      at = next;
      continue;
    }
    const close = bytes.indexOf('\n  ]', next - 1);
    if (close === -1) fail(next, `the list "${key}" is not closed by a line '  ]'`);
    const records: unknown[] = [];
    let start = next;
    while (start < close) {
      let cut = close;
      if (close - start > PIECE_BYTES) {
        const boundary = bytes.indexOf('\n    },', start + PIECE_BYTES);
        if (boundary !== -1 && boundary < close) cut = boundary + 6;
      }
      const piece = bytes.toString('utf8', start, cut);
      try {
        let parsed = JSON.parse(`[${piece}]`) as unknown[];
        if (onRecords) parsed = onRecords(key, parsed, records.length);
        for (const record of parsed) records.push(record);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        const offset = (jsonSyntaxErrorOffset(`[${piece}]`) ?? 1) - 1;
        fail(start + Buffer.byteLength(piece.slice(0, Math.max(0, offset))), shortJsonMessage((error as Error).message));
      }
      start = cut + 1; // past the comma between records
    }
    out[key] = records;
    at = lineAt(close + 1).next;
  }
}

function largeConflictMarkers(bytes: Buffer): DataFileError | undefined {
  const offsets: Array<{ offset: number; marker: string }> = [];
  for (const marker of Object.keys(MARKER_WORDS)) {
    for (let at = bytes.indexOf(`\n${marker}`); at !== -1; at = bytes.indexOf(`\n${marker}`, at + 1)) offsets.push({ offset: at + 1, marker });
  }
  if (!offsets.length) return undefined;
  offsets.sort((a, b) => a.offset - b.offset);
  const lines = bytesLocator(bytes).linesAt(offsets.map((o) => o.offset));
  return new DataFileError(
    'conflict-markers',
    `the file holds git merge conflicts (lines ${lines.map((l) => l.line).join(', ')})`,
    offsets.map((o, i) => ({ line: lines[i].line, column: 1, message: `${o.marker}: ${MARKER_WORDS[o.marker]}` })),
  );
}
