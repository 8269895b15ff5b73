// The one place that reads zod's schemas from the inside. The records' zod schemas
// (src/domain/records.ts) are the only definition of the file format; three parts of the
// store derive what they need from them, through this module only:
// - fastValidate: the JSON Schema the fast check compiles, and the record as zod returns it;
// - serialise: the order of the keys in the file;
// - pool: the enumerations' values.
// zod's definitions (`_zod.def`) are not a documented API, so zod is pinned to one exact
// version in package.json, and `npm run bench` (store) fails if the fast check cannot mirror
// a collection any more (test/unit/store/fastValidate.test.ts says which).
import type { z } from 'zod';

/** The parts of a zod definition Loyal reads. */
export interface ZodDef {
  type: string;
  checks?: Array<{ _zod: { def: ZodCheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string | number>;
}

export interface ZodCheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  tx?: (value: string) => unknown;
}

/** zod's definition of a schema (of any node: an object, a field, a wrapper). */
export function defOf(schema: unknown): ZodDef {
  return (schema as { _zod: { def: ZodDef } })._zod.def;
}

/** The checks of a node (lengths, formats, trims), as their definitions. */
export function checksOf(def: ZodDef): ZodCheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

/** A schema node seen from outside: the same node, typed as the zod schema it is. */
export function asSchema(node: unknown): z.ZodType {
  return node as z.ZodType;
}

/** True for `.optional()` and `.default()`, the wrappers a record's field may have. */
export function isWrapper(def: ZodDef): boolean {
  return def.type === 'optional' || def.type === 'default';
}

/** The node under optional/default/nullable wrappers. */
export function unwrapped(schema: z.ZodType): ZodDef {
  let def = defOf(schema);
  while (def.innerType && def.type !== 'object') def = defOf(def.innerType);
  return def;
}

/** The object shape under its wrappers, if the node holds an object. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = unwrapped(schema);
  return def.type === 'object' ? def.shape : undefined;
}

/** The values of an enumeration field (under its wrappers); none for any other field. */
export function enumValues(schema: z.ZodType): string[] {
  const def = unwrapped(schema);
  return def.type === 'enum' ? Object.values(def.entries ?? {}).filter((value): value is string => typeof value === 'string') : [];
}
