// The file's text layout, chosen so that git merges two people's changes to different
// records cleanly and a save without changes rewrites nothing: records sorted by id,
// keys in the schema's order (unknown keys after), 2-space indent, trailing newline.
import type { z } from 'zod';
import { COLLECTION_NAMES, RECORD_SCHEMAS, type AnyRecord, type CollectionName, type LoyalFile } from '../domain/records';
import { objectShape } from './zodShape';

interface KeyOrder {
  keys: readonly string[];
  rank: ReadonlyMap<string, number>;
  /** Key order of object-valued fields (e.g. a follow-up's outcome). */
  nested: ReadonlyMap<string, KeyOrder>;
  /** The same, by the key's place in `keys`. */
  nestedAt: ReadonlyArray<KeyOrder | undefined>;
}

function keyOrderOf(shape: Record<string, z.ZodType>): KeyOrder {
  const keys = Object.keys(shape);
  const nested = new Map<string, KeyOrder>();
  for (const key of keys) {
    const inner = objectShape(shape[key]);
    if (inner) nested.set(key, keyOrderOf(inner));
  }
  return { keys, rank: new Map(keys.map((key, index) => [key, index])), nested, nestedAt: keys.map((key) => nested.get(key)) };
}

const RECORD_KEY_ORDER = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, keyOrderOf(objectShape(RECORD_SCHEMAS[name])!)])) as Record<CollectionName, KeyOrder>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when the keys already come in schema order, unknown keys after (records out of zod
 * always do). The schema's keys are walked alongside the record's: no look-up per key but
 * for a key the walk passed (out of order) or an unknown one (a save reads every record).
 */
function inOrder(value: Record<string, unknown>, order: KeyOrder): boolean {
  const keys = order.keys;
  let next = 0;
  let unknownSeen = false;
  for (const key in value) {
    let at = next;
    while (at < keys.length && keys[at] !== key) at++;
    if (at === keys.length) {
      if (order.rank.has(key)) return false;
      unknownSeen = true;
      continue;
    }
    if (unknownSeen) return false;
    next = at + 1;
    const nestedOrder = order.nestedAt[at];
    if (nestedOrder) {
      const inner = value[key];
      if (isPlainObject(inner) && !inOrder(inner, nestedOrder)) return false;
    }
  }
  return true;
}

function reorder(value: Record<string, unknown>, order: KeyOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order.keys) {
    if (!(key in value)) continue;
    const inner = value[key];
    const nestedOrder = order.nested.get(key);
    out[key] = nestedOrder && isPlainObject(inner) ? reorder(inner, nestedOrder) : inner;
  }
  for (const key in value) if (!order.rank.has(key)) out[key] = value[key];
  return out;
}

/** Ids compare by UTF-16 code units, the same on every machine (no locale). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isSortedById(records: ReadonlyArray<{ id: string }>): boolean {
  for (let i = 1; i < records.length; i++) if (!(records[i - 1].id < records[i].id)) return false;
  return true;
}

/** The records sorted by id; the same array when it already is (checked in O(n)). */
export function sortedById<T extends { id: string }>(records: T[]): T[] {
  return isSortedById(records) ? records : [...records].sort((a, b) => compareIds(a.id, b.id));
}

/** The records in schema key order; the same array when nothing needed reordering. */
function canonicalRecords(name: CollectionName, records: AnyRecord[]): AnyRecord[] {
  const order = RECORD_KEY_ORDER[name];
  let out: AnyRecord[] | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as Record<string, unknown>;
    if (!out && inOrder(record, order)) continue;
    out ??= records.slice(0, i);
    out.push((inOrder(record, order) ? record : reorder(record, order)) as AnyRecord);
  }
  return out ?? records;
}

/** The file in its canonical layout: sorted, keys ordered. Shares records already in order. */
export function canonicalFile(file: LoyalFile): LoyalFile {
  const raw = file as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (raw.$schema !== undefined) out.$schema = raw.$schema;
  out.schemaVersion = raw.schemaVersion;
  for (const name of COLLECTION_NAMES) {
    const records = (raw[name] ?? []) as AnyRecord[];
    out[name] = canonicalRecords(name, sortedById(records));
  }
  for (const key in raw) if (!(key in out)) out[key] = raw[key];
  return out as LoyalFile;
}

/** Records per piece: a few MB of text, so no single string grows with the book. */
const BATCH = 2000;

/**
 * The file's text in pieces, exactly as `JSON.stringify(canonicalFile(file), null, 2)`
 * plus a newline would write it. A book of 500,000 incidents is longer than V8's
 * longest string (about 512 M characters), so it can only be written piece by piece.
 */
export function* serialiseChunks(file: LoyalFile): Generator<string> {
  const canonical = canonicalFile(file) as Record<string, unknown>;
  const keys = Object.keys(canonical).filter((key) => canonical[key] !== undefined);
  const collections = new Set<string>(COLLECTION_NAMES);
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = canonical[key];
    const end = i === keys.length - 1 ? '\n' : ',\n';
    if (collections.has(key) && Array.isArray(value) && value.length) {
      const open = `  ${JSON.stringify(key)}: [\n`;
      yield open;
      for (let start = 0; start < value.length; start += BATCH) {
        // Stringified under the same key, the records get the file's own indentation.
        const piece = JSON.stringify({ [key]: value.slice(start, start + BATCH) }, null, 2);
        yield (start ? ',\n' : '') + piece.slice(open.length + 2, -6);
      }
      yield `\n  ]${end}`;
    } else {
      yield JSON.stringify({ [key]: value }, null, 2).slice(2, -2) + end;
    }
  }
  yield '}\n';
}

/** The whole text; for books too large for one string, write serialiseChunks instead. */
export function serialiseFile(file: LoyalFile): string {
  return Array.from(serialiseChunks(file)).join('');
}
