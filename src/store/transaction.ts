// One update of the book: inserts and patches on a copy-on-write draft, validated record
// by record. If the change function throws, the draft is dropped and nothing changed.
import type { z } from 'zod';
import { newId } from '../domain/ids';
import { COLLECTIONS, RECORD_SCHEMAS, type AnyRecord, type CollectionName, type LoyalFile, type RecordOf } from '../domain/records';
import { formatPath, REFERENCES } from '../domain/validate';
import { ValidationError } from './errors';
import { deepEqual } from './merge';

type AuditKey = 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy';
/** What a caller gives to insert: the record without audit fields; defaults may be left out. */
export type InsertInput<C extends CollectionName> = Omit<z.input<(typeof RECORD_SCHEMAS)[C]>, AuditKey | 'id'> & { id?: string };

export interface Transaction {
  /** The book as changed so far in this update (read-only: change it through insert and patch). */
  readonly file: LoyalFile;
  insert<C extends CollectionName>(collection: C, record: InsertInput<C>): RecordOf<C>;
  patch<C extends CollectionName>(collection: C, id: string, changes: Partial<RecordOf<C>>): RecordOf<C>;
  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined;
}

/** Position of `id` in records sorted by id: where it is, or where it would go. */
export function findById(records: ReadonlyArray<{ id: string }>, id: string): { index: number; found: boolean } {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (records[mid].id < id) low = mid + 1;
    else high = mid;
  }
  return { index: low, found: low < records.length && records[low].id === id };
}

export function getById<C extends CollectionName>(file: LoyalFile, collection: C, id: string): RecordOf<C> | undefined {
  const records = file[collection] as RecordOf<C>[];
  const { index, found } = findById(records, id);
  return found ? records[index] : undefined;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export class DraftTransaction implements Transaction {
  readonly file: LoyalFile;
  changed = false;
  private readonly copied = new Set<CollectionName>();

  constructor(
    source: LoyalFile,
    private readonly user: string,
    private readonly now: string,
  ) {
    this.file = { ...source };
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return getById(this.file, collection, id);
  }

  insert<C extends CollectionName>(collection: C, input: InsertInput<C>): RecordOf<C> {
    const candidate = withoutUndefined({
      ...(input as Record<string, unknown>),
      id: input.id ?? newId(COLLECTIONS[collection]),
      createdAt: this.now,
      createdBy: this.user,
      updatedAt: this.now,
      updatedBy: this.user,
    });
    const record = this.validate(collection, candidate);
    const records = this.writable(collection);
    const { index, found } = findById(records, record.id);
    if (found) throw new ValidationError(`${record.id} already exists in ${collection}`, [{ path: 'id', message: `${record.id} is already used` }]);
    this.checkReferences(collection, record);
    records.splice(index, 0, record);
    this.changed = true;
    return record;
  }

  patch<C extends CollectionName>(collection: C, id: string, changes: Partial<RecordOf<C>>): RecordOf<C> {
    const records = this.file[collection] as RecordOf<C>[];
    const { index, found } = findById(records, id);
    if (!found) throw new ValidationError(`there is no ${id} in ${collection}`, [{ path: 'id', message: `${id} does not exist` }]);
    const current = records[index];
    if (changes.id !== undefined && changes.id !== id) {
      throw new ValidationError('a record id cannot change', [{ path: 'id', message: 'cannot be changed' }]);
    }
    const candidate = withoutUndefined({
      ...(current as Record<string, unknown>),
      ...(changes as Record<string, unknown>),
      id,
      createdAt: current.createdAt,
      createdBy: current.createdBy,
      updatedAt: current.updatedAt,
      updatedBy: current.updatedBy,
    });
    const record = this.validate(collection, candidate);
    if (deepEqual(record, current)) return current;
    // Same keys, so the schema's key order is kept.
    record.updatedAt = this.now;
    record.updatedBy = this.user;
    this.checkReferences(collection, record);
    this.writable(collection)[index] = record;
    this.changed = true;
    return record;
  }

  private writable<C extends CollectionName>(collection: C): RecordOf<C>[] {
    if (!this.copied.has(collection)) {
      (this.file as Record<CollectionName, AnyRecord[]>)[collection] = (this.file[collection] as AnyRecord[]).slice();
      this.copied.add(collection);
    }
    return this.file[collection] as RecordOf<C>[];
  }

  private validate<C extends CollectionName>(collection: C, candidate: Record<string, unknown>): RecordOf<C> {
    const parsed = RECORD_SCHEMAS[collection].safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
      const first = issues[0];
      throw new ValidationError(`${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
    }
    return parsed.data as RecordOf<C>;
  }

  /** A reference to a missing record would make the saved file unreadable: refuse it here. */
  private checkReferences(collection: CollectionName, record: AnyRecord): void {
    const issues = [];
    for (const [from, field, to] of REFERENCES) {
      if (from !== collection) continue;
      const target = (record as Record<string, unknown>)[field];
      if (typeof target !== 'string') continue;
      if (to === collection && target === record.id) continue;
      if (!getById(this.file, to, target)) issues.push({ path: field, message: `refers to ${target}, which is not in ${to}` });
    }
    if (issues.length) throw new ValidationError(`${issues[0].path}: ${issues[0].message}`, issues);
  }
}
