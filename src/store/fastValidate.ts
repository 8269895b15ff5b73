// Checking every record with zod is most of what a load costs (several times the JSON
// parse of a large book). The zod schemas stay the only definition of the format: their
// JSON Schema is compiled once with ajv, which accepts a valid record in a fraction of
// the time. ajv only ever says "valid, and zod would return exactly this" or "ask zod":
// a record it rejects goes through zod, which gives the messages users see, so a
// leniency here could let a bad record in, while a strictness only costs time. Hence:
// - a string zod rewrites (trim) is checked by zod itself (keyword `zodExact`) and must
//   come out unchanged; any check the JSON Schema cannot state is left to zod that way;
// - the record zod would return (keys in the schema's order, defaults filled in) is
//   rebuilt from the zod schema, with zod's own defaults;
// - a zod construct not known here turns the fast path off for that collection.
// The checks are generated at build time from the same schemas (recordChecks.generated.ts,
// `npm run generate`) and used only while their fingerprint still matches; otherwise ajv
// compiles them here, with `new Function`: fine in Node (store, CLI, extension host); the
// webviews never load the store.
import { createHash } from 'node:crypto';
import { _, Ajv, type KeywordCxt, type KeywordDefinition, type Options } from 'ajv';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { z } from 'zod';
import { RECORD_SCHEMAS, type AnyRecord, type CollectionName } from '../domain/records';
import { poolerFor, type StringPool } from './pool';
import { asSchema, checksOf, defOf, isWrapper, type ZodDef } from './zodShape';
import * as PREBUILT from './recordChecks.generated';
import { version as AJV_VERSION } from 'ajv/package.json';

/** The record as zod would return it, or undefined when zod must decide. */
export type RecordCheck = (record: unknown) => AnyRecord | undefined;

class Unsupported extends Error {}

/** Checks whose JSON Schema keywords say exactly what zod checks. */
const STRING_CHECKS = new Set(['min_length', 'max_length']);
const STRING_FORMATS = new Set(['regex', 'date', 'datetime']);
const NUMBER_CHECKS = new Set(['greater_than', 'less_than', 'number_format']);
const PLAIN_TYPES = new Set(['string', 'number', 'boolean', 'enum', 'literal', 'object', 'array', 'optional', 'default']);

const TRIMMED = '^(?:\\S(?:[\\s\\S]*\\S)?)?$';
const TRIM_SAMPLES = ['', 'a', ' a ', '\t\n a b \r\n', '\u00a0\ufeffA\u2028', 'É x'];

/** zod's `.trim()` is an overwrite; another overwrite (toLowerCase, ...) is left to zod. */
function isTrim(tx: (value: string) => unknown): boolean {
  return TRIM_SAMPLES.every((sample) => tx(sample) === sample.trim());
}

function jsonSchemaOf(schema: z.ZodType, exact: z.ZodType[]): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const def = defOf(zodSchema);
      if (!PLAIN_TYPES.has(def.type)) throw new Unsupported(def.type);
      const checks = checksOf(def);
      if (def.type === 'string') {
        // A flag (i, m, s, u...) is lost in the JSON Schema's pattern: such a check is zod's.
        const plain = checks.every(
          (c) => STRING_CHECKS.has(c.check) || (c.check === 'string_format' && STRING_FORMATS.has(c.format!) && !c.pattern?.flags) || (c.check === 'overwrite' && isTrim(c.tx!)),
        );
        // `\s` is exactly what String.prototype.trim removes: the pattern says trim changes nothing.
        if (checks.some((c) => c.check === 'overwrite' && isTrim(c.tx!))) {
          if (jsonSchema.pattern === undefined) jsonSchema.pattern = TRIMMED;
          else jsonSchema.allOf = [...(jsonSchema.allOf ?? []), { pattern: TRIMMED }];
        }
        if (!plain) {
          (jsonSchema as Record<string, unknown>).zodExact = exact.length;
          exact.push(asSchema(zodSchema));
        }
        // Lengths in code points, as zod counts them, counted only when the UTF-16 length
        // cannot settle it (see LENGTH_KEYWORDS).
        const lengths = jsonSchema as Record<string, unknown>;
        for (const [from, to] of [
          ['maxLength', 'maxCodePoints'],
          ['minLength', 'minCodePoints'],
        ]) {
          if (lengths[from] === undefined) continue;
          lengths[to] = lengths[from];
          delete lengths[from];
        }
      } else if (checks.some((c) => !(def.type === 'number' && NUMBER_CHECKS.has(c.check)))) {
        throw new Unsupported(`${def.type} with ${checks.map((c) => c.check).join(', ')}`);
      }
      if (def.type === 'object' && def.catchall && defOf(def.catchall).type !== 'never') throw new Unsupported('object keeping unknown keys');
      // Unknown keys of a strict object are refused by the shaper (it reads every key for
      // their order): ajv's own loop over the keys would do it a second time.
      if (def.type === 'object') delete (jsonSchema as Record<string, unknown>).additionalProperties;
      // ajv's own `format` would need ajv-formats; zod's check is the `pattern` beside it.
      delete (jsonSchema as Record<string, unknown>).format;
    },
  }) as Record<string, unknown>;
}

/**
 * A function giving a valid record as zod returns it: the schema's keys in order, absent
 * optional keys left out, absent defaulted keys taking zod's default (read from zod each
 * time, as zod does). A record already so (any file Loyal wrote) is returned as it is:
 * zod's copy would be deep-equal, and not copying spares the garbage collector. Undefined
 * for a strict object with a key the schema does not have: zod then refuses it, with its message.
 */
function shaper(schema: z.ZodType): (record: unknown) => AnyRecord | undefined {
  const defaults: ZodDef[] = [];
  const functions: string[] = [];
  const expression = (node: z.ZodType, source: string): string => {
    const def = defOf(node);
    if (isWrapper(def)) {
      // zod lets a default inside an optional (and the like) apply: not mirrored here.
      if (isWrapper(defOf(def.innerType))) throw new Unsupported(`${def.type} of ${defOf(def.innerType).type}`);
      return expression(def.innerType!, source);
    }
    if (def.type === 'array') {
      const inner = expression(def.element!, 'x');
      return inner === 'x' ? source : `shapeArray(${source}, (x) => ${inner})`;
    }
    if (def.type !== 'object') return source;
    const index = functions.push('') - 1;
    const keys = Object.keys(def.shape!);
    // A strict object (zod refuses unknown keys) is checked for them here, not by ajv: the
    // loop over the keys below is needed for their order anyway (see jsonSchemaOf).
    const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
    let build = `function build${index}(r) {\n`;
    if (strict) build += `  for (const k in r) if (!known${index}.has(k)) return undefined;\n`;
    build += '  const o = {};\n  let v;\n';
    let kept = '';
    for (const [key, child] of Object.entries(def.shape!)) {
      const at = `r[${JSON.stringify(key)}]`;
      const to = `o[${JSON.stringify(key)}]`;
      const value = expression(child, at);
      const childDef = defOf(child);
      // A nested value zod must decide on (undefined) leaves the whole record to zod.
      const take = value === at ? `${to} = ${at};` : `v = ${value}; if (v === undefined) return undefined; ${to} = v;`;
      if (childDef.type === 'default') {
        build += `  if (${at} === undefined) ${to} = defaults[${defaults.push(childDef) - 1}].defaultValue; else { ${take} }\n`;
        kept += `  if (${at} === undefined) return build${index}(r);\n`;
      } else if (childDef.type === 'optional') build += `  if (${at} !== undefined) { ${take} }\n`;
      else build += `  ${take}\n`;
      if (value !== at) kept += `  if (${at} !== undefined && ${value} !== ${at}) return build${index}(r);\n`;
    }
    functions[index] =
      `${build}  return o;\n}\n` +
      `const keys${index} = ${JSON.stringify(keys)};\n` +
      `const known${index} = new Set(keys${index});\n` +
      `function shape${index}(r) {\n  let j = 0;\n` +
      `  for (const k in r) {\n    while (j < ${keys.length} && keys${index}[j] !== k) j++;\n    if (j++ === ${keys.length}) return build${index}(r);\n  }\n` +
      `${kept}  return r;\n}`;
    return `shape${index}(${source})`;
  };
  const top = expression(schema, 'record');
  const shapeArray = (items: unknown[], shape: (item: unknown) => unknown) => {
    const shaped = items.map(shape);
    if (shaped.includes(undefined)) return undefined;
    return shaped.every((item, i) => item === items[i]) ? items : shaped;
  };
  return new Function('defaults', 'shapeArray', `${functions.join('\n')}\nreturn (record) => ${top};`)(defaults, shapeArray) as (record: unknown) => AnyRecord | undefined;
}

/**
 * maxLength and minLength in code points (a surrogate pair once), as zod and JSON Schema
 * count, without counting them for nearly every string: a string has at most as many code
 * points as UTF-16 units, and at least half as many. ajv's own keywords count every string
 * (docs/ARCHITECTURE.md, "Why reading a book is shaped so").
 */
const LENGTH_KEYWORDS: KeywordDefinition[] = [
  {
    keyword: 'maxCodePoints',
    type: 'string',
    schemaType: 'number',
    code(cxt: KeywordCxt) {
      const count = cxt.gen.scopeValue('func', { ref: ucs2length, code: _`require("ajv/dist/runtime/ucs2length").default` });
      cxt.fail(_`${cxt.data}.length > ${cxt.schema} && ${count}(${cxt.data}) > ${cxt.schema}`);
    },
  },
  {
    keyword: 'minCodePoints',
    type: 'string',
    schemaType: 'number',
    code(cxt: KeywordCxt) {
      const count = cxt.gen.scopeValue('func', { ref: ucs2length, code: _`require("ajv/dist/runtime/ucs2length").default` });
      cxt.fail(_`${cxt.data}.length < ${cxt.schema} || (${cxt.data}.length < 2 * ${cxt.schema} && ${count}(${cxt.data}) < ${cxt.schema})`);
    },
  },
];

/** A collection's record schema as ajv checks it, or undefined when it cannot be mirrored. */
export function recordJsonSchema(name: CollectionName): { jsonSchema: Record<string, unknown>; exact: z.ZodType[] } | undefined {
  const exact: z.ZodType[] = [];
  try {
    return { jsonSchema: jsonSchemaOf(RECORD_SCHEMAS[name] as z.ZodType, exact), exact };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * What a prebuilt check was generated from: the JSON Schema and the ajv that compiled it.
 * A prebuilt check is used only while both are still the same.
 */
export function checkFingerprint(jsonSchema: Record<string, unknown>): string {
  return createHash('sha1')
    .update(`ajv ${AJV_VERSION}\n${JSON.stringify(jsonSchema)}`)
    .digest('hex');
}

/** ajv set up as the fast check needs it; `exact` are the strings left to zod (zodExact). */
export function newAjv(exact: z.ZodType[], options: Options = {}): Ajv {
  // Zod's regular expressions carry no `u` flag; with it some would match differently.
  const ajv = new Ajv({ allErrors: false, unicodeRegExp: false, strict: true, validateSchema: false, ...options });
  if (exact.length) {
    ajv.addKeyword({
      keyword: 'zodExact',
      schemaType: 'number',
      errors: false,
      validate: (at: number, data: unknown) => {
        const result = exact[at].safeParse(data);
        return result.success && result.data === data;
      },
    });
  }
  for (const keyword of LENGTH_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/** How each collection's check came about (tests, bench): generated at build time, or compiled now. */
export const checkOrigins = new Map<CollectionName, 'prebuilt' | 'compiled'>();

function compile(name: CollectionName): RecordCheck | undefined {
  const found = recordJsonSchema(name);
  if (!found) return undefined;
  let shape: (record: unknown) => AnyRecord | undefined;
  try {
    shape = shaper(RECORD_SCHEMAS[name] as z.ZodType);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const { jsonSchema, exact } = found;
  // Compiling takes ajv longer than checking a few thousand records: the checks generated
  // from these very schemas (npm run generate) are used while they are still theirs.
  const prebuilt = PREBUILT.checks[name] as ((record: unknown) => boolean) | undefined;
  const valid = !exact.length && prebuilt && PREBUILT.fingerprints[name] === checkFingerprint(jsonSchema) ? prebuilt : newAjv(exact).compile(jsonSchema);
  checkOrigins.set(name, valid === prebuilt ? 'prebuilt' : 'compiled');
  return (record) => (valid(record) ? shape(record) : undefined);
}

const compiled = new Map<CollectionName, RecordCheck | undefined>();

/**
 * The fast check of one collection's records, compiled on first use; undefined when the
 * schema holds something it cannot mirror exactly (then zod checks every record).
 */
export function fastRecordCheck(name: CollectionName): RecordCheck | undefined {
  if (!compiled.has(name)) compiled.set(name, compile(name));
  return compiled.get(name);
}

/**
 * The records of one collection as zod returns them, with their repeated strings shared
 * through `pool` (one pool for a whole file); undefined as soon as one is invalid (then
 * zod's check of the whole file says what is wrong).
 */
export function validRecords(name: CollectionName, records: unknown[], pool: StringPool): AnyRecord[] | undefined {
  const fast = fastRecordCheck(name);
  const schema = RECORD_SCHEMAS[name] as z.ZodType;
  const share = poolerFor(name);
  const out = new Array<AnyRecord>(records.length);
  for (let i = 0; i < records.length; i++) {
    let record = fast?.(records[i]);
    if (!record) {
      const result = schema.safeParse(records[i]);
      if (!result.success) return undefined;
      record = result.data as AnyRecord;
    }
    share(record, pool);
    out[i] = record;
  }
  return out;
}
