// Importing the exports owners already have (issue 17), on the fixtures in
// test/fixtures/imports (written by scripts/import-fixtures.mjs in the published layouts,
// with expected.json: the truth they were generated from). Every import goes through a
// real store on disk, as the CLI and the editor do.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { LoyalStore } from '../../../../src/store/store';
import { planFileImport, type FileImportOptions, type FilePlan } from '../../../../src/domain/import/plan';
import { toCents } from '../../../../src/domain/money';
import type { LoyalFile } from '../../../../src/domain/records';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'imports');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  shopify: { byEmail: Record<string, number>; customers: string[]; orders: number; refunds: number; skipped: Record<string, number> };
  stripe: { byCustomer: Record<string, number>; charges: number; refunds: number; skipped: Record<string, number>; testMode: number };
  woocommerce: { byEmail: Record<string, number>; orders: number; refunds: number; skipped: Record<string, number> };
  tickets: {
    zendesk: { tickets: number; good: number; bad: number; tags: Record<string, number> };
    helpscout: { tickets: number; satisfied: number; unsatisfied: number };
    freshdesk: { tickets: number; satisfied: number; unsatisfied: number };
  };
  fr: { byEmail: Record<string, number>; rows: number };
};

let folder: string;
let store: LoyalStore;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'loyal-import-'));
  store = await LoyalStore.open(join(folder, 'loyal.json'), { user: () => 'ana' });
  await store.create();
});
afterEach(async () => {
  await store.flush();
  store.dispose();
  await rm(folder, { recursive: true, force: true });
});

async function importFile(bytes: Uint8Array, options: FileImportOptions = {}): Promise<FilePlan> {
  const plan = planFileImport(bytes, store.file, options);
  assert.deepEqual(plan.errors, [], 'no problem rows');
  assert.ok(plan.apply);
  const apply = plan.apply;
  await store.update((tx) => apply(tx));
  return plan;
}

async function onDisk(): Promise<LoyalFile> {
  return JSON.parse(await readFile(join(folder, 'loyal.json'), 'utf8')) as LoyalFile;
}

/** Net paid per customer email, in cents, from the book. */
function paidByEmail(file: LoyalFile): Record<string, number> {
  const emails = new Map(file.customers.map((c) => [c.id, c.email ?? '']));
  const out: Record<string, number> = {};
  for (const p of file.purchases) out[emails.get(p.customerId)!] = (out[emails.get(p.customerId)!] ?? 0) + toCents(p.amount);
  return out;
}

describe('import: Shopify orders', () => {
  it('groups line items by order, nets refunds, leaves out unpaid and cancelled orders', async () => {
    const plan = await importFile(fixture('shopify-orders.csv'), { skip: ['no-customer'] });
    assert.equal(plan.source, 'shopify-orders');
    const file = await onDisk();
    assert.equal(file.purchases.length, expected.shopify.orders, 'one purchase per paid order, not per line item');
    assert.deepEqual(paidByEmail(file), expected.shopify.byEmail, 'net paid per customer (total minus refunded amount)');
    const partially = expected.shopify.refunds - (plan.summary.skipped['refunded in full'] ?? 0);
    assert.equal(plan.summary.refunds, partially);
    assert.deepEqual(
      {
        pending: plan.summary.skipped.pending,
        voided: plan.summary.skipped.voided,
        cancelled: plan.summary.skipped.cancelled,
        authorized: plan.summary.skipped.authorized,
        'no-customer': plan.summary.skipped['no-customer'],
      },
      { ...expected.shopify.skipped, 'no-customer': 1 },
    );
    assert.deepEqual(file.customers.map((c) => c.email).sort(), [...expected.shopify.customers].sort(), 'one customer per email with a paid order (even one refunded in full)');
    const first = file.purchases.find((p) => p.externalId === 'shopify:#1001')!;
    assert.equal(first.date, '2025-01-03', 'the day of Paid at, as the shop wrote it (+0200)');
    assert.match(first.note!, /^\d × /, 'the line items are on the purchase');
    const withZip = file.customers.find((c) => c.address?.includes('75011'));
    assert.ok(withZip && !withZip.address!.includes("'"), "the zip code's leading apostrophe is dropped");
    assert.ok(file.customers.every((c) => c.email === c.email!.toLowerCase()));
  });

  it('refuses the file while one order has no customer, naming its line, and writes nothing', async () => {
    const before = await readFile(join(folder, 'loyal.json'), 'utf8');
    const plan = planFileImport(fixture('shopify-orders.csv'), store.file);
    assert.equal(plan.apply, undefined);
    assert.equal(plan.errors.length, 1);
    assert.match(plan.errors[0].message, /#1151 has no customer email/);
    const text = fixture('shopify-orders.csv').toString('utf8').split('\n');
    assert.ok(text[plan.errors[0].line - 1].startsWith('#1151,'), 'the line given is the order’s row in the file');
    assert.equal(await readFile(join(folder, 'loyal.json'), 'utf8'), before);
  });

  it('reads the same export saved by Excel in French (; separator, decimal comma, Windows-1252, CRLF) to the same purchases', async () => {
    const utf8 = planFileImport(fixture('shopify-orders.csv'), store.file, { skip: ['no-customer'] });
    const excel = planFileImport(fixture('shopify-orders-excel-fr.csv'), store.file, { skip: ['no-customer'] });
    assert.equal(excel.encoding, 'windows-1252');
    assert.equal(excel.separator, ';');
    assert.deepEqual(excel.errors, []);
    assert.deepEqual(excel.summary, utf8.summary);
    await importFile(fixture('shopify-orders-excel-fr.csv'), { skip: ['no-customer'] });
    const file = await onDisk();
    assert.deepEqual(paidByEmail(file), expected.shopify.byEmail);
    assert.ok(
      file.customers.some((c) => c.name === 'Søren Æbelø' || c.name.includes('é')),
      'accents survive the Windows-1252 decoding',
    );
  });

  it('a second import of the same file changes nothing; an overlapping later export updates the refunded order only', async () => {
    await importFile(fixture('shopify-orders.csv'), { skip: ['no-customer'] });
    const once = await readFile(join(folder, 'loyal.json'), 'utf8');
    const again = planFileImport(fixture('shopify-orders.csv'), store.file, { skip: ['no-customer'] });
    assert.deepEqual([again.summary.created, again.summary.purchases, again.summary.updated], [0, 0, 0]);
    assert.equal(again.summary.unchanged, expected.shopify.orders);
    await store.update((tx) => again.apply!(tx));
    assert.equal(await readFile(join(folder, 'loyal.json'), 'utf8'), once, 'the file is byte for byte the same');

    // Later, order #1001 is partly refunded in Shopify, and a new order arrives.
    const text = fixture('shopify-orders.csv').toString('utf8');
    const header = text.slice(0, text.indexOf('\n')).split(',');
    const lines = text.split('\n');
    const at = (name: string): number => header.indexOf(name);
    const row1001 = lines.findIndex((l) => l.startsWith('#1001,'));
    const cells = lines[row1001].split(',');
    const total = cells[at('Total')];
    cells[at('Refunded Amount')] = '5.00';
    cells[at('Financial Status')] = 'partially_refunded';
    lines[row1001] = cells.join(',');
    const later = planFileImport(Buffer.from(lines.join('\n')), store.file, { skip: ['no-customer'] });
    assert.equal(later.summary.updated, 1);
    assert.equal(later.summary.purchases, 0);
    await store.update((tx) => later.apply!(tx));
    const p = (await onDisk()).purchases.find((x) => x.externalId === 'shopify:#1001')!;
    assert.equal(toCents(p.amount), toCents(total) - 500);
  });

  it('names the line, column and value of a bad amount, and gives no apply', () => {
    const lines = fixture('shopify-orders.csv').toString('utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('#1005,'));
    const header = lines[0].split(',');
    const cells = lines[i].split(',');
    cells[header.indexOf('Total')] = '12.3O';
    lines[i] = cells.join(',');
    const plan = planFileImport(Buffer.from(lines.join('\n')), store.file, { skip: ['no-customer'] });
    assert.equal(plan.apply, undefined);
    assert.deepEqual(
      plan.errors.map((e) => [e.line, e.column]),
      [[i + 1, 'Total']],
    );
    assert.match(plan.errors[0].message, /Total: "12\.3O" is not an amount/);
  });
});

describe('import: Stripe', () => {
  it('refuses test-mode charges unless skipped, then imports paid live charges net of refunds', async () => {
    const refused = planFileImport(fixture('stripe-payments.csv'), store.file);
    assert.equal(refused.apply, undefined);
    assert.equal(refused.errors.length, expected.stripe.testMode);
    assert.ok(refused.errors.every((e) => e.column === 'Mode' && /test-mode charge/.test(e.message)));
    const plan = await importFile(fixture('stripe-payments.csv'), { skip: ['test-mode'] });
    assert.equal(plan.summary.skipped['test-mode'], expected.stripe.testMode, 'the skipped test-mode charges are counted');
    assert.equal(plan.summary.skipped.failed, expected.stripe.skipped.failed);
    assert.equal(plan.summary.skipped.canceled, expected.stripe.skipped.canceled);
    const file = await onDisk();
    assert.equal(file.purchases.length, expected.stripe.charges);
    const byCustomer: Record<string, number> = {};
    const ext = new Map(file.customers.map((c) => [c.id, c.externalId!]));
    for (const p of file.purchases) byCustomer[ext.get(p.customerId)!] = (byCustomer[ext.get(p.customerId)!] ?? 0) + toCents(p.amount);
    assert.deepEqual(byCustomer, expected.stripe.byCustomer);
    assert.deepEqual([...new Set(file.purchases.map((p) => p.currency))].sort(), ['EUR', 'USD'], 'lower-case currencies are read');
  });

  it('matches payments to the customers of a Stripe customers export by their id', async () => {
    await importFile(fixture('stripe-customers.csv'));
    const customers = (await onDisk()).customers.length;
    assert.equal(customers, 50);
    const plan = await importFile(fixture('stripe-payments.csv'), { skip: ['test-mode'] });
    assert.equal(plan.summary.created, 0, 'every payer is already a customer');
    assert.equal((await onDisk()).customers.length, customers);
  });
});

describe('import: Shopify customers and WooCommerce', () => {
  it('reads the customers export as UTF-8 with BOM and as UTF-16 tab-separated text to the same customers', async () => {
    const utf16 = planFileImport(fixture('shopify-customers-utf16.txt'), store.file);
    assert.equal(utf16.encoding, 'utf-16le');
    assert.equal(utf16.separator, '\t');
    await importFile(fixture('shopify-customers.csv'));
    const file = await onDisk();
    assert.equal(file.customers.length, 80);
    assert.deepEqual(planFileImport(fixture('shopify-customers-utf16.txt'), store.file).summary.unchanged, 80, 'the UTF-16 copy matches every customer and changes none');
    const vip = file.customers.filter((c) => c.tags.includes('VIP'));
    assert.ok(vip.length > 0 && vip.every((c) => c.tags.includes('newsletter')));
    assert.ok(file.customers.every((c) => c.externalId?.startsWith('shopify:70123456')));
  });

  it('orders then match those customers by email, whatever its case', async () => {
    await importFile(fixture('shopify-customers.csv'));
    const plan = await importFile(fixture('shopify-orders.csv'), { skip: ['no-customer'] });
    assert.equal(plan.summary.created, 0);
    assert.ok(plan.summary.matched > 0);
  });

  it('imports WooCommerce orders: completed, processing and refunded, net of refunds', async () => {
    const plan = await importFile(fixture('woocommerce-orders.csv'));
    const file = await onDisk();
    assert.equal(file.purchases.length, expected.woocommerce.orders);
    assert.deepEqual(paidByEmail(file), expected.woocommerce.byEmail);
    for (const [status, n] of Object.entries(expected.woocommerce.skipped)) assert.equal(plan.summary.skipped[status], n, status);
  });
});

describe('import: help desks to incidents', () => {
  it('Zendesk: tags split on spaces, categories from the confirmed tag mapping, ratings as done satisfaction checks', async () => {
    const first = planFileImport(fixture('zendesk-tickets.csv'), store.file);
    assert.equal(first.summary.otherCategory, expected.tickets.zendesk.tickets, 'without a mapping every incident is "other", and counted');
    assert.deepEqual(Object.fromEntries(first.tags.map((t) => [t.tag, t.count])), expected.tickets.zendesk.tags);
    assert.equal(first.tags.find((t) => t.tag === 'late delivery')?.guess, 'timeliness');
    await importFile(fixture('zendesk-tickets.csv'), { categories: { 'late delivery': 'timeliness', 'broken item': 'product', 'rude agent': 'people' } });
    const file = await onDisk();
    assert.equal(file.incidents.length, expected.tickets.zendesk.tickets);
    const late = file.incidents.filter((i) => i.tags.includes('late delivery'));
    assert.ok(late.length > 0 && late.every((i) => i.category === 'timeliness'));
    assert.ok(file.incidents.filter((i) => i.tags.includes('billing')).every((i) => i.category === 'other'));
    const checks = file.followUps.filter((f) => f.kind === 'satisfaction-check' && f.status === 'done');
    assert.equal(checks.filter((f) => f.outcome?.satisfied).length, expected.tickets.zendesk.good);
    assert.equal(checks.filter((f) => f.outcome?.satisfied === false).length, expected.tickets.zendesk.bad);
    const via = new Map((parse(fixture('zendesk-tickets.csv'), { columns: true }) as Array<Record<string, string>>).map((row) => [`zendesk:${row.Id}`, row.Via]));
    const channels = new Map<string, Set<string>>();
    for (const i of file.incidents) channels.set(via.get(i.externalId!)!, (channels.get(via.get(i.externalId!)!) ?? new Set()).add(i.channel));
    assert.deepEqual(
      Object.fromEntries([...channels].map(([v, c]) => [v, [...c]])),
      { Mail: ['email'], 'Web form': ['email'], Chat: ['chat'], 'Web Widget': ['chat'], 'Phone call (incoming)': ['phone'], Twitter: ['social'] },
      'Via becomes the channel',
    );
    const ticket = file.incidents.find((i) => i.externalId === 'zendesk:4500')!;
    assert.equal(Date.parse(ticket.firstResponseAt!) - Date.parse(ticket.openedAt), 15 * 60_000, 'first reply time in minutes after creation');
    assert.ok(ticket.staff);
    // Again: nothing new, not even a second satisfaction check.
    const again = planFileImport(fixture('zendesk-tickets.csv'), store.file, { categories: { 'late delivery': 'timeliness' } });
    assert.deepEqual([again.summary.incidents, again.summary.satisfactionChecks, again.summary.created], [0, 0, 0]);
  });

  it('Help Scout and Freshdesk conversations and tickets become incidents with their ratings', async () => {
    await importFile(fixture('helpscout-conversations.csv'));
    await importFile(fixture('freshdesk-tickets.csv'));
    const file = await onDisk();
    assert.equal(file.incidents.length, expected.tickets.helpscout.tickets + expected.tickets.freshdesk.tickets);
    const checks = file.followUps.filter((f) => f.kind === 'satisfaction-check');
    assert.equal(checks.filter((f) => f.outcome?.satisfied).length, expected.tickets.helpscout.satisfied + expected.tickets.freshdesk.satisfied);
    assert.equal(checks.filter((f) => f.outcome?.satisfied === false).length, expected.tickets.helpscout.unsatisfied + expected.tickets.freshdesk.unsatisfied);
    const multiline = file.incidents.find((i) => i.summary.includes('\n'));
    assert.ok(multiline, 'a quoted subject with a newline is one field');
    assert.ok(file.incidents.filter((i) => i.externalId?.startsWith('freshdesk:')).some((i) => i.channel === 'phone'));
  });
});

describe('import: any other CSV through a mapping', () => {
  it('guesses the columns of a French spreadsheet, needs the date format, reads decimal commas and euros', async () => {
    const unknown = planFileImport(fixture('ventes-boutique-fr.csv'), store.file);
    assert.equal(unknown.source, undefined);
    assert.match(unknown.errors[0].message, /its columns are Client, E-mail, Date, Montant TTC, Commentaire, N° facture/);
    assert.deepEqual(unknown.guesses!.purchases, { email: 'E-mail', name: 'Client', date: 'Date', amount: 'Montant TTC', note: 'Commentaire', order_id: 'N° facture' });
    assert.deepEqual(unknown.dateFormats, ['DD/MM/YYYY'], 'a day above 12 tells the order');
    assert.equal(unknown.decimal, 'comma');
    const mapping = { kind: 'purchases' as const, mapping: unknown.guesses!.purchases, dateFormat: 'DD/MM/YYYY' as const, decimal: 'comma' as const };
    await importFile(fixture('ventes-boutique-fr.csv'), { mapping });
    const file = await onDisk();
    assert.equal(file.purchases.length, expected.fr.rows);
    assert.deepEqual(paidByEmail(file), expected.fr.byEmail, 'negative amounts (refunds) are kept and lower the total');
    const again = planFileImport(fixture('ventes-boutique-fr.csv'), store.file, { mapping });
    assert.deepEqual([again.summary.purchases, again.summary.created, again.summary.unchanged], [0, 0, expected.fr.rows]);
  });

  it('names the column a mapping points at when the file lacks it, and what is needed', () => {
    const plan = planFileImport(fixture('ventes-boutique-fr.csv'), store.file, { mapping: { kind: 'purchases', mapping: { email: 'Courriel', amount: 'Montant TTC' } } });
    assert.equal(plan.apply, undefined);
    assert.deepEqual(
      plan.errors.map((e) => e.message),
      ['email: the file has no column "Courriel" (its columns are Client, E-mail, Date, Montant TTC, Commentaire, N° facture)', 'date is needed: choose the column that holds it'],
    );
  });

  it('without an order id, a row is keyed by its content, so the same file twice adds nothing', async () => {
    const csv = iconv.encode('Email;Day;Amount\r\nann@example.com;03/04/2024;12,50\r\nann@example.com;03/04/2024;12,50\r\nbob@example.com;04/04/2024;-3,00\r\n', 'utf-8');
    const ambiguous = planFileImport(csv, store.file);
    assert.deepEqual(ambiguous.dateFormats, ['DD/MM/YYYY', 'MM/DD/YYYY'], '03/04/2024 could be either: the user picks');
    const mapping = { kind: 'purchases' as const, mapping: { email: 'Email', date: 'Day', amount: 'Amount' }, dateFormat: 'MM/DD/YYYY' as const, decimal: 'comma' as const };
    await importFile(csv, { mapping });
    const file = await onDisk();
    assert.deepEqual(
      file.purchases.map((p) => [p.date, p.amount]).sort(),
      [
        ['2024-03-04', '12.50'],
        ['2024-03-04', '12.50'],
        ['2024-04-04', '-3.00'],
      ],
      'two equal rows are two purchases',
    );
    const again = planFileImport(csv, store.file, { mapping });
    assert.deepEqual([again.summary.purchases, again.summary.unchanged], [0, 3]);
  });
});

describe('import: mapped customers and incidents', () => {
  it('customers: matched by id then email, only empty fields filled, tags added', async () => {
    await importFile(Buffer.from('Code client;Nom;Courriel;Téléphone;Étiquettes\r\nC1;Ann Lee;ann@example.com;;vip\r\nC2;Bob Roy;BOB@example.com;+39 02 1234;\r\n'), {
      mapping: { kind: 'customers', mapping: { customer_id: 'Code client', name: 'Nom', email: 'Courriel', phone: 'Téléphone', tags: 'Étiquettes' } },
    });
    const guessed = planFileImport(Buffer.from('Code client;Nom;Courriel;Téléphone;Étiquettes\r\nC3;Cy;cy@example.com;;\r\n'), store.file);
    assert.deepEqual(guessed.guesses!.customers, { customer_id: 'Code client', name: 'Nom', email: 'Courriel', phone: 'Téléphone', tags: 'Étiquettes' }, 'French column names are guessed');
    // A later file: Bob by email (another case), with a phone he already has and a new tag.
    const plan = await importFile(Buffer.from('email,name,phone,tags\nbob@EXAMPLE.com,Robert Roy,+39 000,wholesale\n'), {
      mapping: { kind: 'customers', mapping: { email: 'email', name: 'name', phone: 'phone', tags: 'tags' } },
    });
    assert.deepEqual([plan.summary.created, plan.summary.matched, plan.summary.updated], [0, 1, 1]);
    const bob = (await onDisk()).customers.find((c) => c.externalId === 'C2')!;
    assert.equal(bob.name, 'Bob Roy', 'the name in the book wins');
    assert.equal(bob.phone, '+39 02 1234', 'a phone already in the book is kept');
    assert.deepEqual(bob.tags, ['wholesale']);
  });

  it('incidents: category and channel from their columns, bad values named with line and column', async () => {
    const bad = planFileImport(
      Buffer.from('ticket,email,opened,category,channel,summary\nT1,ann@example.com,2025-03-01 10:00,timeliness,email,Late\nT2,ann@example.com,2025-03-02 11:00,speed,fax,Slow\n'),
      store.file,
      {
        mapping: { kind: 'incidents', mapping: { ticket_id: 'ticket', email: 'email', opened_at: 'opened', category: 'category', channel: 'channel', summary: 'summary' } },
      },
    );
    assert.equal(bad.apply, undefined);
    assert.deepEqual(
      bad.errors.map((e) => [e.line, e.column]),
      [
        [3, 'category'],
        [3, 'channel'],
      ],
    );
    assert.match(bad.errors[0].message, /"speed" must be one of product, people, timeliness, process, other/);
    await importFile(Buffer.from('ticket,email,opened,category,channel,summary\nT1,ann@example.com,2025-03-01 10:00,timeliness,email,Late\n'), {
      mapping: { kind: 'incidents', mapping: { ticket_id: 'ticket', email: 'email', opened_at: 'opened', category: 'category', channel: 'channel', summary: 'summary' } },
    });
    const [incident] = (await onDisk()).incidents;
    assert.deepEqual([incident.externalId, incident.category, incident.channel, incident.summary], ['csv:T1', 'timeliness', 'email', 'Late']);
  });
});
