import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoBook } from '../../../src/domain/demo';
import { COLLECTION_NAMES, RECORD_SCHEMAS, type CollectionName, type LoyalFile } from '../../../src/domain/records';
import { checkFile } from '../../../src/domain/validate';
import { fastCheckFile, parseFileBytes, parseFileText } from '../../../src/store/parse';
import { serialiseFile } from '../../../src/store/serialise';
import { checkOrigins, fastRecordCheck } from '../../../src/store/fastValidate';
import { GENERATED_PATH, recordChecksModule } from '../../../scripts/generate-record-checks';
import { POOLED_FIELDS } from '../../../src/store/pool';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const BOOKS: Array<[string, () => unknown]> = [
  ['a demo book', () => JSON.parse(JSON.stringify(generateDemoBook({ customers: 300, seed: 3 })))],
  ['the workspace fixture', () => JSON.parse(readFileSync(join(FIXTURES, 'workspace', 'loyal.json'), 'utf8'))],
  ['the canonical store fixture', () => JSON.parse(readFileSync(join(FIXTURES, 'store', 'canonical.json'), 'utf8'))],
];

/** What the zod path gives: checkFile, then records sorted by id as the store keeps them. */
function zodLoad(raw: unknown): LoyalFile {
  const checked = checkFile(structuredClone(raw));
  assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.problems.slice(0, 3)));
  for (const name of COLLECTION_NAMES) (checked.file[name] as Array<{ id: string }>).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return checked.file;
}

/** Deep-equal and written the same (key order included: saves must stay byte-identical). */
function assertSameAsZod(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

const checkOf = (name: CollectionName) => {
  const check = fastRecordCheck(name);
  assert.ok(check, `no fast check for ${name}: its zod schema uses something fastValidate cannot mirror`);
  return check;
};

const recordOf = (name: CollectionName) => structuredClone((JSON.parse(JSON.stringify(generateDemoBook({ customers: 30, seed: 5 }))) as LoyalFile)[name][0]) as unknown as Record<string, unknown>;

describe('fast validation of records (ajv from the zod schemas)', () => {
  it('has a compiled check for every collection', () => {
    for (const name of COLLECTION_NAMES) checkOf(name);
  });

  it('uses the checks generated ahead of time, which are those of the current schemas', () => {
    assert.equal(readFileSync(GENERATED_PATH, 'utf8'), recordChecksModule(), 'src/store/recordChecks.generated.ts is out of date: run `npm run generate`');
    for (const name of COLLECTION_NAMES) {
      checkOf(name);
      assert.equal(checkOrigins.get(name), 'prebuilt', `${name} was compiled at run time, not taken from the generated checks`);
    }
  });

  for (const [label, book] of BOOKS) {
    it(`gives, for ${label}, every record exactly as zod does and takes the fast path for each`, () => {
      const raw = book() as Record<CollectionName, unknown[]>;
      for (const name of COLLECTION_NAMES) {
        for (const [index, record] of (raw[name] ?? []).entries()) {
          const fast = checkOf(name)(structuredClone(record));
          assert.ok(fast, `${name}[${index}] was refused by the fast check`);
          assertSameAsZod(fast, RECORD_SCHEMAS[name].parse(structuredClone(record)));
        }
      }
    });

    it(`loads ${label} as the zod path does, byte for byte once saved`, () => {
      const raw = book();
      const text = JSON.stringify(raw, null, 2);
      const expected = zodLoad(raw);
      assert.ok(fastCheckFile(structuredClone(raw)), 'the whole file was refused by the fast check');
      const fromText = parseFileText(text);
      const fromBytes = parseFileBytes(Buffer.from(text), 0); // the piecewise reader of large books
      assertSameAsZod(fromText, expected);
      assertSameAsZod(fromBytes, expected);
      assert.equal(serialiseFile(fromText), serialiseFile(expected));
    });
  }

  it('fills in defaults and puts keys in the schema order, as zod does', () => {
    const incident = recordOf('incidents');
    for (const key of ['severity', 'cause', 'summary', 'tags', 'reopenCount']) delete incident[key];
    const shuffled = Object.fromEntries(Object.entries(incident).reverse());
    const fast = checkOf('incidents')(structuredClone(shuffled));
    assert.ok(fast);
    assertSameAsZod(fast, RECORD_SCHEMAS.incidents.parse(structuredClone(shuffled)));
    assert.deepEqual(Object.keys(fast).slice(0, 3), ['id', 'customerId', 'openedAt']);
    const customer = recordOf('customers');
    delete customer.tags;
    delete customer.archived;
    const first = checkOf('customers')(structuredClone(customer)) as { tags: string[] };
    const second = checkOf('customers')(structuredClone(customer)) as { tags: string[] };
    assertSameAsZod(first, RECORD_SCHEMAS.customers.parse(structuredClone(customer)));
    first.tags.push('vip');
    assert.deepEqual(second.tags, [], 'each record gets its own default list');
  });

  it('leaves to zod a name or tag that zod would trim, and the load still trims it', () => {
    const customer = recordOf('customers');
    customer.name = '  Ada Lovelace ';
    customer.tags = [' vip', 'b2b'];
    assert.equal(checkOf('customers')(structuredClone(customer)), undefined);
    const book = JSON.parse(JSON.stringify(generateDemoBook({ customers: 30, seed: 5 }))) as Record<string, Array<Record<string, unknown>>>;
    Object.assign(book.customers[0], { name: ' Ada ', tags: ['  vip '] });
    const loaded = parseFileText(JSON.stringify(book, null, 2));
    const ada = loaded.customers.find((c) => c.id === book.customers[0].id)!;
    assert.equal(ada.name, 'Ada');
    assert.deepEqual(ada.tags, ['vip']);
  });

  it('never accepts a record that zod refuses', () => {
    const cases: Array<[CollectionName, Record<string, unknown>]> = [
      ['customers', { nickname: 'x' }],
      ['customers', { id: 'cus_ABCD' }],
      ['customers', { id: 'pur_abcd1234' }],
      ['customers', { name: '   ' }],
      ['customers', { name: '' }],
      ['customers', { name: 'x'.repeat(501) }],
      ['customers', { name: 42 }],
      ['customers', { tags: ['ok', ''] }],
      ['customers', { tags: 'vip' }],
      ['customers', { keepInTouchDays: 1.5 }],
      ['customers', { keepInTouchDays: 0 }],
      ['customers', { archived: 'no' }],
      ['customers', { createdAt: '2026-03-02T09:15:00' }],
      ['customers', { createdAt: '2026-02-30T09:15:00Z' }],
      ['customers', { createdAt: null }],
      ['customers', { notes: '😀'.repeat(10_001) }],
      ['customers', { notes: `a${'😀'.repeat(10_000)}` }],
      ['customers', { name: '😀'.repeat(501) }],
      ['purchases', { date: '2026-2-3' }],
      ['purchases', { date: '2025-02-29' }],
      ['purchases', { amount: '12.345' }],
      ['purchases', { amount: 12.5 }],
      ['purchases', { currency: 'eur' }],
      ['incidents', { reopenCount: 2 ** 60 }],
      ['incidents', { reopenCount: -1 }],
      ['incidents', { severity: 'huge' }],
      ['incidents', { tags: [' '] }],
      ['followUps', { outcome: { satisfied: true, rating: 6 } }],
      ['followUps', { outcome: { satisfied: true, extra: 1 } }],
      ['followUps', { outcome: { extra: 1, satisfied: true } }],
      ['followUps', { outcome: { rating: 4 } }],
      ['releases', { component: ' ' }],
      ['team', { name: '\u00a0' }],
    ];
    for (const [name, change] of cases) {
      const record = { ...recordOf(name), ...change };
      assert.equal(RECORD_SCHEMAS[name].safeParse(structuredClone(record)).success, false, `zod accepts ${JSON.stringify(change)}`);
      assert.equal(checkOf(name)(structuredClone(record)), undefined, `the fast check accepts ${name} ${JSON.stringify(change).slice(0, 80)}`);
    }
    // An unknown key anywhere in the record, before its known keys or among them out of order.
    const record = recordOf('customers');
    const unknownFirst = { nickname: 'x', ...record };
    assert.equal(RECORD_SCHEMAS.customers.safeParse(structuredClone(unknownFirst)).success, false);
    assert.equal(checkOf('customers')(structuredClone(unknownFirst)), undefined, 'the fast check accepts an unknown key before the known ones');
    const { id, ...rest } = record;
    const reordered = { ...rest, id, nickname: 'x' };
    assert.equal(checkOf('customers')(structuredClone(reordered)), undefined, 'the fast check accepts an unknown key in a record out of order');
    const missing = recordOf('incidents');
    delete missing.channel;
    assert.equal(checkOf('incidents')(missing), undefined);
  });

  it('accepts what zod accepts at the edges (lengths in code points, leap days, offsets)', () => {
    const cases: Array<[CollectionName, Record<string, unknown>]> = [
      ['customers', { notes: '😀'.repeat(10_000) }],
      ['customers', { name: 'É'.repeat(500) }],
      ['customers', { name: '😀'.repeat(500), tags: ['😀', 'x'.repeat(100)] }],
      ['customers', { notes: `${'😀'.repeat(9_998)}ab` }],
      ['customers', { createdAt: '2024-02-29T23:59:59.123456-09:30' }],
      ['purchases', { date: '2000-02-29', amount: '-9999999999999.99' }],
      ['followUps', { outcome: { comment: 'ok', satisfied: false } }],
    ];
    for (const [name, change] of cases) {
      const record = { ...recordOf(name), ...change };
      const fast = checkOf(name)(structuredClone(record));
      assert.ok(fast, `the fast check refuses ${name} ${JSON.stringify(change).slice(0, 80)}`);
      assertSameAsZod(fast, RECORD_SCHEMAS[name].parse(structuredClone(record)));
    }
  });
});

describe('repeated strings shared while a file is read', () => {
  it('names only fields of the records that hold a string or nothing', () => {
    const book = JSON.parse(JSON.stringify(generateDemoBook({ customers: 300, seed: 3 }))) as LoyalFile;
    for (const name of COLLECTION_NAMES) {
      const shape = RECORD_SCHEMAS[name].shape as Record<string, unknown>;
      for (const key of POOLED_FIELDS[name]) {
        assert.ok(key in shape, `${name}.${key} is not a field of the record (renamed?)`);
        for (const record of book[name] as unknown as Array<Record<string, unknown>>) {
          assert.ok(record[key] === undefined || typeof record[key] === 'string', `${name}.${key} holds ${typeof record[key]}`);
        }
      }
    }
  });

  it('keeps every value as written, in records that repeat names, tags and customers', () => {
    const raw = JSON.parse(JSON.stringify(generateDemoBook({ customers: 200, incidents: 3000, seed: 8 }))) as LoyalFile;
    // Hand-written values the pool has not met, beside the usual ones.
    raw.incidents[0].staff = 'Zoë  Ünlü';
    raw.incidents[1].tags = ['late', 'Late', 'late'];
    const expected = zodLoad(raw);
    const text = JSON.stringify(raw, null, 2);
    const loaded = parseFileBytes(Buffer.from(text));
    assertSameAsZod(loaded, expected);
    assertSameAsZod(parseFileBytes(Buffer.from(text), 0), expected);
    // Changing one record's tags leaves the others' alone.
    const tagged = loaded.incidents.filter((incident) => incident.tags.length > 0);
    tagged[0].tags.push('changed');
    assert.ok(tagged.slice(1).every((incident) => !incident.tags.includes('changed')));
  });
});
