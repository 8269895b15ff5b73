// Reading a data file: JSON, then the schema and the references. Every failure says where
// it is, by line and column (jsonErrors.ts, locate.ts), so a hand edit or a git merge gone
// wrong can be fixed at the spot. A valid file in Loyal's own layout takes the fast way
// (fastValidate.ts); anything else, zod's (src/domain/validate.ts), which says what is wrong.
import { COLLECTION_NAMES, SCHEMA_VERSION, type AnyRecord, type CollectionName, type LoyalFile } from '../domain/records';
import { checkFile, referenceProblems } from '../domain/validate';
import { parsedKeyCount } from './duplicateKeys';
import { DataFileError, schemaError } from './errors';
import { validRecords } from './fastValidate';
import { invalidJson } from './jsonErrors';
import { parseLarge } from './largeFile';
import { bytesLocator, locateProblems, textLocator, type Locator } from './locate';
import { StringPool } from './pool';
import { sortedById } from './serialise';

const FILE_KEYS = new Set(['$schema', 'schemaVersion', ...COLLECTION_NAMES]);
const COLLECTION_KEYS = new Set<string>(COLLECTION_NAMES);

/**
 * The book from its checked records, as every way of reading gives it: `$schema` if the file
 * has one, the schema version, then each collection (absent ones empty) sorted by id.
 */
export function assembleFile(schema: unknown, version: unknown, records: (name: CollectionName) => AnyRecord[] | undefined): LoyalFile {
  const file: Record<string, unknown> = {};
  if (schema !== undefined) file.$schema = schema;
  file.schemaVersion = version;
  for (const name of COLLECTION_NAMES) file[name] = sortedById(records(name) ?? []);
  return file as LoyalFile;
}

/** The top-level keys of a current file, as Loyal writes them: no migration, nothing unknown. */
function isCurrentFile(raw: unknown): raw is Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const source = raw as Record<string, unknown>;
  if (source.schemaVersion !== SCHEMA_VERSION) return false;
  if (source.$schema !== undefined && typeof source.$schema !== 'string') return false;
  for (const key in source) if (!FILE_KEYS.has(key)) return false;
  return true;
}

/**
 * A current, valid file as `LoyalFile.parse` returns it (references included), sorted, or
 * undefined for anything else: then checkFile decides and says what is wrong. The records
 * of `raw` may come back as they are, with their repeated strings shared (see StringPool):
 * every value stays equal.
 */
export function fastCheckFile(raw: unknown): LoyalFile | undefined {
  if (!isCurrentFile(raw)) return undefined;
  const pool = new StringPool();
  const checked = new Map<CollectionName, AnyRecord[]>();
  for (const name of COLLECTION_NAMES) {
    const records = raw[name] ?? [];
    if (!Array.isArray(records)) return undefined;
    const valid = validRecords(name, records, pool);
    if (!valid) return undefined;
    checked.set(name, valid);
  }
  const file = assembleFile(raw.$schema, raw.schemaVersion, (name) => checked.get(name));
  return referenceProblems(file).length ? undefined : file;
}

/** What a read learnt beyond the book: its text, and how many keys JSON.parse kept (see repeatedKeyProblems). */
export interface ReadFacts {
  text?: string;
  /** Counts the keys JSON.parse kept (asked once, by the check for keys written twice). */
  keys?: () => number;
}

/** Parses and validates the text of a data file; throws a DataFileError saying where it is broken. */
export function parseFileText(text: string, facts?: ReadFacts): LoyalFile {
  return parsedText(text, facts).check();
}

/**
 * A book read but not checked yet: `book`, the records as JSON.parse gave them, in a layout
 * every view reads safely (Loyal's current layout, every record an object, ids sorted), and
 * `check`, the whole check parseFileText would have made (throws a DataFileError saying
 * where the file is broken). The store shows `book` at once and checks it a moment later,
 * before anything is written (docs/ARCHITECTURE.md, "Why reading a book is shaped so").
 */
export class UncheckedBook {
  constructor(
    readonly book: LoyalFile,
    readonly check: () => LoyalFile,
  ) {}
}

function parsedText(text: string, facts?: ReadFacts): { raw: unknown; check: () => LoyalFile } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidJson(text, error);
  }
  const check = (): LoyalFile => {
    if (facts) {
      facts.text = text;
      // Counted only when asked: before the file is written over, or a moment after the
      // book is shown. A command that only reads (loyal review) never needs it. The count
      // stays that of the text: the check never adds or removes a key of `raw` (records it
      // fills in are new objects; shared strings replace equal values).
      facts.keys = () => parsedKeyCount(raw);
    }
    return checkRaw(raw, textLocator(text));
  };
  return { raw, check };
}

/** Ids in order, each record an object with a string id: what finding a record by id needs. */
function isSortedRecords(records: unknown): records is Array<{ id: string }> {
  if (!Array.isArray(records)) return false;
  let last: string | undefined;
  for (const record of records) {
    const id = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || (last !== undefined && !(last < id))) return false;
    last = id;
  }
  return true;
}

/**
 * The bytes of a data file parsed and, when they can be shown before their records are
 * checked, an UncheckedBook; otherwise the checked book, as parseFileBytes gives it. A
 * large file, an older layout to migrate or records out of order are checked at once.
 */
export function parseFileBytesUnchecked(bytes: Buffer, largeAbove = LARGE_FILE_BYTES, facts?: ReadFacts): LoyalFile | UncheckedBook {
  if (bytes.length > largeAbove) return parseFileBytes(bytes, largeAbove, facts);
  const { raw, check } = parsedText(bytes.toString('utf8'), facts);
  if (!isCurrentFile(raw)) return check();
  for (const name of COLLECTION_NAMES) if (raw[name] !== undefined && !isSortedRecords(raw[name])) return check();
  return new UncheckedBook(
    assembleFile(raw.$schema, raw.schemaVersion, (name) => raw[name] as AnyRecord[] | undefined),
    check,
  );
}

/** True when two books hold the very same record objects, collection by collection. */
export function sameRecords(a: LoyalFile, b: LoyalFile): boolean {
  for (const name of COLLECTION_NAMES) {
    const left = a[name] as AnyRecord[];
    const right = b[name] as AnyRecord[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  }
  return a.$schema === b.$schema && a.schemaVersion === b.schemaVersion;
}

/** Above this size the file is read piece by piece (see parseLarge). */
export const LARGE_FILE_BYTES = 256 * 2 ** 20;

/** Parses the bytes of a data file; large books are never turned into one string. */
export function parseFileBytes(bytes: Buffer, largeAbove = LARGE_FILE_BYTES, facts?: ReadFacts): LoyalFile {
  // One JSON.parse of the whole text is the quickest while the text fits in a string.
  if (bytes.length <= largeAbove) return parseFileText(bytes.toString('utf8'), facts);
  const fast = parseValidLayout(bytes);
  if (fast) return fast;
  // Not in Loyal's layout, or not valid: the plain path, which says where the problem is.
  return checkRaw(parseLarge(bytes), bytesLocator(bytes));
}

class NotFast extends Error {}

/**
 * The quick way to read a valid large file in Loyal's layout: a few MB of records at a
 * time, each validated as soon as it is parsed, and no string as long as the file is ever
 * made. Gives the same book as JSON.parse + checkFile; returns undefined on anything unusual (an older
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
      const checked = validRecords(key as CollectionName, records, pool);
      if (!checked) throw new NotFast();
      return checked;
    });
  } catch {
    return undefined;
  }
  if (!isCurrentFile(raw)) return undefined;
  // Records written on one line came through JSON.parse unvalidated.
  for (const key of COLLECTION_NAMES) if (raw[key] !== undefined && (!Array.isArray(raw[key]) || ((raw[key] as unknown[]).length && !validated.has(key)))) return undefined;
  const file = assembleFile(raw.$schema, raw.schemaVersion, (name) => raw[name] as AnyRecord[] | undefined);
  return referenceProblems(file).length ? undefined : file;
}

/** The schema, references and version of parsed JSON; records come back sorted by id. */
function checkRaw(raw: unknown, source: Locator): LoyalFile {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    const at = source.indexOf('"schemaVersion"');
    throw new DataFileError('newer-version', `the file was written by a newer Loyal (schemaVersion ${version}; this one reads up to ${SCHEMA_VERSION}): update Loyal`, [
      { path: 'schemaVersion', message: `schemaVersion ${version} is newer than ${SCHEMA_VERSION}`, ...(at === -1 ? {} : source.linesAt([at])[0]) },
    ]);
  }
  const fast = fastCheckFile(raw);
  if (fast) return fast;
  const checked = checkFile(raw);
  if (!checked.ok) {
    throw schemaError(locateProblems(source, raw, checked.problems));
  }
  const file = checked.file as Record<string, unknown>;
  return assembleFile(file.$schema, file.schemaVersion, (name) => file[name] as AnyRecord[]);
}
