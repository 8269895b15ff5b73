// Whole-file validation: the zod schema, then what a schema cannot say (unique ids,
// references between records). Every problem names the record path, e.g.
// `incidents[3].severity`, and the record's id when it has one.
import type { z } from 'zod';
import { COLLECTION_NAMES, LoyalFile, type CollectionName } from './records';
import { migrate } from './migrations';

export interface FileProblem {
  /** Record path such as `incidents[3].severity`. */
  path: string;
  message: string;
  recordId?: string;
}

export type FileCheck = { ok: true; file: LoyalFile } | { ok: false; problems: FileProblem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(file)';
}

function recordIdAt(raw: unknown, path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path.length < 2 || typeof path[1] !== 'number') return undefined;
  const collection = (raw as Record<string, unknown> | null)?.[path[0] as string];
  const record = Array.isArray(collection) ? collection[path[1]] : undefined;
  const id = (record as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

export function zodProblems(error: z.ZodError, raw: unknown): FileProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    recordId: recordIdAt(raw, issue.path),
  }));
}

export const REFERENCES: Array<[CollectionName, string, CollectionName]> = [
  ['purchases', 'customerId', 'customers'],
  ['subscriptions', 'customerId', 'customers'],
  ['contacts', 'customerId', 'customers'],
  ['incidents', 'customerId', 'customers'],
  ['followUps', 'customerId', 'customers'],
  ['followUps', 'incidentId', 'incidents'],
  ['notes', 'customerId', 'customers'],
  ['notes', 'incidentId', 'incidents'],
  ['customers', 'referredBy', 'customers'],
];

/** What a merge resolved by keeping both sides leaves: one record twice, often in two versions. */
function duplicateMessage(id: string, firstIndex: number, same: boolean): string {
  return same
    ? `the id ${id} is used twice: the record is in the file twice (also at [${firstIndex}]); delete one copy`
    : `the id ${id} is used twice: the record is in the file in two versions (the other at [${firstIndex}]), as a merge that kept both sides leaves it; keep the right one`;
}

/** Collections other records refer to: only their ids need to be looked up. */
const REFERENCED = new Set<CollectionName>(REFERENCES.map(([, , to]) => to));

export function referenceProblems(file: LoyalFile): FileProblem[] {
  // Plain loops: on a big book this runs on every load, over every record.
  const problems: FileProblem[] = [];
  const ids = new Map<CollectionName, Set<string>>();
  for (const name of COLLECTION_NAMES) {
    const records = file[name];
    // Records in strictly increasing id order (as the store keeps them) hold no id twice.
    let sorted = true;
    for (let index = 1; index < records.length && sorted; index++) sorted = records[index - 1].id < records[index].id;
    if (sorted) {
      if (REFERENCED.has(name)) ids.set(name, new Set(records.map((record) => record.id)));
      continue;
    }
    const seen = new Map<string, number>();
    for (let index = 0; index < records.length; index++) {
      const id = records[index].id;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else problems.push({ path: `${name}[${index}].id`, message: duplicateMessage(id, first, JSON.stringify(records[first]) === JSON.stringify(records[index])), recordId: id });
    }
    ids.set(name, new Set(seen.keys()));
  }
  for (const [from, field, to] of REFERENCES) {
    const targets = ids.get(to)!;
    const records = file[from] as Array<Record<string, unknown>>;
    for (let index = 0; index < records.length; index++) {
      const ref = records[index][field];
      if (typeof ref === 'string' && !targets.has(ref)) {
        problems.push({ path: `${from}[${index}].${field}`, message: `refers to ${ref}, which is not in ${to}`, recordId: records[index].id as string });
      }
    }
  }
  return problems;
}

/** Migrates, validates and checks references; never throws for bad content. */
export function checkFile(raw: unknown): FileCheck {
  let migrated: unknown;
  try {
    migrated = migrate(raw);
  } catch (error) {
    return { ok: false, problems: [{ path: 'schemaVersion', message: (error as Error).message }] };
  }
  const parsed = LoyalFile.safeParse(migrated);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, migrated) };
  const problems = referenceProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, file: parsed.data };
}
