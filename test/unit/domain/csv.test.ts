import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCsv, planImport, readInstant, sortedNewIds, type ImportKind, type ImportOptions } from '../../../src/domain/csv';
import { generateDemoBook } from '../../../src/domain/demo';
import { emptyFile, type LoyalFile } from '../../../src/domain/records';
import { instantOf } from '../../../src/domain/time';
import { checkFile } from '../../../src/domain/validate';
import { LoyalStore } from '../../../src/store/store';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'csv');

let folder: string;
let store: LoyalStore;

/** A real store on a temp file holding `book`. */
async function openBook(book: LoyalFile = emptyFile()): Promise<LoyalStore> {
  store?.dispose();
  const path = join(folder, `book-${Math.random().toString(36).slice(2)}.json`);
  store = await LoyalStore.open(path, { user: () => 'importer', backups: 0 });
  await store.create(book);
  return store;
}

/** Plans against the store's book and, when the plan is clean, applies it in one update. */
async function importInto(kind: ImportKind, csv: string, options: ImportOptions = {}) {
  const plan = planImport(kind, csv, store.file, options);
  assert.deepEqual(plan.errors, [], 'no errors expected');
  const result = await store.update((tx) => plan.apply!(tx));
  return { plan, result };
}

describe('CSV import', () => {
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-csv-'));
  });
  after(async () => {
    store?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it('reads customers from a file with a BOM, CRLF line ends, quoted commas and newlines', async () => {
    await openBook();
    const csv = await readFile(join(FIXTURES, 'customers-bom-crlf.csv'), 'utf8');
    const { plan, result } = await importInto('customers', csv);
    assert.equal(plan.rows, 2);
    assert.deepEqual(result, { created: 2, updated: 0, customersCreated: 0 });
    const [giulia, tom] = ['A-1', 'A-2'].map((key) => store.file.customers.find((c) => c.externalId === key)!);
    assert.equal(giulia.name, 'Rossi, Giulia');
    assert.equal(giulia.company, 'Caffè Aurora');
    assert.equal(giulia.address, 'Via Roma 1\n20121 Milano');
    assert.deepEqual(giulia.tags, ['vip', 'wholesale']);
    assert.equal(giulia.keepInTouchDays, 30);
    assert.equal(giulia.createdBy, 'importer');
    assert.equal(tom.name, "Tom O'Brien");
    assert.equal(tom.referredBy, giulia.id, 'referred_by names a customer of the same file');
    assert.equal(tom.phone, undefined);
    assert.deepEqual(plan.preview[0].customer_id, 'A-1');
  });

  it('reports every bad row with the line it starts on, counting newlines inside quotes, and has nothing to apply', async () => {
    await openBook();
    await importInto('customers', 'customer_id,name\nA-1,Giulia\nA-2,Tom\n');
    const csv = await readFile(join(FIXTURES, 'purchases-bad-rows.csv'), 'utf8');
    const plan = planImport('purchases', csv, store.file);
    assert.equal(plan.apply, undefined);
    assert.equal(plan.rows, 6);
    assert.deepEqual(
      plan.errors.map((e) => [e.line, e.column]),
      [
        [3, 'date'],
        [4, 'amount'],
        [5, 'customer_id'],
        [8, 'customer_id'],
      ],
    );
    assert.match(plan.errors[0].message, /2026-02-30/);
    assert.match(plan.errors[1].message, /abc/);
    assert.match(plan.errors[2].message, /"A-3".*--create-customers/);
  });

  it('counts lines the same with CRLF line ends and a BOM', () => {
    const csv = '\ufeffcustomer_id,date,amount\r\nx,2026-01-01,1.00\r\n\r\nx,"2026-01-01\r\nnoon",1.00\r\nx,2026-13-01,1.00\r\n';
    const plan = planImport('purchases', csv, emptyFile(), { createCustomers: true });
    assert.deepEqual(
      plan.errors.map((e) => [e.line, e.column]),
      [
        [4, 'date'],
        [6, 'date'],
      ],
    );
  });

  it('names unknown, duplicated and missing required columns on line 1', () => {
    const plan = planImport('incidents', 'customer_id,opened,category,category\n', emptyFile());
    assert.equal(plan.apply, undefined);
    const messages = plan.errors.map((e) => `${e.line} ${e.column} ${e.message}`);
    assert.ok(
      messages.some((m) => m.startsWith('1 opened unknown column')),
      messages.join('\n'),
    );
    assert.ok(messages.some((m) => m.startsWith('1 category') && m.includes('twice')));
    assert.ok(messages.some((m) => m.startsWith('1 opened_at the required column')));
  });

  it('reports a row with too many fields and a quote left open', () => {
    const extra = planImport('purchases', 'customer_id,date,amount\nx,2026-01-01,1.00,oops\n', emptyFile(), { createCustomers: true });
    assert.deepEqual(
      extra.errors.map((e) => e.line),
      [2],
    );
    assert.match(extra.errors[0].message, /4 fields, the header has 3/);
    const open = planImport('purchases', 'customer_id,date,amount\nx,2026-01-01,1.00\nx,"2026-01-02,1.00\n', emptyFile());
    assert.equal(open.errors.length, 1);
    assert.match(open.errors[0].message, /not valid CSV/);
    assert.equal(open.apply, undefined);
  });

  it('refuses an empty file and skips blank lines and rows of empty fields', () => {
    assert.match(planImport('customers', '', emptyFile()).errors[0].message, /header row is required/);
    const plan = planImport('customers', 'customer_id,name\n\n,\nA,Ann\n\n', emptyFile());
    assert.equal(plan.rows, 1);
    assert.deepEqual(plan.errors, []);
  });

  it('is all or nothing: one bad row among good ones writes nothing', async () => {
    await openBook();
    const before = await readFile(store.path, 'utf8');
    const plan = planImport('customers', 'customer_id,name,email\nA,Ann,ann@example.com\nB,,b@example.com\nC,Cy,not-an-email\n', store.file);
    assert.deepEqual(
      plan.errors.map((e) => [e.line, e.column]),
      [
        [3, 'name'],
        [4, 'email'],
      ],
    );
    assert.equal(plan.apply, undefined);
    assert.equal(await readFile(store.path, 'utf8'), before);
    assert.equal(store.file.customers.length, 0);
  });

  it('matches customer_id against ids and external ids, with a map rather than a scan', async () => {
    await openBook();
    await importInto('customers', 'customer_id,name\nEXT-7,Ann\n');
    const ann = store.file.customers[0];
    const { result } = await importInto('purchases', `customer_id,date,amount\nEXT-7,2026-01-02,10.00\n${ann.id},2026-01-03,20.00\n`);
    assert.equal(result.created, 2);
    assert.deepEqual(store.file.purchases.map((p) => [p.customerId, p.amount, p.currency]).sort(), [
      [ann.id, '10.00', 'EUR'],
      [ann.id, '20.00', 'EUR'],
    ]);
  });

  it('updates the customer a row matches and leaves columns the file lacks untouched', async () => {
    await openBook();
    await importInto('customers', 'customer_id,name,phone,tags\nEXT-1,Ann,+39 1,vip\n');
    const id = store.file.customers[0].id;
    const { plan, result } = await importInto('customers', 'customer_id,name,email,tags\nEXT-1,Ann Lee,ann@example.com,\n');
    assert.deepEqual(plan.summary, { create: 0, update: 1, customersToCreate: 0 });
    assert.deepEqual(result, { created: 0, updated: 1, customersCreated: 0 });
    const ann = store.file.customers[0];
    assert.equal(ann.id, id);
    assert.equal(ann.name, 'Ann Lee');
    assert.equal(ann.email, 'ann@example.com');
    assert.equal(ann.phone, '+39 1', 'no phone column: kept');
    assert.deepEqual(ann.tags, [], 'an empty tags cell clears the tags');
    const again = await importInto('customers', 'customer_id,name,email,tags\nEXT-1,Ann Lee,ann@example.com,\n');
    assert.deepEqual(again.result, { created: 0, updated: 0, customersCreated: 0 }, 'the same row twice changes nothing');
  });

  it('refuses the same customer_id twice in one customers file, naming both lines', () => {
    const plan = planImport('customers', 'customer_id,name\nA,Ann\nB,Bo\nA,Ann again\n', emptyFile());
    assert.deepEqual(
      plan.errors.map((e) => e.line),
      [4],
    );
    assert.match(plan.errors[0].message, /already on line 2/);
  });

  it('with --create-customers makes one customer per unknown key, named from a name column or the key', async () => {
    await openBook();
    await importInto('customers', 'customer_id,name\nKNOWN,Known Customer\n');
    const { plan, result } = await importInto(
      'purchases',
      'customer_id,date,amount,name\nNEW-1,2026-01-01,1.00,Nina New\nNEW-1,2026-01-02,2.00,Nina New\nNEW-2,2026-01-03,3.00,\nKNOWN,2026-01-04,4.00,Ignored Name\n',
      { createCustomers: true },
    );
    assert.equal(plan.summary.customersToCreate, 2);
    assert.deepEqual(result, { created: 6, updated: 0, customersCreated: 2 });
    const names = Object.fromEntries(store.file.customers.map((c) => [c.externalId, c.name]));
    assert.deepEqual(names, { KNOWN: 'Known Customer', 'NEW-1': 'Nina New', 'NEW-2': 'NEW-2' });
    assert.equal(store.file.purchases.length, 4);
    assert.ok(checkFile(store.file).ok);
  });

  it('reads incidents: local times get the local offset, offsets are kept, enums are checked', async () => {
    await openBook();
    const csv = [
      'customer_id,opened_at,channel,category,component,staff,severity,cause,tags,summary,resolved_at',
      'C1,2026-03-02T09:15,Email,product,roaster,Tom,major,preventable,stale beans; wrong grind,"Flat, stale",2026-03-03T10:00:00+01:00',
      'C1,2026-03-04T18:05:00+02:00,,timeliness,,,,,,,',
      'C1,2026-03-05T10:00,fax,quality,,,huge,,,,2026-03-01T10:00',
    ].join('\n');
    const bad = planImport('incidents', csv, store.file, { createCustomers: true });
    assert.deepEqual(
      bad.errors.map((e) => [e.line, e.column]),
      [
        [4, 'channel'],
        [4, 'category'],
        [4, 'severity'],
        [4, 'resolved_at'],
      ],
    );
    const good = csv.split('\n').slice(0, 3).join('\n');
    await importInto('incidents', good, { createCustomers: true });
    const [first, second] = store.file.incidents.slice().sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    assert.equal(first.openedAt, instantOf(new Date(2026, 2, 2, 9, 15)));
    assert.equal(first.channel, 'email');
    assert.deepEqual(first.tags, ['stale beans', 'wrong grind']);
    assert.equal(first.summary, 'Flat, stale');
    assert.equal(first.resolvedAt, '2026-03-03T10:00:00+01:00');
    assert.equal(second.openedAt, '2026-03-04T18:05:00+02:00');
    assert.deepEqual([second.channel, second.severity, second.cause, second.summary], ['other', 'minor', 'unknown', '']);
  });

  it('round-trips a demo book through export and import', async () => {
    const demo = generateDemoBook({ customers: 150, seed: 4, today: '2026-03-15' });
    await openBook();
    for (const kind of ['customers', 'purchases', 'incidents'] as const) await importInto(kind, exportCsv(kind, demo));
    for (const kind of ['customers', 'purchases', 'incidents'] as const) {
      const sortLines = (text: string) => text.split('\n').sort().join('\n');
      assert.equal(sortLines(exportCsv(kind, store.file)), sortLines(exportCsv(kind, demo)), kind);
    }
    assert.equal(store.file.customers.length, demo.customers.length);
    assert.equal(store.file.purchases.length, demo.purchases.length);
    assert.equal(store.file.incidents.length, demo.incidents.length);
  });
});

describe('CSV export', () => {
  it('writes the documented columns, quoting commas, quotes and newlines', () => {
    const book = emptyFile();
    const audit = { createdAt: '2026-01-01T09:00:00+01:00', createdBy: 'x', updatedAt: '2026-01-01T09:00:00+01:00', updatedBy: 'x' };
    book.customers.push({ id: 'cus_aaaa1', externalId: 'K1', name: 'Rossi, "Giulia"', address: 'Via Roma 1\nMilano', tags: ['vip', 'café regular'], archived: false, ...audit });
    book.customers.push({ id: 'cus_aaaa2', name: 'Bo', tags: [], referredBy: 'cus_aaaa1', archived: false, ...audit });
    book.followUps.push({
      id: 'fol_aaaa1',
      customerId: 'cus_aaaa2',
      kind: 'satisfaction-check',
      due: '2026-01-05',
      status: 'done',
      outcome: { satisfied: false, rating: 2, comment: 'meh' },
      doneAt: '2026-01-05T10:00:00+01:00',
      doneBy: 'x',
      ...audit,
    });
    assert.equal(
      exportCsv('customers', book),
      'customer_id,name,company,email,phone,address,tags,owner,source,referred_by,keep_in_touch_days\n' +
        'K1,"Rossi, ""Giulia""",,,,"Via Roma 1\nMilano",vip;café regular,,,,\n' +
        'cus_aaaa2,Bo,,,,,,,,K1,\n',
    );
    assert.equal(
      exportCsv('followups', book),
      'customer_id,incident_id,kind,due,assignee,status,snoozed_until,satisfied,rating,comment,done_at,done_by\n' +
        'cus_aaaa2,,satisfaction-check,2026-01-05,,done,,no,2,meh,2026-01-05T10:00:00+01:00,x\n',
    );
  });
});

describe('readInstant', () => {
  it('keeps a written offset, adds the local one otherwise, and refuses impossible moments', () => {
    assert.equal(readInstant('2026-03-02T09:15:00+01:00'), '2026-03-02T09:15:00+01:00');
    assert.equal(readInstant('2026-03-02T09:15Z'), '2026-03-02T09:15:00Z');
    assert.equal(readInstant('2026-03-02 09:15:30+0530'), '2026-03-02T09:15:30+05:30');
    assert.equal(readInstant('2026-03-02T09:15'), instantOf(new Date(2026, 2, 2, 9, 15)));
    for (const bad of ['2026-02-30T10:00', '2026-03-02T24:00', '2026-03-02', 'yesterday', '2026-03-02T09:61']) assert.equal(readInstant(bad), undefined, bad);
  });
});

describe('sortedNewIds', () => {
  it('gives distinct ids in ascending order in the newId format', () => {
    const ids = sortedNewIds('purchase', 5000);
    assert.equal(new Set(ids).size, 5000);
    assert.deepEqual(ids, [...ids].sort());
    for (const id of ids) assert.match(id, /^pur_[0-9a-z]{14}$/);
  });
});
