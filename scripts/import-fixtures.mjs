#!/usr/bin/env node
// Writes the import fixtures in test/fixtures/imports/: exports in the layouts Shopify,
// Stripe, WooCommerce, Zendesk, Help Scout and Freshdesk publish (see README "Bring your data
// in"), with their quirks, plus a French spreadsheet; and expected.json, the truth the
// files were made from (per customer email: net paid, orders kept; per ticket system:
// counts), which the unit tests compare the import with. Deterministic: the same files on
// every run. Run: node scripts/import-fixtures.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'imports');
mkdirSync(out, { recursive: true });

let seed = 17;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pad = (n) => String(n).padStart(2, '0');
const money = (cents) => (cents / 100).toFixed(2);

const FIRST = [
  'Ada',
  'Béatrice',
  'Chloé',
  'Dario',
  'Élodie',
  'François',
  'Giulia',
  'Hélène',
  'Ian',
  'Jürgen',
  'Kenji',
  'Lucía',
  'Marta',
  'Noël',
  'Oscar',
  'Paola',
  'Quentin',
  'Renée',
  'Søren',
  'Tomás',
];
const LAST = ['Lovelace', 'Roux', 'Dupré', 'Rossi', 'Lefèvre', 'Müller', 'Bianchi', 'García', "O'Brien", 'Nakamura', 'Ferrari', 'Moreau', 'Æbelø', 'Conti', 'Fontaine'];
const CITIES = [
  ['75011', 'Paris', 'FR'],
  ['69001', 'Lyon', 'FR'],
  ['20121', 'Milano', 'IT'],
  ['00184', 'Roma', 'IT'],
  ['02134', 'Boston', 'US'],
  ['10115', 'Berlin', 'DE'],
];
const ITEMS = [
  ['Mug "Morning"', 1450],
  ['Thé vert sencha', 990],
  ['Teapot, cast iron', 4900],
  ['Gift card', 2500],
  ['Caffè moka pot', 3200],
  ['Notebook A5', 1200],
];

const people = [];
for (let i = 0; i < 120; i++) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  const [zip, city, country] = CITIES[i % CITIES.length];
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  people.push({
    first,
    last,
    name: `${first} ${last}`,
    // Some shops keep the email as the customer typed it: matching is case-insensitive.
    email: i % 9 === 0 ? `${local}${i}@Example.COM` : `${local}${i}@example.com`,
    company: i % 5 === 0 ? `${last} & Fils` : '',
    phone: `+33 6 ${pad(i % 100)} ${pad((i * 3) % 100)} ${pad((i * 7) % 100)} ${pad((i * 11) % 100)}`,
    street: `${int(1, 120)} rue des Lilas`,
    zip,
    city,
    country,
    shopifyId: String(7012345600000 + i),
    stripeId: `cus_P${(100000 + i * 37).toString(36)}Xq`,
  });
}
const expected = {
  shopify: { byEmail: {}, orders: 0, refunds: 0, skipped: {} },
  stripe: { byCustomer: {}, charges: 0, refunds: 0, skipped: {}, testMode: 0 },
  woocommerce: { byEmail: {}, orders: 0, refunds: 0, skipped: {} },
};
const add = (map, key, cents) => (map[key] = (map[key] ?? 0) + cents);

// ---- Shopify orders: one row per line item, order fields on the first row only --------------
const SHOPIFY_HEADER = [
  'Name',
  'Email',
  'Financial Status',
  'Paid at',
  'Fulfillment Status',
  'Fulfilled at',
  'Accepts Marketing',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Discount Code',
  'Discount Amount',
  'Shipping Method',
  'Created at',
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem compare at price',
  'Lineitem sku',
  'Lineitem requires shipping',
  'Lineitem taxable',
  'Lineitem fulfillment status',
  'Billing Name',
  'Billing Street',
  'Billing Address1',
  'Billing Address2',
  'Billing Company',
  'Billing City',
  'Billing Zip',
  'Billing Province',
  'Billing Country',
  'Billing Phone',
  'Shipping Name',
  'Shipping Street',
  'Shipping Address1',
  'Shipping Address2',
  'Shipping Company',
  'Shipping City',
  'Shipping Zip',
  'Shipping Province',
  'Shipping Country',
  'Shipping Phone',
  'Notes',
  'Note Attributes',
  'Cancelled at',
  'Payment Method',
  'Payment Reference',
  'Refunded Amount',
  'Vendor',
  'Outstanding Balance',
  'Employee',
  'Location',
  'Device ID',
  'Id',
  'Tags',
  'Risk Level',
  'Source',
  'Lineitem discount',
  'Tax 1 Name',
  'Tax 1 Value',
  'Phone',
  'Receipt Number',
  'Duties',
  'Billing Province Name',
  'Shipping Province Name',
  'Payment ID',
  'Payment Terms Name',
  'Next Payment Due At',
  'Payment References',
];
const shopifyRows = [];
const shopifyOrders = [];
for (let n = 0; n < 160; n++) {
  const person = people[int(0, 59)];
  const name = `#${1001 + n}`;
  const day = new Date(Date.UTC(2025, 0, 3) + n * 2 * 86_400_000);
  const stamp = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(9 + (n % 9))}:${pad((n * 7) % 60)}:${pad((n * 13) % 60)} +0200`;
  const lines = Array.from({ length: int(1, 4) }, () => [pick(ITEMS), int(1, 3)]);
  const subtotal = lines.reduce((s, [[, price], q]) => s + price * q, 0);
  const shipping = n % 4 === 0 ? 0 : 590;
  const total = subtotal + shipping;
  const roll = n % 20;
  let status = 'paid';
  let refunded = 0;
  let cancelled = '';
  if (roll === 3 || roll === 11) [status, refunded] = ['partially_refunded', Math.round(total * 0.3)];
  else if (roll === 7) [status, refunded] = ['refunded', total];
  else if (roll === 9) status = 'pending';
  else if (roll === 13) status = 'voided';
  else if (roll === 17) [status, cancelled] = ['refunded', stamp];
  else if (roll === 19) status = 'authorized';
  const noEmail = n === 150; // a point-of-sale order without an email
  shopifyOrders.push({ name, person, status, total, refunded, cancelled, noEmail, day: stamp.slice(0, 10) });
  lines.forEach(([[item, price], quantity], i) => {
    const row = Object.fromEntries(SHOPIFY_HEADER.map((h) => [h, '']));
    Object.assign(row, {
      Name: name,
      'Lineitem quantity': String(quantity),
      'Lineitem name': item,
      'Lineitem price': money(price),
      'Lineitem sku': `SKU-${price}`,
      'Lineitem requires shipping': 'true',
      'Lineitem taxable': 'true',
      'Lineitem fulfillment status': 'fulfilled',
      'Created at': stamp,
      Email: noEmail ? '' : person.email,
    });
    if (i === 0) {
      Object.assign(row, {
        'Financial Status': status,
        'Paid at': status === 'pending' || status === 'authorized' || status === 'voided' ? '' : stamp,
        'Fulfillment Status': 'fulfilled',
        'Accepts Marketing': n % 2 ? 'yes' : 'no',
        Currency: 'EUR',
        Subtotal: money(subtotal),
        Shipping: money(shipping),
        Taxes: money(Math.round(total / 6)),
        Total: money(total),
        'Discount Amount': '0.00',
        'Shipping Method': 'Colissimo',
        'Billing Name': person.name,
        'Billing Street': person.street,
        'Billing Address1': person.street,
        'Billing Company': person.company,
        'Billing City': person.city,
        // Shopify writes zip codes with a leading apostrophe so spreadsheets keep the zeros.
        'Billing Zip': `'${person.zip}`,
        'Billing Country': person.country,
        'Billing Phone': person.phone,
        'Shipping Name': person.name,
        'Shipping City': person.city,
        'Shipping Zip': `'${person.zip}`,
        'Shipping Country': person.country,
        'Cancelled at': cancelled,
        'Payment Method': 'Shopify Payments',
        'Refunded Amount': money(refunded),
        'Outstanding Balance': '0.00',
        Id: String(5500000000000 + n),
        'Risk Level': 'Low',
        Source: 'web',
        'Tax 1 Name': 'TVA 20%',
        'Tax 1 Value': money(Math.round(total / 6)),
        Notes: n % 10 === 1 ? 'Please wrap it,\nit is a gift' : '',
      });
    }
    shopifyRows.push(row);
  });
  if (!noEmail) {
    if (cancelled) expected.shopify.skipped.cancelled = (expected.shopify.skipped.cancelled ?? 0) + 1;
    else if (['pending', 'voided', 'authorized'].includes(status)) expected.shopify.skipped[status] = (expected.shopify.skipped[status] ?? 0) + 1;
    else {
      // A customer whose orders were all refunded is still a customer (and one to win back).
      expected.shopify.customers = [...new Set([...(expected.shopify.customers ?? []), person.email.toLowerCase()])];
      if (refunded) expected.shopify.refunds++;
      if (total - refunded > 0) {
        expected.shopify.orders++;
        add(expected.shopify.byEmail, person.email.toLowerCase(), total - refunded);
      }
    }
  }
}
const shopifyCsv = stringify(shopifyRows, { header: true, columns: SHOPIFY_HEADER, record_delimiter: '\n' });
writeFileSync(join(out, 'shopify-orders.csv'), shopifyCsv);
// The same export opened in Excel (French locale) and saved as CSV: `;`, decimal comma, Windows-1252, CRLF.
const excel = stringify(
  shopifyRows.map((row) => SHOPIFY_HEADER.map((h) => (/^-?\d+\.\d{2}$/.test(row[h]) && h !== 'Lineitem sku' ? row[h].replace('.', ',') : row[h]))),
  { header: false, delimiter: ';', record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
);
writeFileSync(join(out, 'shopify-orders-excel-fr.csv'), iconv.encode(SHOPIFY_HEADER.join(';') + '\r\n' + excel, 'windows-1252'));

// ---- Shopify customers (2023 layout), UTF-8 with a BOM -------------------------------------
const SC_HEADER = [
  'Customer ID',
  'First Name',
  'Last Name',
  'Email',
  'Accepts Email Marketing',
  'Default Address Company',
  'Default Address Address1',
  'Default Address Address2',
  'Default Address City',
  'Default Address Province Code',
  'Default Address Country Code',
  'Default Address Zip',
  'Default Address Phone',
  'Phone',
  'Accepts SMS Marketing',
  'Total Spent',
  'Total Orders',
  'Note',
  'Tax Exempt',
  'Tags',
];
const scRows = people
  .slice(0, 80)
  .map((p, i) => [
    `'${p.shopifyId}`,
    p.first,
    p.last,
    p.email,
    i % 2 ? 'yes' : 'no',
    p.company,
    p.street,
    '',
    p.city,
    '',
    p.country,
    `'${p.zip}`,
    p.phone,
    '',
    'no',
    '0.00',
    '0',
    i % 6 === 0 ? 'Prefers phone calls' : '',
    'no',
    i % 3 === 0 ? 'VIP, newsletter' : 'newsletter',
  ]);
writeFileSync(join(out, 'shopify-customers.csv'), '\ufeff' + stringify(scRows, { header: true, columns: SC_HEADER, record_delimiter: '\n' }));
// Saved from Excel as "Unicode text": UTF-16LE with a BOM, tab separated.
writeFileSync(
  join(out, 'shopify-customers-utf16.txt'),
  Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(stringify(scRows, { header: true, columns: SC_HEADER, delimiter: '\t', record_delimiter: '\r\n' }), 'utf-16le')]),
);

// ---- Stripe payments (unified payments export) ---------------------------------------------
const SP_HEADER = [
  'id',
  'Created date (UTC)',
  'Amount',
  'Amount Refunded',
  'Currency',
  'Captured',
  'Converted Amount',
  'Converted Amount Refunded',
  'Converted Currency',
  'Decline Reason',
  'Description',
  'Fee',
  'Refunded date (UTC)',
  'Statement Descriptor',
  'Status',
  'Seller Message',
  'Taxes On Fee',
  'Card ID',
  'Card Name',
  'Card Brand',
  'Card Funding',
  'Card Last4',
  'Card Address Country',
  'Customer ID',
  'Customer Description',
  'Customer Email',
  'Invoice ID',
  'Transfer',
  'Mode',
];
const spRows = [];
for (let n = 0; n < 320; n++) {
  const person = people[60 + (n % 50)];
  const cents = pick([1900, 4900, 9900, 2500, 12000]);
  const day = new Date(Date.UTC(2025, 1, 1) + n * 86_400_000 * 0.9);
  const created = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(day.getUTCHours())}:${pad(day.getUTCMinutes())}:${pad(day.getUTCSeconds())}`;
  const roll = n % 25;
  let status = 'Paid';
  let refunded = 0;
  if (roll === 4) [status, refunded] = ['Refunded', cents];
  else if (roll === 8 || roll === 16) [status, refunded] = ['Paid', 1000];
  else if (roll === 12) status = 'Failed';
  else if (roll === 20) status = 'Canceled';
  const test = n % 40 === 33;
  const id = `ch_3P${(n * 7919 + 100000).toString(36)}${test ? 'T' : 'L'}`;
  spRows.push([
    id,
    created,
    money(cents),
    money(refunded),
    n % 3 ? 'eur' : 'usd',
    status === 'Canceled' ? 'false' : 'true',
    money(cents),
    money(refunded),
    'eur',
    status === 'Failed' ? 'card_declined' : '',
    `Subscription box #${n}`,
    money(Math.round(cents * 0.029) + 25),
    refunded ? created : '',
    'LOYAL TEA',
    status,
    status === 'Failed' ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
    '0.00',
    `card_1P${n}`,
    person.name,
    'Visa',
    'credit',
    String(4242 + n).slice(-4),
    person.country,
    person.stripeId,
    person.name,
    person.email,
    '',
    '',
    test ? 'Test' : 'Live',
  ]);
  if (test) expected.stripe.testMode++;
  else if (status === 'Failed' || status === 'Canceled') expected.stripe.skipped[status.toLowerCase()] = (expected.stripe.skipped[status.toLowerCase()] ?? 0) + 1;
  else {
    if (refunded) expected.stripe.refunds++;
    if (cents - refunded > 0) {
      expected.stripe.charges++;
      add(expected.stripe.byCustomer, person.stripeId, cents - refunded);
    }
  }
}
writeFileSync(join(out, 'stripe-payments.csv'), stringify(spRows, { header: true, columns: SP_HEADER, record_delimiter: '\n' }));

// ---- Stripe customers ----------------------------------------------------------------------
const STC_HEADER = [
  'id',
  'Description',
  'Email',
  'Name',
  'Created (UTC)',
  'Card ID',
  'Delinquent',
  'Plan',
  'Status',
  'Cancel At Period End',
  'Total Spend',
  'Payment Count',
  'Refunded Volume',
  'Dispute Losses',
  'Phone',
  'Address Line1',
  'Address Line2',
  'Address City',
  'Address State',
  'Address Country',
  'Address Zip',
];
const stcRows = people
  .slice(60, 110)
  .map((p, i) => [
    p.stripeId,
    i % 4 ? '' : 'Wholesale account',
    p.email,
    p.name,
    `2024-0${1 + (i % 9)}-1${i % 10} 10:00`,
    '',
    'false',
    '',
    '',
    '',
    '0.00',
    '0',
    '0.00',
    '0.00',
    p.phone,
    p.street,
    '',
    p.city,
    '',
    p.country,
    p.zip,
  ]);
writeFileSync(join(out, 'stripe-customers.csv'), stringify(stcRows, { header: true, columns: STC_HEADER, record_delimiter: '\n' }));

// ---- WooCommerce (Customer/Order CSV Export, default layout) --------------------------------
const WOO_HEADER = [
  'order_id',
  'order_number',
  'order_number_formatted',
  'order_date',
  'status',
  'shipping_total',
  'shipping_tax_total',
  'fee_total',
  'fee_tax_total',
  'tax_total',
  'cart_discount',
  'order_discount',
  'discount_total',
  'order_total',
  'refunded_total',
  'order_currency',
  'payment_method',
  'shipping_method',
  'customer_id',
  'billing_first_name',
  'billing_last_name',
  'billing_full_name',
  'billing_company',
  'billing_email',
  'billing_phone',
  'billing_address_1',
  'billing_address_2',
  'billing_postcode',
  'billing_city',
  'billing_state',
  'billing_state_code',
  'billing_country',
  'customer_note',
  'line_items',
  'order_notes',
];
const wooRows = [];
for (let n = 0; n < 220; n++) {
  const person = people[n % 70];
  const total = pick([2990, 4500, 8990, 15900]);
  const statuses = ['completed', 'completed', 'completed', 'processing', 'refunded', 'cancelled', 'pending', 'on-hold', 'failed', 'completed'];
  const status = statuses[n % statuses.length];
  const refunded = status === 'refunded' ? total : n % 17 === 5 && status === 'completed' ? 1000 : 0;
  const day = new Date(Date.UTC(2024, 5, 1) + n * 86_400_000 * 1.5);
  wooRows.push([
    String(3000 + n),
    String(3000 + n),
    `WC-${3000 + n}`,
    `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} 14:${pad(n % 60)}:00`,
    status,
    '4.90',
    '0.98',
    '0',
    '0',
    money(total / 6),
    '0',
    '0',
    '0',
    money(total),
    money(refunded),
    'EUR',
    'stripe',
    'Flat rate',
    n % 3 ? String(40 + (n % 70)) : '0',
    person.first,
    person.last,
    person.name,
    person.company,
    person.email,
    person.phone,
    person.street,
    '',
    person.zip,
    person.city,
    '',
    '',
    person.country,
    '',
    `name:${pick(ITEMS)[0]}|quantity:1`,
    '',
  ]);
  if (['completed', 'processing', 'refunded'].includes(status)) {
    if (refunded) expected.woocommerce.refunds++;
    if (total - refunded > 0) {
      expected.woocommerce.orders++;
      add(expected.woocommerce.byEmail, person.email.toLowerCase(), total - refunded);
    }
  } else expected.woocommerce.skipped[status] = (expected.woocommerce.skipped[status] ?? 0) + 1;
}
writeFileSync(join(out, 'woocommerce-orders.csv'), stringify(wooRows, { header: true, columns: WOO_HEADER, record_delimiter: '\n' }));

// ---- Help desks ----------------------------------------------------------------------------
const TAGS = ['late_delivery', 'broken_item', 'refund_request', 'rude_agent', 'login_problem', 'vip', 'wrong_item', 'billing'];
const tickets = { zendesk: { tickets: 0, good: 0, bad: 0, tags: {} }, helpscout: { tickets: 0, satisfied: 0, unsatisfied: 0 }, freshdesk: { tickets: 0, satisfied: 0, unsatisfied: 0 } };
const ZD_HEADER = [
  'Summation column',
  'Id',
  'Requester',
  'Requester id',
  'Requester external id',
  'Requester email',
  'Requester domain',
  'Submitter',
  'Assignee',
  'Group',
  'Subject',
  'Tags',
  'Status',
  'Priority',
  'Via',
  'Ticket type',
  'Created at',
  'Updated at',
  'Assigned at',
  'Organization',
  'Due date',
  'Initially assigned at',
  'Solved at',
  'Resolution time',
  'Satisfaction Score',
  'Group stations',
  'Assignee stations',
  'Reopens',
  'Replies',
  'First reply time in minutes',
  'First reply time in minutes within business hours',
  'First resolution time in minutes',
  'First resolution time in minutes within business hours',
  'Full resolution time in minutes',
  'Full resolution time in minutes within business hours',
  'Agent wait time in minutes',
  'Agent wait time in minutes within business hours',
  'Requester wait time in minutes',
  'Requester wait time in minutes within business hours',
  'On hold time in minutes',
  'On hold time in minutes within business hours',
];
const zdRows = [];
for (let n = 0; n < 300; n++) {
  const person = people[n % 90];
  const tags = [TAGS[n % TAGS.length], ...(n % 5 === 0 ? ['vip'] : [])].filter((t, i, all) => all.indexOf(t) === i);
  const created = new Date(Date.UTC(2025, 2, 1, 8 + (n % 10), (n * 7) % 60) + n * 3 * 3_600_000);
  const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const solved = n % 6 !== 0;
  const score = !solved ? 'Unoffered' : n % 7 === 0 ? 'Bad' : n % 3 === 0 ? 'Good' : n % 2 ? 'Offered' : 'Unoffered';
  if (score === 'Good') tickets.zendesk.good++;
  if (score === 'Bad') tickets.zendesk.bad++;
  tickets.zendesk.tickets++;
  for (const t of tags) tickets.zendesk.tags[t.replace(/_/g, ' ')] = (tickets.zendesk.tags[t.replace(/_/g, ' ')] ?? 0) + 1;
  const via = pick(['Mail', 'Web form', 'Chat', 'Phone call (incoming)', 'Twitter', 'Web Widget']);
  zdRows.push([
    '',
    String(4500 + n),
    person.name,
    String(380000000 + (n % 90)),
    '',
    person.email,
    'example.com',
    person.name,
    pick(['Sam Carter', 'Léa Martin', 'Marco Verdi']),
    'Support',
    n % 11 === 0 ? `Colis "abîmé", encore ?` : `Order ${1001 + (n % 160)}: ${tags[0].replace(/_/g, ' ')}`,
    tags.join(' '),
    solved ? pick(['Solved', 'Closed']) : pick(['Open', 'Pending']),
    pick(['Low', 'Normal', 'High']),
    via,
    'Incident',
    iso(created),
    iso(new Date(created.getTime() + 86_400_000)),
    iso(created),
    person.company,
    '',
    iso(created),
    solved ? iso(new Date(created.getTime() + ((n % 48) + 1) * 3_600_000)) : '',
    solved ? String((n % 48) + 1) : '',
    score,
    '1',
    '1',
    '0',
    '2',
    String(15 + (n % 200)),
    String(10 + (n % 100)),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ]);
}
writeFileSync(join(out, 'zendesk-tickets.csv'), stringify(zdRows, { header: true, columns: ZD_HEADER, record_delimiter: '\n' }));

const HS_HEADER = [
  'Conversation ID',
  'Number',
  'Subject',
  'Customer Name',
  'Customer Email',
  'Status',
  'Type',
  'Mailbox',
  'Assigned To',
  'Tags',
  'Created At',
  'Closed At',
  'First Response At',
  'Rating',
  'Rating Comment',
  'Thread Count',
];
const hsRows = [];
for (let n = 0; n < 200; n++) {
  const person = people[(n * 3) % 100];
  const created = new Date(Date.UTC(2025, 3, 2, 9, 0) + n * 5 * 3_600_000);
  const isoZ = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const closed = n % 4 !== 0;
  const rating = closed && n % 3 === 0 ? pick(['Great', 'Great', 'Okay', 'Not Good']) : '';
  if (rating === 'Not Good') tickets.helpscout.unsatisfied++;
  else if (rating) tickets.helpscout.satisfied++;
  tickets.helpscout.tickets++;
  hsRows.push([
    String(2100000000 + n),
    String(8000 + n),
    n % 13 === 0 ? 'Retard de livraison\n(commande urgente)' : `Question about order ${1001 + (n % 160)}`,
    person.name,
    person.email,
    closed ? 'closed' : 'active',
    pick(['email', 'email', 'chat', 'phone']),
    'Support',
    pick(['Sam Carter', 'Léa Martin']),
    [pick(TAGS).replace(/_/g, ' '), 'help scout'].join(', '),
    isoZ(created),
    closed ? isoZ(new Date(created.getTime() + 26 * 3_600_000)) : '',
    isoZ(new Date(created.getTime() + 45 * 60_000)),
    rating,
    rating === 'Not Good' ? 'Took too long, "again".' : '',
    '3',
  ]);
}
writeFileSync(join(out, 'helpscout-conversations.csv'), stringify(hsRows, { header: true, columns: HS_HEADER, record_delimiter: '\n' }));

const FD_HEADER = [
  'Ticket ID',
  'Subject',
  'Status',
  'Priority',
  'Source',
  'Type',
  'Agent',
  'Group',
  'Created time',
  'Due by Time',
  'Resolved time',
  'Closed time',
  'Last update time',
  'Initial response time',
  'Time tracked',
  'First response time (in hrs)',
  'Resolution time (in hrs)',
  'Agent interactions',
  'Customer interactions',
  'Resolution status',
  'First response status',
  'Tags',
  'Survey results',
  'Product',
  'Full name',
  'Contact ID',
  'Email',
  'Company Name',
];
const fdRows = [];
for (let n = 0; n < 200; n++) {
  const person = people[(n * 7) % 110];
  const c = new Date(Date.UTC(2025, 4, 5, 7, 30) + n * 4 * 3_600_000);
  const local = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const resolved = n % 5 !== 0;
  const survey = resolved && n % 4 === 0 ? pick(['Extremely happy', 'Happy', 'Neutral', 'Unhappy']) : '';
  if (/happy/i.test(survey) && !/unhappy/i.test(survey)) tickets.freshdesk.satisfied++;
  if (/unhappy/i.test(survey)) tickets.freshdesk.unsatisfied++;
  tickets.freshdesk.tickets++;
  fdRows.push([
    String(700 + n),
    `Problème n°${n}: ${pick(TAGS).replace(/_/g, ' ')}`,
    resolved ? 'Resolved' : 'Open',
    pick(['Low', 'Medium', 'High', 'Urgent']),
    pick(['Email', 'Portal', 'Phone', 'Chat', 'Feedback Widget']),
    'Incident',
    pick(['Giulia Conti', 'Marco Verdi']),
    'Support',
    local(c),
    local(new Date(c.getTime() + 86_400_000)),
    resolved ? local(new Date(c.getTime() + 30 * 3_600_000)) : '',
    resolved ? local(new Date(c.getTime() + 31 * 3_600_000)) : '',
    local(c),
    local(new Date(c.getTime() + 2 * 3_600_000)),
    '00:15',
    '2.0',
    resolved ? '30.0' : '',
    '2',
    '1',
    resolved ? 'Within SLA' : '',
    'Within SLA',
    [pick(TAGS).replace(/_/g, ' '), n % 6 === 0 ? 'vip' : ''].filter(Boolean).join(','),
    survey,
    'Tea shop',
    person.name,
    String(90000 + ((n * 7) % 110)),
    person.email,
    person.company,
  ]);
}
writeFileSync(join(out, 'freshdesk-tickets.csv'), stringify(fdRows, { header: true, columns: FD_HEADER, record_delimiter: '\r\n' }));

// ---- Any other CSV: a French spreadsheet (Excel, `;`, decimal comma, DD/MM/YYYY, Windows-1252) ----
const frRows = [];
const fr = { byEmail: {}, rows: 0 };
for (let n = 0; n < 300; n++) {
  const person = people[n % 45];
  const cents = n % 29 === 0 ? -int(500, 2000) : int(900, 250000);
  const d = new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
  const euros = Math.abs(cents);
  const whole = Math.floor(euros / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  frRows.push([
    person.name,
    person.email.toUpperCase(),
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
    `${cents < 0 ? '-' : ''}${whole},${pad(euros % 100)} €`,
    n % 10 === 0 ? 'Remise fidélité' : 'Boutique',
    `F-${2024}${String(n).padStart(4, '0')}`,
  ]);
  add(fr.byEmail, person.email.toLowerCase(), cents);
  fr.rows++;
}
writeFileSync(join(out, 'ventes-boutique-fr.csv'), iconv.encode(['Client;E-mail;Date;Montant TTC;Commentaire;N° facture', ...frRows.map((r) => r.join(';'))].join('\r\n') + '\r\n', 'windows-1252'));

writeFileSync(join(out, 'expected.json'), JSON.stringify({ ...expected, tickets, fr }, null, 2) + '\n');
console.log(`wrote ${out}`);
