// A book repeats the same few strings hundreds of thousands of times: the customer each
// record belongs to, staff and component names, tags, causes, the names in createdBy and
// updatedBy. JSON.parse makes each of them a string of its own (V8 shares only strings of up
// to 10 characters). The store keeps one copy of each while it reads a file, as the records
// are checked:
// - the book takes less memory (about a fifth: see README, Performance);
// - strings that are the same object compare at once, and their hash is worked out once,
//   so every pass that groups or looks up by them (the trend review, the views) reads less
//   memory and does less work.
// Only values are shared, never changed: a record holds equal strings before and after.
import { RECORD_SCHEMAS, type AnyRecord, type CollectionName } from '../domain/records';
import { enumValues } from './zodShape';

/**
 * The values of every enumeration in the records (category, channel, status...), as the
 * schema writes them: strings in the code are the engine's shared ones, which look-ups by
 * key find at once.
 */
const ENUM_VALUES: readonly string[] = Object.values(RECORD_SCHEMAS).flatMap((schema) => Object.values(schema.shape).flatMap((field) => enumValues(field)));

/** One load's strings, each kept once. */
export class StringPool {
  private readonly kept = new Map<string, string>(ENUM_VALUES.map((value) => [value, value]));

  /** The string kept for `value` (the first one met). */
  of(value: string): string {
    const kept = this.kept.get(value);
    if (kept !== undefined) return kept;
    this.kept.set(value, value);
    return value;
  }
}

type Mutable = Record<string, unknown>;

/**
 * The fields of each collection whose values repeat from record to record: not ids, instants
 * or free text, and not the fields whose values are all 10 characters or fewer (days,
 * currencies, most statuses), which V8's JSON.parse already shares.
 */
export const POOLED_FIELDS: { readonly [C in CollectionName]: readonly string[] } = {
  customers: ['owner', 'createdBy', 'updatedBy'],
  purchases: ['customerId', 'createdBy', 'updatedBy'],
  subscriptions: ['customerId', 'createdBy', 'updatedBy'],
  contacts: ['customerId', 'by', 'createdBy', 'updatedBy'],
  incidents: ['customerId', 'component', 'staff', 'cause', 'resolvedBy', 'createdBy', 'updatedBy'],
  followUps: ['customerId', 'kind', 'assignee', 'doneBy', 'createdBy', 'updatedBy'],
  notes: ['customerId', 'writtenBy', 'sentBy', 'createdBy', 'updatedBy'],
  releases: ['component', 'createdBy', 'updatedBy'],
  team: ['createdBy', 'updatedBy'],
};

/** Collections whose records have a list of tags. */
const TAGGED = new Set<CollectionName>(['customers', 'incidents']);

/**
 * One field-by-field function per collection, written out so that each field is read and
 * written at a fixed key (a loop over key names makes every access a slow generic one,
 * measured several times slower on a 500k-incident book).
 */
function poolerOf(name: CollectionName): (record: Mutable, pool: StringPool) => void {
  const lines = POOLED_FIELDS[name].map((key) => {
    const at = `r[${JSON.stringify(key)}]`;
    return `  if (${at} !== undefined) ${at} = pool.of(${at});`;
  });
  // Customers come first in the file: their ids are the strings every customerId shares.
  if (name === 'customers') lines.push('  r.id = pool.of(r.id);');
  if (TAGGED.has(name)) lines.push('  const tags = r.tags;', '  if (tags !== undefined) for (let k = 0; k < tags.length; k++) tags[k] = pool.of(tags[k]);');
  return new Function('r', 'pool', lines.join('\n')) as (record: Mutable, pool: StringPool) => void;
}

const poolers = new Map<CollectionName, (record: Mutable, pool: StringPool) => void>();

/**
 * The function sharing the repeated strings of one checked record of a collection, in
 * place (every value stays equal). Called on each record as soon as it is checked, while
 * its strings are still in the processor's cache.
 */
export function poolerFor(name: CollectionName): (record: AnyRecord, pool: StringPool) => void {
  let pooler = poolers.get(name);
  if (pooler === undefined) poolers.set(name, (pooler = poolerOf(name)));
  return pooler as (record: AnyRecord, pool: StringPool) => void;
}
