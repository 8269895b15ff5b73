// A key twice in one record: what a merge "resolved" by keeping both sides' lines leaves
// (git's union merge, a hand edit of conflict markers). JSON.parse keeps the last value
// and says nothing, so one version of the record would be dropped unseen. `loyal check`
// (the pull-request check) looks for it with a real JSON scanner.
// The ES module build: the UMD one (package main) loads its parts by dynamic require, which bundling breaks.
import { visit } from 'jsonc-parser/lib/esm/main.js';
import { lineColumnAt, type DataFileProblem } from './errors';

export function duplicateKeyProblems(text: string): DataFileProblem[] {
  const problems: DataFileProblem[] = [];
  const keys: Array<Set<string> | undefined> = [];
  const path: Array<string | number> = [];
  const arrayIndex: number[] = [];
  const opened = (): void => {
    // An element of an array: count it, so the record path says which one.
    if (typeof path[path.length - 1] === 'number') path[path.length - 1] = arrayIndex[arrayIndex.length - 1]++;
  };
  visit(text, {
    onObjectBegin: () => {
      opened();
      keys.push(new Set());
    },
    onObjectProperty: (property, offset) => {
      const seen = keys[keys.length - 1]!;
      if (seen.has(property)) {
        const where = lineColumnAt(text, offset);
        const record = path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part)).join('');
        problems.push({
          ...where,
          path: record ? `${record}.${property}` : property,
          message: `"${property}" is written twice in this record, as a merge that kept both sides' lines leaves it: only the second would be read; keep the right one`,
        });
      }
      seen.add(property);
      path.push(property);
    },
    onObjectEnd: () => {
      keys.pop();
      if (typeof path[path.length - 1] === 'string') path.pop();
    },
    onArrayBegin: () => {
      opened();
      path.push(0);
      arrayIndex.push(0);
    },
    onArrayEnd: () => {
      path.pop();
      arrayIndex.pop();
      if (typeof path[path.length - 1] === 'string') path.pop();
    },
    onLiteralValue: () => {
      opened();
      if (typeof path[path.length - 1] === 'string') path.pop();
    },
  });
  return problems;
}

/** How many keys JSON.parse kept, over every object in `value` (a key written twice counts once). */
export function parsedKeyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) count += parsedKeyCount(item);
    return count;
  }
  for (const key in value) {
    count++;
    const inner = (value as Record<string, unknown>)[key];
    if (typeof inner === 'object' && inner !== null) count += parsedKeyCount(inner);
  }
  return count;
}

/**
 * The keys written twice in a data file's text, found quickly when there are none: every
 * key of a JSON text ends with `":` (or with spaces before the colon, which sends this to the
 * full scan), and a `":` inside a string only adds to the count. So when the text holds as
 * many as JSON.parse kept keys (`keptKeys`), no key is there twice; otherwise the full scan
 * of duplicateKeyProblems says which, if any.
 */
export function repeatedKeyProblems(text: string, keptKeys: number): DataFileProblem[] {
  let ends = 0;
  for (let at = text.indexOf('":'); at !== -1; at = text.indexOf('":', at + 2)) ends++;
  if (ends === keptKeys && !/"\s+:/.test(text)) return [];
  return duplicateKeyProblems(text);
}
