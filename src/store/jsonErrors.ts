// What is wrong with a data file that is not JSON: where the syntax breaks, by line and
// column, or the git merge-conflict markers a merge left in it.
import { DataFileError, lineColumnAt } from './errors';
import { bytesLocator, linesAt } from './locate';

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
  const lines = linesAt(
    text,
    found.map((f) => f.offset),
  );
  return found.map((f, i) => ({ line: lines[i].line, marker: f.marker }));
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
export function shortJsonMessage(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

export function invalidJson(text: string, error: unknown): DataFileError {
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

export function largeConflictMarkers(bytes: Buffer): DataFileError | undefined {
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
