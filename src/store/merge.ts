// Three-way merge of data files, record by record. Used by the store (base = what it
// last read, ours = memory, theirs = the disk), by the git merge driver, and to repair
// a file left with conflict markers. Nothing is dropped silently: when both sides
// changed the same record, each side's changes to different fields are both kept (one
// archived a customer, the other fixed its email: archived, with the new email); a field
// both changed takes the later `updatedAt`'s value (on a tie, ours: the version the
// person merging has in front of them) and the other version is reported as a conflict
// so the caller can keep it in the backup folder. A record removed on one side and
// changed on the other is kept with the change, and reported.
import { readFile } from 'node:fs/promises';
import { COLLECTION_NAMES, RECORD_SCHEMAS, emptyFile, type AnyRecord, type CollectionName, type LoyalFile } from '../domain/records';
import { referenceProblems } from '../domain/validate';
import { DataFileError } from './errors';
import { findConflictMarkers } from './jsonErrors';
import { parseFileBytes, parseFileText } from './parse';
import { compareIds, serialiseChunks, sortedById } from './serialise';
import { writeFileAtomic } from './atomic';

export type ConflictReason = 'both-changed' | 'changed-and-removed' | 'removed-but-referenced';

export interface MergeConflict {
  collection: CollectionName;
  id: string;
  reason: ConflictReason;
  /** The version in the result (null when the record is not in the result). */
  kept: AnyRecord | null;
  /** The version that lost (null when the losing side had removed the record). */
  lost: AnyRecord | null;
}

export interface MergeResult {
  file: LoyalFile;
  conflicts: MergeConflict[];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (ra[key] === undefined) continue;
    count++;
    if (!deepEqual(ra[key], rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}

const updatedMs = (record: AnyRecord) => {
  const ms = Date.parse(record.updatedAt);
  return Number.isNaN(ms) ? -Infinity : ms;
};

function byId(records: readonly AnyRecord[] | undefined): Map<string, AnyRecord> {
  const map = new Map<string, AnyRecord>();
  for (const record of records ?? []) map.set(record.id, record);
  return map;
}

const AUDIT_UPDATE = new Set(['updatedAt', 'updatedBy']);

/**
 * One record changed on both sides, merged field by field against the ancestor: a field
 * changed on one side only takes that change; a field changed differently on both takes
 * the later side's value (and `clashed` says so). `updatedAt`/`updatedBy` are the later side's.
 */
function mergeFields(base: AnyRecord, ours: AnyRecord, theirs: AnyRecord, theirsLater: boolean): { record: AnyRecord; clashed: boolean } {
  const b = base as Record<string, unknown>;
  const o = ours as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let clashed = false;
  const keys = new Set([...Object.keys(o), ...Object.keys(t), ...Object.keys(b)]);
  for (const key of keys) {
    let value: unknown;
    if (AUDIT_UPDATE.has(key)) value = theirsLater ? t[key] : o[key];
    else if (deepEqual(o[key], t[key])) value = o[key];
    else if (deepEqual(o[key], b[key])) value = t[key];
    else if (deepEqual(t[key], b[key])) value = o[key];
    else {
      clashed = true;
      value = theirsLater ? t[key] : o[key];
    }
    if (value !== undefined) out[key] = value;
  }
  return { record: out as AnyRecord, clashed };
}

function mergeCollection(name: CollectionName, base: readonly AnyRecord[], ours: readonly AnyRecord[], theirs: readonly AnyRecord[], conflicts: MergeConflict[]): AnyRecord[] {
  const baseById = byId(base);
  const theirsById = byId(theirs);
  const out: AnyRecord[] = [];
  const pick = (id: string, b: AnyRecord | undefined, o: AnyRecord | undefined, t: AnyRecord | undefined) => {
    if (o === t || (o && t && deepEqual(o, t))) return o;
    if (b) {
      if (o === b || (o && deepEqual(o, b))) return t;
      if (t && deepEqual(t, b)) return o;
    }
    if (!b && (!o || !t)) return o ?? t;
    if (!o || !t) {
      // Removed on one side, changed on the other: keep the change, nothing is lost.
      const kept = (o ?? t)!;
      conflicts.push({ collection: name, id, reason: 'changed-and-removed', kept, lost: null });
      return kept;
    }
    const theirsLater = updatedMs(t) > updatedMs(o);
    if (b) {
      // Different fields changed on each side (one archived it, the other changed its
      // email): both changes are kept. Only a field both changed is settled by the later.
      const { record, clashed } = mergeFields(b, o, t, theirsLater);
      // Fields are independent in the schema; checked all the same, so a merge never writes a record Loyal would refuse.
      if (RECORD_SCHEMAS[name].safeParse(record).success) {
        if (!clashed) return record;
        conflicts.push({ collection: name, id, reason: 'both-changed', kept: record, lost: theirsLater ? o : t });
        return record;
      }
    }
    const [kept, lost] = theirsLater ? [t, o] : [o, t];
    conflicts.push({ collection: name, id, reason: 'both-changed', kept, lost });
    return kept;
  };
  for (const o of ours) {
    const t = theirsById.get(o.id);
    const chosen = pick(o.id, baseById.get(o.id), o, t);
    if (chosen) out.push(chosen);
    theirsById.delete(o.id);
  }
  for (const t of theirsById.values()) {
    const chosen = pick(t.id, baseById.get(t.id), undefined, t);
    if (chosen) out.push(chosen);
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

const REFERENCE_TARGET = /^(\w+)\[\d+\]\.\w+$/;

/**
 * A record removed on one side may still be referenced by a record the other side added
 * (an incident for a customer someone deleted). Bring the removed record back so the
 * result stays a valid file.
 */
function restoreReferenced(file: LoyalFile, sources: LoyalFile[], conflicts: MergeConflict[]): void {
  for (let round = 0; round < 10; round++) {
    const missing = referenceProblems(file).filter((p) => / which is not in /.test(p.message) && REFERENCE_TARGET.test(p.path));
    if (!missing.length) return;
    let restored = false;
    for (const problem of missing) {
      const match = /refers to (\S+), which is not in (\w+)/.exec(problem.message);
      if (!match) continue;
      const id = match[1];
      const collection = match[2] as CollectionName;
      if ((file[collection] as AnyRecord[]).some((r) => r.id === id)) continue;
      const found = sources.map((s) => (s[collection] as AnyRecord[]).find((r) => r.id === id)).find(Boolean);
      if (!found) continue;
      (file[collection] as AnyRecord[]).push(found);
      (file as Record<CollectionName, AnyRecord[]>)[collection] = sortedById(file[collection] as AnyRecord[]);
      conflicts.push({ collection, id, reason: 'removed-but-referenced', kept: found, lost: null });
      restored = true;
    }
    if (!restored) return;
  }
}

/**
 * Record-level three-way merge. `base` is the common ancestor, or null when there is
 * none (then a record that differs between the sides counts as changed on both).
 */
export function mergeFiles(base: LoyalFile | null, ours: LoyalFile, theirs: LoyalFile): MergeResult {
  const conflicts: MergeConflict[] = [];
  const b = base ?? emptyFile();
  const file = { ...emptyFile(), ...ours } as LoyalFile;
  if (theirs.$schema !== undefined && ours.$schema === undefined) file.$schema = theirs.$schema;
  for (const name of COLLECTION_NAMES) {
    (file as Record<CollectionName, AnyRecord[]>)[name] = mergeCollection(name, (b[name] ?? []) as AnyRecord[], (ours[name] ?? []) as AnyRecord[], (theirs[name] ?? []) as AnyRecord[], conflicts);
  }
  restoreReferenced(file, [ours, theirs, b], conflicts);
  return { file, conflicts };
}

/**
 * Rebuilds both sides (and the ancestor, for diff3-style `|||||||` sections) of a text
 * holding git conflict markers, and merges them record by record.
 */
export function resolveConflictMarkers(text: string): MergeResult | DataFileError {
  if (!findConflictMarkers(text).length) return new DataFileError('conflict-markers', 'the file holds no merge conflict markers', []);
  const ours: string[] = [];
  const theirs: string[] = [];
  const base: string[] = [];
  let section: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  let sawBase = false;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const marker = /^(<{7}|\|{7}|={7}|>{7})(?:[ \t]|\r?$)/.exec(line)?.[1];
    const expected = { '<<<<<<<': ['both'], '|||||||': ['ours'], '=======': ['ours', 'base'], '>>>>>>>': ['theirs'] } as const;
    if (marker) {
      const allowed = expected[marker as keyof typeof expected] as readonly string[];
      if (!allowed.includes(section)) {
        return new DataFileError('conflict-markers', `unexpected ${marker} at line ${index + 1}: the conflict markers are not well formed`, [
          { line: index + 1, column: 1, message: `unexpected ${marker}` },
        ]);
      }
      if (marker === '|||||||') sawBase = true;
      section = marker === '<<<<<<<' ? 'ours' : marker === '|||||||' ? 'base' : marker === '=======' ? 'theirs' : 'both';
      continue;
    }
    if (section === 'both' || section === 'ours') ours.push(line);
    if (section === 'both' || section === 'theirs') theirs.push(line);
    if (section === 'both' || section === 'base') base.push(line);
  }
  if (section !== 'both') {
    return new DataFileError('conflict-markers', 'a merge conflict is not closed with >>>>>>>', [{ line: lines.length, message: 'missing >>>>>>>' }]);
  }
  const side = (label: string, sideText: string): LoyalFile | DataFileError => {
    try {
      return parseFileText(sideText);
    } catch (error) {
      if (!(error instanceof DataFileError)) throw error;
      return new DataFileError(error.kind, `${label} side of the merge conflicts cannot be read: ${error.message}`, error.problems);
    }
  };
  const oursFile = side('your', ours.join('\n'));
  if (oursFile instanceof DataFileError) return oursFile;
  const theirsFile = side('their', theirs.join('\n'));
  if (theirsFile instanceof DataFileError) return theirsFile;
  let baseFile: LoyalFile | null = null;
  if (sawBase) {
    const parsed = side('the common', base.join('\n'));
    baseFile = parsed instanceof DataFileError ? null : parsed;
  }
  return mergeFiles(baseFile, oursFile, theirsFile);
}

async function readSide(path: string, allowEmpty: boolean): Promise<LoyalFile | null> {
  const bytes = await readFile(path);
  if (allowEmpty && bytes.toString('latin1', 0, 4096).trim() === '' && bytes.length <= 4096) return null;
  return parseFileBytes(bytes);
}

/**
 * The `loyal merge %O %A %B` git merge driver: merges record by record and writes the
 * result into OURS (%A), as git expects. When any input cannot be read, OURS is left
 * untouched and the exit code is non-zero, so git reports a conflict as usual.
 */
export async function mergeDriver(basePath: string, oursPath: string, theirsPath: string): Promise<{ exitCode: number; conflicts: MergeConflict[]; error?: DataFileError }> {
  let sides: [LoyalFile | null, LoyalFile | null, LoyalFile | null];
  try {
    // An add/add conflict has no ancestor: git passes an empty file.
    sides = await Promise.all([readSide(basePath, true), readSide(oursPath, false), readSide(theirsPath, false)]);
  } catch (error) {
    const failure = error instanceof DataFileError ? error : new DataFileError('io', `cannot read a side of the merge: ${(error as Error).message}`);
    return { exitCode: 2, conflicts: [], error: failure };
  }
  const [base, ours, theirs] = sides;
  const { file, conflicts } = mergeFiles(base, ours!, theirs!);
  await writeFileAtomic(oursPath, serialiseChunks(file));
  return { exitCode: 0, conflicts };
}
