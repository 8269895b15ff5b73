// `loyal mcp` as an agent's client sees it: the CLI bundled like dist/cli.js, spawned as a
// real stdio child process by the official SDK's Client, on a real data file in a temp
// folder. Results are checked against what `loyal review|ltv|trends --json` say about the
// same book, and every refused call is checked to leave the file byte for byte as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { bundleCli } from '../../support/cliBundle';
import { generateDemoBook } from '../../../../src/domain/demo';
import type { Contact, Customer, FollowUp, HandwrittenNote, Incident, LoyalFile, Purchase } from '../../../../src/domain/records';
import { serialiseFile } from '../../../../src/store/serialise';

const AS_OF = '2026-06-15';
const CLIENT = 'loyal-test-agent';
const ENV = { PATH: process.env.PATH ?? '', TZ: 'Europe/Rome', LOYAL_USER: 'Tester' };
const READS = ['morning_review', 'find_customers', 'customer', 'trends'];
const WRITES = ['log_incident', 'resolve_incident', 'complete_follow_up', 'add_follow_up', 'record_purchase', 'log_contact'];

let folder: string;
let cli: string;
const clients: Client[] = [];

function loyal(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: folder, encoding: 'utf8', env: ENV, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliJson<T>(args: string[]): T {
  const run = loyal([...args, '--json']);
  assert.equal(run.status, 0, `loyal ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

async function connect(path: string, extra: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--file', path, ...extra], env: ENV, cwd: folder, stderr: 'pipe' });
  const client = new Client({ name: CLIENT, version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A call that must succeed: its structured result. */
async function ok<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await call(client, name, args);
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.equal(result.content[0].type, 'text');
  assert.ok((result.content[0] as { text: string }).text.length > 0, 'a short text comes with the data');
  return result.structuredContent as T;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** A call that must be refused, naming `field`, with the data file left byte for byte as it was. */
async function refused(client: Client, path: string, name: string, args: Record<string, unknown>, field: RegExp): Promise<string> {
  const before = await readFile(path);
  const result = await call(client, name, args);
  assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should be refused: ${textOf(result)}`);
  assert.match(textOf(result), field);
  assert.deepEqual(await readFile(path), before, 'the data file is unchanged');
  return textOf(result);
}

async function writeBook(name: string, file: LoyalFile): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, serialiseFile(file));
  return path;
}

async function readBook(path: string): Promise<LoyalFile> {
  return JSON.parse(await readFile(path, 'utf8')) as LoyalFile;
}

function demoBook(): LoyalFile {
  return generateDemoBook({ customers: 300, seed: 19, today: AS_OF });
}

describe('loyal mcp (the SDK client over stdio)', function () {
  this.timeout(120_000);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-mcp-'));
    cli = join(folder, 'cli.js');
    await bundleCli(cli);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lists the ten tools with stable names, annotations and input schemas that say what is required', async () => {
    const path = await writeBook('list.json', demoBook());
    const client = await connect(path);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      [...READS, ...WRITES],
    );
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, READS.includes(tool.name), `${tool.name} readOnlyHint`);
      assert.equal(tool.annotations?.openWorldHint, false, `${tool.name} touches only the book`);
      assert.ok(tool.description && tool.description.length > 40, `${tool.name} is described`);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    // Changing existing records is flagged; adding records is not.
    assert.equal(byName.get('resolve_incident')!.annotations?.destructiveHint, true);
    assert.equal(byName.get('complete_follow_up')!.annotations?.destructiveHint, true);
    assert.equal(byName.get('record_purchase')!.annotations?.destructiveHint, false);
    const incident = byName.get('log_incident')!.inputSchema as { required?: string[]; properties: Record<string, { enum?: string[] }>; additionalProperties?: boolean };
    assert.deepEqual(incident.required, ['customer', 'channel', 'category']);
    assert.deepEqual(incident.properties.channel.enum, ['email', 'phone', 'in-person', 'chat', 'social', 'other']);
    assert.deepEqual(incident.properties.category.enum, ['product', 'people', 'timeliness', 'process', 'other']);
    assert.equal(incident.additionalProperties, false);
    assert.deepEqual((byName.get('complete_follow_up')!.inputSchema as { required?: string[] }).required, ['followUp', 'satisfied']);
  });

  it('morning_review says what `loyal review --json` says, most valuable first', async () => {
    const path = await writeBook('review.json', demoBook());
    const client = await connect(path);
    const review = await ok<Record<string, unknown[]> & { counts: Record<string, number> }>(client, 'morning_review', { asOf: AS_OF, limit: 1000 });
    const expected = cliJson<Record<string, unknown[]> & { counts: Record<string, number> }>(['review', '--file', path, '--as-of', AS_OF]);
    for (const section of ['overdue', 'today', 'notes', 'atRisk', 'quiet']) assert.deepEqual(review[section], expected[section], section);
    assert.deepEqual(review.counts, expected.counts);
    assert.ok(expected.counts.due > 0 && expected.counts.atRisk > 0 && expected.counts.quiet > 0, 'the demo book has something in each section');
    const overdue = review.overdue as Array<{ customerId: string; customerName: string; valueAtStakeCents: number }>;
    assert.ok(overdue[0].customerId && overdue[0].customerName);
    for (let i = 1; i < overdue.length; i++) assert.ok(overdue[i - 1].valueAtStakeCents >= overdue[i].valueAtStakeCents, 'highest value at stake first');

    // A limit keeps the answer short, and says what was cut.
    const short = await call(client, 'morning_review', { asOf: AS_OF, limit: 1 });
    const data = short.structuredContent as { quiet: unknown[]; counts: Record<string, number>; truncated: string[] };
    assert.equal(data.quiet.length, 1);
    assert.equal(data.counts.quiet, expected.counts.quiet);
    assert.ok(data.truncated.includes('quiet'));
    assert.match(textOf(short), new RegExp(`${expected.counts.overdue} overdue`));
  });

  it('find_customers and customer give the values of `loyal ltv --json`, and filter by text, tag, risk and silence', async () => {
    const file = demoBook();
    const path = await writeBook('find.json', file);
    const client = await connect(path);
    const ltv = cliJson<{ customers: Array<{ id: string; ltv: number; historicalValue: number; pAlive?: number; expectedPurchases12m?: number; explanation: unknown }> }>([
      'ltv',
      '--file',
      path,
      '--as-of',
      AS_OF,
    ]);
    const found = await ok<{ total: number; customers: Array<{ id: string; name: string; ltv: number; historicalValue: number; atRisk: boolean; quiet: boolean; tags: string[] }> }>(
      client,
      'find_customers',
      { asOf: AS_OF, limit: 5 },
    );
    assert.equal(found.total, file.customers.filter((c) => !c.archived).length);
    assert.deepEqual(
      found.customers.map((c) => [c.id, c.ltv]),
      ltv.customers.slice(0, 5).map((c) => [c.id, c.ltv]),
      'highest lifetime value first, with the CLI figures',
    );

    const review = cliJson<{ atRisk: Array<{ customerId: string }>; quiet: Array<{ customerId: string }> }>(['review', '--file', path, '--as-of', AS_OF]);
    const atRisk = await ok<{ total: number; customers: Array<{ id: string; atRisk: boolean }> }>(client, 'find_customers', { asOf: AS_OF, atRisk: true, limit: 500 });
    assert.deepEqual(atRisk.customers.map((c) => c.id).sort(), review.atRisk.map((c) => c.customerId).sort());
    const quiet = await ok<{ customers: Array<{ id: string }> }>(client, 'find_customers', { asOf: AS_OF, quiet: true, limit: 500 });
    assert.deepEqual(quiet.customers.map((c) => c.id).sort(), review.quiet.map((c) => c.customerId).sort());

    const tagged = file.customers.find((c) => c.tags.length > 0 && !c.archived)!;
    const byTag = await ok<{ customers: Array<{ tags: string[] }> }>(client, 'find_customers', { tag: tagged.tags[0], limit: 500 });
    assert.ok(byTag.customers.length > 0 && byTag.customers.every((c) => c.tags.includes(tagged.tags[0])));
    const byText = await ok<{ customers: Array<{ id: string }> }>(client, 'find_customers', { text: tagged.name.toUpperCase(), limit: 500 });
    assert.ok(byText.customers.some((c) => c.id === tagged.id));

    const top = ltv.customers[0];
    const page = await ok<{
      customer: Customer;
      value: { ltv: number; historicalValue: number; pAlive?: number; expectedPurchases12m?: number; explanation: unknown };
      timeline: Array<{ at: string }>;
    }>(client, 'customer', {
      customer: top.id,
      asOf: AS_OF,
    });
    assert.equal(page.customer.id, top.id);
    assert.equal(page.value.ltv, top.ltv);
    assert.equal(page.value.historicalValue, top.historicalValue);
    assert.equal(page.value.pAlive, top.pAlive);
    assert.equal(page.value.expectedPurchases12m, top.expectedPurchases12m);
    assert.deepEqual(page.value.explanation, top.explanation);
    assert.ok(page.timeline.length > 0 && page.timeline.length <= 20);
    for (let i = 1; i < page.timeline.length; i++) assert.ok(page.timeline[i - 1].at >= page.timeline[i].at, 'newest first');
  });

  it('customer lists the open incidents with their outlook, the pending follow-ups and the notes', async () => {
    const file = demoBook();
    const path = await writeBook('customer.json', file);
    const client = await connect(path);
    const open = file.incidents.find((i) => i.resolvedAt === undefined)!;
    const page = await ok<{ openIncidents: Array<Incident & { outlook: { outlook: string }; progress: { done: number } }>; pendingFollowUps: FollowUp[]; openNotes: HandwrittenNote[] }>(
      client,
      'customer',
      { customer: open.customerId, asOf: AS_OF },
    );
    const listed = page.openIncidents.find((i) => i.id === open.id);
    assert.ok(listed, 'the open incident is listed');
    assert.ok(['favorable', 'at-risk'].includes(listed.outlook.outlook));
    assert.deepEqual(
      page.pendingFollowUps.map((f) => f.id).sort(),
      file.followUps
        .filter((f) => f.customerId === open.customerId && f.status === 'pending')
        .map((f) => f.id)
        .sort(),
    );
  });

  it('trends gives the findings of `loyal trends --json` for the same range and filters', async () => {
    const path = await writeBook('trends.json', demoBook());
    const client = await connect(path);
    const args = ['--file', path, '--as-of', AS_OF, '--from', '2025-06-01', '--to', AS_OF];
    const expected = cliJson<Record<string, unknown>>(['trends', ...args]);
    const report = await ok(client, 'trends', { asOf: AS_OF, from: '2025-06-01', to: AS_OF });
    for (const key of ['total', 'topComplaints', 'byCategory', 'spikes', 'releases', 'outcomes', 'scorecard']) assert.deepEqual(report[key], expected[key], key);
    assert.ok((expected.topComplaints as unknown[]).length > 0);
    const product = await ok(client, 'trends', { asOf: AS_OF, category: ['product'] });
    assert.deepEqual(product.topComplaints, cliJson<Record<string, unknown>>(['trends', '--file', path, '--as-of', AS_OF, '--category', 'product']).topComplaints);
    await refused(client, path, 'trends', { from: '2026-06-01', to: '2026-05-01' }, /^from: /);
  });

  it('runs the recovery workflow (log, resolve, not satisfied, check again) with who did it in the file', async () => {
    const file = demoBook();
    const path = await writeBook('recovery.json', file);
    // The same book for the CLI, to compare what `loyal resolve` plans.
    const cliPath = await writeBook('recovery-cli.json', file);
    const client = await connect(path);
    const customer = file.customers.find((c) => !c.archived && c.address && !file.incidents.some((i) => i.customerId === c.id))!;

    const logged = await ok<{ incident: Incident; outlook: { outlook: string; reasons: string[] } }>(client, 'log_incident', {
      customer: customer.id,
      channel: 'phone',
      category: 'timeliness',
      severity: 'major',
      cause: 'preventable',
      openedAt: `${AS_OF}T09:10`,
      summary: 'The order arrived a week late',
      tags: ['late delivery'],
    });
    assert.deepEqual(logged.outlook, { outlook: 'at-risk', reasons: ['severe', 'preventable'] });
    assert.equal(logged.incident.openedAt, `${AS_OF}T09:10:00+02:00`, 'local time, as the CLI reads --at');
    const incidentId = logged.incident.id;

    const resolved = await ok<{ incident: Incident; followUps: FollowUp[]; notes: HandwrittenNote[]; reasons: string[] }>(client, 'resolve_incident', {
      incident: incidentId,
      at: `${AS_OF}T17:00`,
      resolutionNote: 'Refunded the shipping',
      extraMile: 'A bag of the new roast',
      extraMileCost: '9.5',
    });
    assert.equal(resolved.incident.resolvedBy, 'Tester');
    assert.equal(resolved.incident.extraMileCost, '9.50');
    assert.equal(resolved.followUps.length, 1);
    assert.equal(resolved.followUps[0].kind, 'satisfaction-check');
    assert.equal(resolved.followUps[0].due, '2026-06-18');
    assert.equal(resolved.followUps[0].assignee, 'Tester');
    assert.equal(resolved.notes.length, 1, 'a major incident earns a handwritten note');
    assert.equal(resolved.notes[0].address, customer.address);

    // `loyal resolve` on the same incident of the same book plans the same.
    loyal([
      'add',
      'incident',
      '--file',
      cliPath,
      '--customer',
      customer.id,
      '--channel',
      'phone',
      '--category',
      'timeliness',
      '--severity',
      'major',
      '--cause',
      'preventable',
      '--at',
      `${AS_OF}T09:10`,
    ]);
    const cliIncident = (await readBook(cliPath)).incidents.find((i) => i.customerId === customer.id)!;
    const cliResolved = cliJson<{ followUps: FollowUp[]; notes: HandwrittenNote[]; reasons: string[] }>(['resolve', cliIncident.id, '--file', cliPath, '--at', `${AS_OF}T17:00`]);
    assert.deepEqual(resolved.reasons, cliResolved.reasons);
    assert.deepEqual(
      resolved.followUps.map((f) => [f.kind, f.due, f.assignee]),
      cliResolved.followUps.map((f) => [f.kind, f.due, f.assignee]),
    );
    assert.deepEqual(
      resolved.notes.map((n) => [n.due, n.status]),
      cliResolved.notes.map((n) => [n.due, n.status]),
    );

    const check = resolved.followUps[0].id;
    const unhappy = await ok<{ followUp: FollowUp; incident: Incident; followUps: FollowUp[]; reopened: boolean }>(client, 'complete_follow_up', {
      followUp: check,
      satisfied: false,
      rating: 2,
      comment: 'Still waiting for the refund',
      at: '2026-06-18T10:00',
    });
    assert.equal(unhappy.reopened, true);
    assert.equal(unhappy.incident.resolvedAt, undefined, 'not satisfied reopens the recovery');
    assert.equal(unhappy.incident.reopenCount, 1);
    assert.equal(unhappy.followUps[0].due, '2026-06-21');
    await refused(client, path, 'complete_follow_up', { followUp: check, satisfied: true }, /already done/);

    const saved = await readBook(path);
    const incident = saved.incidents.find((i) => i.id === incidentId)!;
    assert.equal(incident.createdBy, `Tester via ${CLIENT}`);
    assert.equal(incident.updatedBy, `Tester via ${CLIENT}`);
    assert.equal(incident.reopenCount, 1);
    const done = saved.followUps.find((f) => f.id === check)!;
    assert.deepEqual(done.outcome, { satisfied: false, rating: 2, comment: 'Still waiting for the refund' });
    assert.equal(done.doneBy, 'Tester');
    assert.equal(done.updatedBy, `Tester via ${CLIENT}`);
    assert.equal(saved.followUps.find((f) => f.id === unhappy.followUps[0].id)!.createdBy, `Tester via ${CLIENT}`);
    assert.equal(saved.notes.find((n) => n.id === resolved.notes[0].id)!.createdBy, `Tester via ${CLIENT}`);

    // Resolved again, then the customer is satisfied: the recovery is complete.
    const again = await ok<{ followUps: FollowUp[] }>(client, 'resolve_incident', { incident: incidentId, at: '2026-06-19T09:00' });
    assert.deepEqual(again.followUps, [], 'the pending check is kept, not doubled');
    await ok(client, 'complete_follow_up', { followUp: unhappy.followUps[0].id, satisfied: true, rating: 5, at: '2026-06-21T09:00' });
    const page = await ok<{ openIncidents: Incident[] }>(client, 'customer', { customer: customer.id, asOf: '2026-06-21' });
    assert.deepEqual(page.openIncidents, []);
  });

  it('plans with the rules it is started with (the editor passes its settings), and refuses a bad rule flag', async () => {
    const file = demoBook();
    const path = await writeBook('rules.json', file);
    const client = await connect(path, ['--follow-up-days', '5', '--notes-on-severe', 'no', '--notes-on-top-value', 'no']);
    const customer = file.customers.find((c) => !c.archived && !file.incidents.some((i) => i.customerId === c.id))!;
    const { incident } = await ok<{ incident: Incident }>(client, 'log_incident', { customer: customer.id, channel: 'email', category: 'product', severity: 'critical', openedAt: `${AS_OF}T09:00` });
    const resolved = await ok<{ followUps: FollowUp[]; notes: HandwrittenNote[]; switchedOff: string[] }>(client, 'resolve_incident', { incident: incident.id, at: `${AS_OF}T12:00` });
    assert.equal(resolved.followUps[0].due, '2026-06-20', 'five days after the resolution');
    assert.deepEqual(resolved.notes, []);
    assert.ok(resolved.switchedOff.includes('severe'));

    const bad = loyal(['mcp', '--file', path, '--follow-up-days', 'soon']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^loyal: --follow-up-days: "soon" must be a whole number/);
    assert.equal(bad.stdout, '', 'nothing on the protocol channel');
  });

  it('records purchases, contacts and follow-ups into the file, as `loyal add` would', async () => {
    const file = demoBook();
    const path = await writeBook('writes.json', file);
    const client = await connect(path);
    const customer = file.customers.find((c) => !c.archived && c.externalId === undefined)!;
    const { purchase } = await ok<{ purchase: Purchase }>(client, 'record_purchase', { customer: customer.id, amount: '42.5', date: AS_OF, note: 'Two bags' });
    assert.equal(purchase.amount, '42.50');
    assert.equal(purchase.currency, 'EUR');
    const { contact } = await ok<{ contact: Contact }>(client, 'log_contact', { customer: customer.id, channel: 'email', at: `${AS_OF}T11:00`, summary: 'Asked about the new roast' });
    assert.equal(contact.by, 'Tester');
    const { followUp } = await ok<{ followUp: FollowUp }>(client, 'add_follow_up', { customer: customer.id, kind: 'custom', due: '2026-06-20', title: 'Send the tasting notes' });
    assert.equal(followUp.assignee, 'Tester');
    assert.equal(followUp.status, 'pending');

    const saved = await readBook(path);
    for (const [collection, id] of [
      ['purchases', purchase.id],
      ['contacts', contact.id],
      ['followUps', followUp.id],
    ] as const) {
      const record = (saved[collection] as Array<{ id: string; createdBy: string }>).find((r) => r.id === id);
      assert.ok(record, `${id} is in the file`);
      assert.equal(record.createdBy, `Tester via ${CLIENT}`);
    }
    // The CLI reads what the agent wrote: the book is still valid.
    assert.equal(loyal(['check', '--file', path]).status, 0);
    const page = await ok<{ timeline: Array<{ id: string }> }>(client, 'customer', { customer: customer.id, asOf: AS_OF });
    assert.ok(page.timeline.some((e) => e.id === purchase.id) && page.timeline.some((e) => e.id === contact.id));
  });

  it('refuses bad arguments and unknown ids with an error naming the field, and writes nothing', async () => {
    const file = demoBook();
    const path = await writeBook('bad.json', file);
    const client = await connect(path);
    const customer = file.customers.find((c) => !c.archived)!;
    const other = file.incidents.find((i) => i.customerId !== customer.id)!;
    const resolvedIncident = file.incidents.find((i) => i.resolvedAt !== undefined)!;
    const done = file.followUps.find((f) => f.status === 'done')!;

    await refused(client, path, 'log_incident', { customer: customer.id, channel: 'fax', category: 'product' }, /^channel: Invalid option: expected one of "email"\|"phone".*Nothing was written\.$/);
    await refused(client, path, 'log_incident', { customer: customer.id, category: 'product' }, /^channel: /);
    const structured = await call(client, 'add_follow_up', { customer: customer.id, kind: 'call', due: AS_OF });
    assert.deepEqual((structured.structuredContent as { error: { field: string } }).error.field, 'kind', 'the field is in the structured error too');
    await refused(client, path, 'log_incident', { customer: customer.id, channel: 'email', category: 'product', sumary: 'typo' }, /^Unrecognized key: "sumary"/);
    await refused(client, path, 'log_incident', { customer: customer.id, channel: 'email', category: 'product', openedAt: '2026-02-30T10:00' }, /^openedAt: must be a date and time/);
    await refused(client, path, 'log_incident', { customer: 'Ann', channel: 'email', category: 'product' }, /^customer: no customer has the id or external id "Ann"/);
    await refused(client, path, 'record_purchase', { customer: customer.id, amount: '12,50' }, /^amount: must be an amount such as 129.90/);
    await refused(client, path, 'record_purchase', { customer: customer.id, amount: '12.50', date: '15/06/2026' }, /^date: must be a date written YYYY-MM-DD/);
    await refused(client, path, 'record_purchase', { customer: customer.id, amount: '12.50', currency: 'euro' }, /^currency: must be a three-letter currency code/);
    await refused(client, path, 'add_follow_up', { customer: customer.id, kind: 'custom', due: 'tomorrow' }, /^due: must be a date written YYYY-MM-DD/);
    await refused(client, path, 'add_follow_up', { customer: customer.id, kind: 'custom', due: AS_OF, incident: other.id }, /^incident: .*another customer/);
    await refused(client, path, 'add_follow_up', { customer: customer.id, kind: 'custom', due: AS_OF, incident: 'inc_nothere' }, /^incident: there is no incident inc_nothere/);
    await refused(client, path, 'resolve_incident', { incident: 'inc_nothere' }, /^incident: there is no incident inc_nothere/);
    await refused(client, path, 'resolve_incident', { incident: resolvedIncident.id }, /already resolved/);
    await refused(client, path, 'complete_follow_up', { followUp: 'fol_nothere', satisfied: true }, /^followUp: there is no follow-up fol_nothere/);
    await refused(client, path, 'complete_follow_up', { followUp: done.id, satisfied: true }, /already done/);
    const pending = file.followUps.find((f) => f.status === 'pending')!;
    await refused(client, path, 'complete_follow_up', { followUp: pending.id, satisfied: true, rating: 7 }, /^rating: /);
    await refused(client, path, 'complete_follow_up', { followUp: pending.id, rating: 4 }, /^satisfied: /);
    await refused(client, path, 'customer', { customer: 'cus_nothere' }, /^customer: /);
    await refused(client, path, 'morning_review', { asOf: '2026-13-01' }, /^asOf: must be a date written YYYY-MM-DD/);
    await refused(client, path, 'find_customers', { sort: 'age' }, /^sort: /);
  });

  it('--read-only offers only the reads, and a write tool called anyway is refused', async () => {
    const file = demoBook();
    const path = await writeBook('read-only.json', file);
    const client = await connect(path, ['--read-only']);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      READS,
    );
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
    await refused(client, path, 'record_purchase', { customer: file.customers[0].id, amount: '10.00' }, /^There is no tool record_purchase: this server is read only/);
    await ok(client, 'morning_review', { asOf: AS_OF });
  });

  it('sees a CLI write made while it runs, and loses neither its own writes nor the CLI ones', async () => {
    const file = demoBook();
    const path = await writeBook('shared.json', file);
    const client = await connect(path);
    const customer = file.customers.find((c) => !c.archived)!;
    const before = await ok<{ timeline: Array<{ id: string }> }>(client, 'customer', { customer: customer.id, asOf: AS_OF, timelineLimit: 300 });

    const added = loyal(['add', 'purchase', '--file', path, '--customer', customer.id, '--amount', '77.00', '--date', AS_OF]);
    assert.equal(added.status, 0, added.stderr);
    const cliPurchase = added.stdout.trim();
    const after = await ok<{ timeline: Array<{ id: string }> }>(client, 'customer', { customer: customer.id, asOf: AS_OF, timelineLimit: 300 });
    assert.equal(after.timeline.length, before.timeline.length + 1);
    assert.ok(
      after.timeline.some((e) => e.id === cliPurchase),
      'the server sees the CLI purchase',
    );

    const { purchase } = await ok<{ purchase: Purchase }>(client, 'record_purchase', { customer: customer.id, amount: '5.00', date: AS_OF });
    const again = loyal(['add', 'contact', '--file', path, '--customer', customer.id, '--channel', 'phone']);
    assert.equal(again.status, 0, again.stderr);
    const { contact } = await ok<{ contact: Contact }>(client, 'log_contact', { customer: customer.id, channel: 'email' });

    const saved = await readBook(path);
    assert.ok(saved.purchases.some((p) => p.id === cliPurchase && p.createdBy === 'Tester'));
    assert.ok(saved.purchases.some((p) => p.id === purchase.id && p.createdBy === `Tester via ${CLIENT}`));
    assert.ok(saved.contacts.some((c) => c.id === again.stdout.trim()));
    assert.ok(saved.contacts.some((c) => c.id === contact.id));
    assert.equal(saved.purchases.length, file.purchases.length + 2);
    assert.equal(saved.contacts.length, file.contacts.length + 2);
  });

  it('answers every tool with the file error while the data file is broken, writes nothing, and recovers once it is fixed', async () => {
    const file = demoBook();
    const path = await writeBook('broken.json', file);
    const client = await connect(path);
    const customer = file.customers.find((c) => !c.archived)!;
    await ok(client, 'morning_review', { asOf: AS_OF });

    const good = await readFile(path, 'utf8');
    // A hand edit gone wrong: the comma after "schemaVersion" (line 2) removed.
    const lines = good.split('\n');
    assert.match(lines[1], /"schemaVersion": 1,$/);
    lines[1] = lines[1].replace(/,$/, '');
    await writeFile(path, lines.join('\n'));
    const broken = await readFile(path);
    const calls: Array<[string, Record<string, unknown>]> = [
      ['morning_review', {}],
      ['find_customers', {}],
      ['customer', { customer: customer.id }],
      ['trends', {}],
      ['log_incident', { customer: customer.id, channel: 'email', category: 'product' }],
      ['resolve_incident', { incident: file.incidents[0].id }],
      ['complete_follow_up', { followUp: file.followUps[0].id, satisfied: true }],
      ['add_follow_up', { customer: customer.id, kind: 'custom', due: AS_OF }],
      ['record_purchase', { customer: customer.id, amount: '1.00' }],
      ['log_contact', { customer: customer.id, channel: 'email' }],
    ];
    for (const [name, args] of calls) {
      const result = await call(client, name, args);
      assert.equal(result.isError, true, `${name} answers with the error`);
      assert.match(textOf(result), /cannot be used, so nothing was read or written/);
      assert.match(textOf(result), /line 3/, `${name} says where the file is broken`);
      assert.equal((result.structuredContent as { error: { kind: string } }).error.kind, 'invalid-json');
    }
    assert.deepEqual(await readFile(path), broken, 'the broken file was not written over');

    await writeFile(path, good);
    const { purchase } = await ok<{ purchase: Purchase }>(client, 'record_purchase', { customer: customer.id, amount: '3.00' });
    assert.ok((await readBook(path)).purchases.some((p) => p.id === purchase.id));
  });

  it('says there is no data file when there is none, and creates nothing', async () => {
    const path = join(folder, 'none.json');
    const client = await connect(path);
    const result = await call(client, 'morning_review', {});
    assert.equal(result.isError, true);
    assert.match(textOf(result), /no Loyal data file/);
    const write = await call(client, 'record_purchase', { customer: 'cus_abcd', amount: '1.00' });
    assert.equal(write.isError, true);
    assert.equal(spawnSync('test', ['-e', path]).status, 1, 'no file was created');
  });
});
