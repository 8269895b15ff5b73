// Reading a book longer than V8's longest string (about 512 M characters): the records are
// parsed a few MB at a time, in the layout serialiseFile writes.
import { DataFileError } from './errors';
import { largeConflictMarkers, jsonSyntaxErrorOffset, shortJsonMessage } from './jsonErrors';
import { bytesLocator } from './locate';

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
