import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Customer, Incident, LoyalFile } from '../../../src/domain/records';
import { DataFileError } from '../../../src/store/errors';
import { mergeDriver, mergeFiles, resolveConflictMarkers } from '../../../src/store/merge';
import { parseFileText } from '../../../src/store/parse';
import { serialiseFile } from '../../../src/store/serialise';
import { buildBook } from '../../fixtures/store/book';

const later = (instant: string, minutes: number) => new Date(Date.parse(instant) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const clone = (file: LoyalFile): LoyalFile => structuredClone(file);

function editCustomer(file: LoyalFile, id: string, changes: Partial<Customer>, minutes = 1): void {
  const at = file.customers.findIndex((c) => c.id === id);
  file.customers[at] = { ...file.customers[at], ...changes, updatedAt: changes.updatedAt ?? later(file.customers[at].updatedAt, minutes) };
}

function customer(id: string, name: string): Customer {
  return { id, name, tags: [], archived: false, createdAt: '2026-02-01T10:00:00+01:00', createdBy: 'x', updatedAt: '2026-02-01T10:00:00+01:00', updatedBy: 'x' };
}

function addCustomer(file: LoyalFile, record: Customer): void {
  file.customers.push(record);
  file.customers.sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('mergeFiles', () => {
  const base = buildBook(6, 6);
  const [c0, c1, c2, c3] = base.customers;

  it("takes each side's changes to different records, and keeps records added on either side", () => {
    const ours = clone(base);
    const theirs = clone(base);
    editCustomer(ours, c0.id, { name: 'Ours' });
    editCustomer(theirs, c1.id, { name: 'Theirs' });
    addCustomer(ours, customer('cus_oursnew1', 'Added by us'));
    addCustomer(theirs, customer('cus_theirsnew1', 'Added by them'));
    const { file, conflicts } = mergeFiles(base, ours, theirs);
    assert.deepEqual(conflicts, []);
    assert.equal(file.customers.length, 8);
    assert.equal(file.customers.find((c) => c.id === c0.id)?.name, 'Ours');
    assert.equal(file.customers.find((c) => c.id === c1.id)?.name, 'Theirs');
    assert.deepEqual(
      file.customers.map((c) => c.id),
      [...file.customers.map((c) => c.id)].sort(),
    );
    assert.doesNotThrow(() => parseFileText(serialiseFile(file)));
  });

  it('when both sides changed a record, the later updatedAt wins and the loser is reported; a tie keeps ours', () => {
    const ours = clone(base);
    const theirs = clone(base);
    editCustomer(ours, c0.id, { name: 'Ours, earlier' }, 1);
    editCustomer(theirs, c0.id, { name: 'Theirs, later' }, 2);
    editCustomer(ours, c1.id, { name: 'Ours, later' }, 3);
    editCustomer(theirs, c1.id, { name: 'Theirs, earlier' }, 2);
    editCustomer(ours, c2.id, { name: 'Ours, same time' }, 1);
    editCustomer(theirs, c2.id, { name: 'Theirs, same time' }, 1);
    const { file, conflicts } = mergeFiles(base, ours, theirs);
    const name = (id: string) => file.customers.find((c) => c.id === id)?.name;
    assert.equal(name(c0.id), 'Theirs, later');
    assert.equal(name(c1.id), 'Ours, later');
    assert.equal(name(c2.id), 'Ours, same time');
    assert.deepEqual(
      conflicts.map((c) => [c.id, c.reason, (c.lost as Customer).name]),
      [
        [c0.id, 'both-changed', 'Ours, earlier'],
        [c1.id, 'both-changed', 'Theirs, earlier'],
        [c2.id, 'both-changed', 'Theirs, same time'],
      ],
    );
  });

  it('compares updatedAt as instants, not as text (offsets differ)', () => {
    const ours = clone(base);
    const theirs = clone(base);
    editCustomer(ours, c0.id, { name: 'Ours', updatedAt: '2026-05-01T10:30:00+02:00' }, 0);
    editCustomer(theirs, c0.id, { name: 'Theirs', updatedAt: '2026-05-01T09:00:00Z' }, 0);
    // 10:30+02:00 is 08:30Z: theirs is later although its text sorts first.
    assert.equal(mergeFiles(base, ours, theirs).file.customers.find((c) => c.id === c0.id)?.name, 'Theirs');
  });

  it('removes a record removed on one side and unchanged on the other; keeps it when the other side changed it', () => {
    const ours = clone(base);
    const theirs = clone(base);
    ours.customers = ours.customers.filter((c) => c.id !== c3.id && c.id !== c2.id);
    ours.incidents = ours.incidents.filter((i) => i.customerId !== c3.id && i.customerId !== c2.id);
    theirs.incidents = theirs.incidents.filter((i) => i.customerId !== c3.id && i.customerId !== c2.id);
    editCustomer(theirs, c2.id, { phone: '123' });
    const { file, conflicts } = mergeFiles(base, ours, theirs);
    assert.equal(
      file.customers.some((c) => c.id === c3.id),
      false,
    );
    assert.equal(file.customers.find((c) => c.id === c2.id)?.phone, '123');
    assert.deepEqual(
      conflicts.map((c) => [c.id, c.reason]),
      [[c2.id, 'changed-and-removed']],
    );
  });

  it("brings back a removed customer that the other side's new incident refers to", () => {
    const ours = clone(base);
    const theirs = clone(base);
    const lonely = base.customers.find((c) => !base.incidents.some((i) => i.customerId === c.id))!;
    ours.customers = ours.customers.filter((c) => c.id !== lonely.id);
    const incident: Incident = { ...base.incidents[0], id: 'inc_newforlonely', customerId: lonely.id };
    theirs.incidents = [...theirs.incidents, incident].sort((a, b) => (a.id < b.id ? -1 : 1));
    const { file, conflicts } = mergeFiles(base, ours, theirs);
    assert.ok(file.customers.some((c) => c.id === lonely.id));
    assert.deepEqual(
      conflicts.map((c) => c.reason),
      ['removed-but-referenced'],
    );
    assert.doesNotThrow(() => parseFileText(serialiseFile(file)));
  });

  it('without a common ancestor keeps everything and settles differences by updatedAt', () => {
    const ours = clone(base);
    const theirs = clone(base);
    editCustomer(theirs, c0.id, { name: 'Theirs' });
    addCustomer(ours, customer('cus_onlyours1', 'Only ours'));
    const { file } = mergeFiles(null, ours, theirs);
    assert.equal(file.customers.length, 7);
    assert.equal(file.customers.find((c) => c.id === c0.id)?.name, 'Theirs');
  });
});

describe('merge conflicts in git', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-merge-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** Two teammates' copies: both add a customer at the same place and edit the same incident. */
  async function twoCopies() {
    const base = buildBook(4, 4);
    const ours = clone(base);
    const theirs = clone(base);
    const [first] = base.customers;
    const neighbour = (id: string) => `${first.id.slice(0, -1)}${id}`;
    addCustomer(ours, customer(neighbour('1'), 'Added by Ana'));
    addCustomer(theirs, customer(neighbour('2'), 'Added by Luca'));
    const incident = base.incidents[1];
    ours.incidents[1] = { ...incident, summary: 'Ana rewrote this', updatedAt: later(incident.updatedAt, 10) };
    theirs.incidents[1] = { ...incident, summary: 'Luca rewrote this later', updatedAt: later(incident.updatedAt, 20) };
    theirs.incidents[3] = { ...base.incidents[3], staff: 'only Luca touched this' };
    const paths = { base: join(folder, 'base.json'), ours: join(folder, 'ours.json'), theirs: join(folder, 'theirs.json') };
    await writeFile(paths.base, serialiseFile(base));
    await writeFile(paths.ours, serialiseFile(ours));
    await writeFile(paths.theirs, serialiseFile(theirs));
    return { base, ours, theirs, paths, added: [neighbour('1'), neighbour('2')], incident };
  }

  for (const style of ['merge', 'diff3'] as const) {
    it(`"Fix merge conflicts" recovers both sides from a real git merge-file output (${style} style)`, async () => {
      const { paths, added, incident, theirs } = await twoCopies();
      const merged = spawnSync('git', ['merge-file', '-p', ...(style === 'diff3' ? ['--diff3'] : []), '-L', 'HEAD', '-L', 'base', '-L', 'theirs', paths.ours, paths.base, paths.theirs], {
        encoding: 'utf8',
      });
      assert.ok(merged.status! > 0, 'git reports conflicts');
      assert.ok(merged.stdout.includes('<<<<<<< HEAD'));
      assert.throws(
        () => parseFileText(merged.stdout),
        (error: unknown) => error instanceof DataFileError && error.kind === 'conflict-markers',
      );
      const result = resolveConflictMarkers(merged.stdout);
      assert.ok(!(result instanceof DataFileError), String(result));
      const ids = result.file.customers.map((c) => c.id);
      for (const id of added) assert.ok(ids.includes(id), `${id} survived`);
      assert.equal(result.file.incidents.find((i) => i.id === incident.id)?.summary, 'Luca rewrote this later');
      assert.equal(result.file.incidents.find((i) => i.id === theirs.incidents[3].id)?.staff, 'only Luca touched this');
      assert.deepEqual(
        result.conflicts.map((c) => [c.id, (c.lost as Incident).summary]),
        [[incident.id, 'Ana rewrote this']],
      );
    });
  }

  it('refuses to rebuild malformed conflict markers', () => {
    const result = resolveConflictMarkers('{\n<<<<<<< HEAD\n  "a": 1\n}\n');
    assert.ok(result instanceof DataFileError);
    assert.equal(result.kind, 'conflict-markers');
  });

  it('the merge driver writes the merged book into OURS', async () => {
    const { paths, added } = await twoCopies();
    const result = await mergeDriver(paths.base, paths.ours, paths.theirs);
    assert.equal(result.exitCode, 0);
    assert.equal(result.conflicts.length, 1);
    const merged = parseFileText(await readFile(paths.ours, 'utf8'));
    for (const id of added) assert.ok(merged.customers.some((c) => c.id === id));
  });

  it('the merge driver refuses, leaving OURS untouched, when an input cannot be read', async () => {
    const { paths } = await twoCopies();
    const ours = await readFile(paths.ours, 'utf8');
    await writeFile(paths.theirs, '{ "schemaVersion": 1, "customers": [ }');
    const broken = await mergeDriver(paths.base, paths.ours, paths.theirs);
    assert.notEqual(broken.exitCode, 0);
    assert.equal(broken.error?.kind, 'invalid-json');
    const missing = await mergeDriver(paths.base, paths.ours, join(folder, 'nope.json'));
    assert.notEqual(missing.exitCode, 0);
    assert.equal(await readFile(paths.ours, 'utf8'), ours);
  });

  it("as a git merge driver, a real `git merge` of two branches succeeds with both sides' records", async function () {
    this.timeout(30_000);
    const { base, ours, theirs, added } = await twoCopies();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: folder, encoding: 'utf8', stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    // git runs the driver in the repository, where tsx cannot be resolved by name.
    const tsx = pathToFileURL(join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const driver = `"${process.execPath}" --import "${tsx}" "${join(__dirname, '..', '..', 'fixtures', 'store', 'merge-driver.ts')}" %O %A %B`;
    git('config', 'merge.loyal.driver', driver);
    await writeFile(join(folder, '.gitattributes'), 'loyal.json merge=loyal\n');
    await writeFile(join(folder, 'loyal.json'), serialiseFile(base));
    git('add', 'loyal.json', '.gitattributes');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'luca');
    await writeFile(join(folder, 'loyal.json'), serialiseFile(theirs));
    git('commit', '-q', '-am', 'luca');
    git('checkout', '-q', 'main');
    await writeFile(join(folder, 'loyal.json'), serialiseFile(ours));
    git('commit', '-q', '-am', 'ana');
    git('merge', '-q', '--no-edit', 'luca');
    const merged = parseFileText(await readFile(join(folder, 'loyal.json'), 'utf8'));
    for (const id of added) assert.ok(merged.customers.some((c) => c.id === id));
  });
});
