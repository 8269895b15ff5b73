// Conflicted copies from synced folders: named as Syncthing, Dropbox, Nextcloud, ownCloud
// and OneDrive name them, merged into the book record by record, then moved to the backups.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoyalFile } from '../../../src/domain/records';
import { DataFileError } from '../../../src/store/errors';
import { LoyalStore } from '../../../src/store/store';
import { parseFileText } from '../../../src/store/parse';
import { serialiseFile } from '../../../src/store/serialise';
import { conflictedCopyTool, findConflictedCopies, mergeConflictedCopy } from '../../../src/store/conflictedCopies';
import { buildBook } from '../../fixtures/store/book';

describe('conflicted copies of synced folders', () => {
  it("recognises each sync tool's names for a conflicted copy, and nothing else", () => {
    const named: Array<[string, string | undefined]> = [
      ['loyal.sync-conflict-20260301-101523-ABCDEF7.json', 'Syncthing'],
      ['loyal.sync-conflict-20260301-101523.json', 'Syncthing'],
      ["loyal (Ana's conflicted copy 2026-03-01).json", 'Dropbox'],
      ["loyal (Ana's conflicted copy 2026-03-01 (1)).json", 'Dropbox'],
      ['loyal (conflicted copy 2026-03-01 101523).json', 'Nextcloud'],
      ['loyal_conflict-20260301-101523.json', 'ownCloud'],
      ['loyal-DESKTOP-4F2K9QX.json', 'OneDrive'],
      ['loyal-LAPTOP-ANA-2.json', 'OneDrive'],
      ['loyal.json', undefined],
      ['loyal-backup.json', undefined],
      ['loyal-2026.json', undefined],
      ['loyal.json.sync-conflict-20260301-101523-ABCDEF7', undefined],
      ['other.sync-conflict-20260301-101523-ABCDEF7.json', undefined],
      ['loyal (1).json', undefined],
    ];
    for (const [name, tool] of named) assert.equal(conflictedCopyTool('loyal.json', name), tool, name);
    assert.equal(conflictedCopyTool('crm.book.json', 'crm.book.sync-conflict-20260301-101523-ABCDEF7.json'), 'Syncthing');
  });

  describe('merging a copy', () => {
    let folder: string;
    let path: string;
    let store: LoyalStore;
    const base = buildBook(8, 8);
    const later = (minutes: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + minutes * 60_000).toISOString().replace('.000Z', 'Z');

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'loyal-copies-'));
      path = join(folder, 'loyal.json');
    });
    afterEach(async () => {
      store?.dispose();
      await rm(folder, { recursive: true, force: true });
    });

    /** This machine's book and the other machine's, which Syncthing saved as a conflicted copy. */
    async function twoMachines(change: (mine: LoyalFile, theirs: LoyalFile) => void): Promise<string> {
      const mine = structuredClone(base);
      const theirs = structuredClone(base);
      change(mine, theirs);
      await writeFile(path, serialiseFile(mine));
      const copy = join(folder, 'loyal.sync-conflict-20261120-101523-ABCDEF7.json');
      await writeFile(copy, serialiseFile(theirs));
      store = await LoyalStore.open(path, { user: () => 'ana' });
      return copy;
    }

    it('keeps what each machine added and changed, moves the copy into .loyal/backups, and keeps the losing version of a record both changed', async () => {
      const [c0, c1, c2] = base.customers;
      const copyPath = await twoMachines((mine, theirs) => {
        mine.customers.push({ ...c0, id: 'cus_minemine00001', name: 'Added here' });
        theirs.customers.push({ ...c0, id: 'cus_theirtheir001', name: 'Added there' });
        mine.customers.find((c) => c.id === c1.id)!.name = 'Renamed here';
        Object.assign(
          mine.customers.find((c) => c.id === c1.id)!,
          { updatedAt: later(1) },
        );
        Object.assign(
          theirs.customers.find((c) => c.id === c2.id)!,
          { email: 'there@example.com', updatedAt: later(2) },
        );
        // Both changed c0: the later one (there) wins, the other is kept in the backups.
        Object.assign(
          mine.customers.find((c) => c.id === c0.id)!,
          { name: 'c0 here', updatedAt: later(3) },
        );
        Object.assign(
          theirs.customers.find((c) => c.id === c0.id)!,
          { name: 'c0 there', updatedAt: later(4) },
        );
        for (const side of [mine, theirs]) side.customers.sort((a, b) => (a.id < b.id ? -1 : 1));
      });
      const copyText = await readFile(copyPath, 'utf8');
      const [copy] = await findConflictedCopies(path);
      assert.deepEqual({ name: copy.name, tool: copy.tool }, { name: 'loyal.sync-conflict-20261120-101523-ABCDEF7.json', tool: 'Syncthing' });
      const result = await mergeConflictedCopy(store, copy);

      const merged = parseFileText(await readFile(path, 'utf8'));
      const byId = new Map(merged.customers.map((c) => [c.id, c]));
      assert.equal(byId.get('cus_minemine00001')?.name, 'Added here');
      assert.equal(byId.get('cus_theirtheir001')?.name, 'Added there');
      assert.equal(byId.get(c1.id)?.name, 'Renamed here');
      assert.equal(byId.get(c2.id)?.email, 'there@example.com');
      assert.equal(byId.get(c0.id)?.name, 'c0 there');
      assert.equal(store.get('customers', 'cus_theirtheir001')?.name, 'Added there', 'the open book has the merge');

      assert.ok(!existsSync(copyPath), 'the copy is gone from beside the data file');
      assert.equal(result.movedTo, join(folder, '.loyal', 'backups', copy.name));
      assert.equal(await readFile(result.movedTo, 'utf8'), copyText, 'moved, intact');
      // With no common ancestor, every record that differs is settled by the later updatedAt,
      // and the other version is kept too.
      assert.deepEqual(result.conflicts.map((c) => c.id).sort(), [c0.id, c1.id, c2.id].sort());
      const backups = await readdir(join(folder, '.loyal', 'backups'));
      const kept = await Promise.all(backups.filter((name) => name.startsWith('loyal.json.conflict.')).map((name) => readFile(join(folder, '.loyal', 'backups', name), 'utf8')));
      assert.ok(
        kept.some((text) => text.includes('c0 here')),
        `the losing version is kept: ${backups.join(', ')}`,
      );
      assert.deepEqual(await findConflictedCopies(path), []);
    });

    it('a copy that cannot be read is left where it is and the book is unchanged', async () => {
      const copyPath = await twoMachines(() => undefined);
      await writeFile(copyPath, '{ "schemaVersion": 1, "customers": [ { "id": ');
      const before = await readFile(path, 'utf8');
      const [copy] = await findConflictedCopies(path);
      await assert.rejects(mergeConflictedCopy(store, copy), (error: unknown) => error instanceof DataFileError && /the conflicted copy .* cannot be read/.test(error.message));
      assert.equal(await readFile(path, 'utf8'), before);
      assert.ok(existsSync(copyPath));
    });
  });

  it('`loyal check` names a conflicted copy beside a sound file, and still passes it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'loyal-copies-cli-'));
    try {
      await writeFile(join(folder, 'loyal.json'), serialiseFile(buildBook(2, 1)));
      await writeFile(join(folder, "loyal (Ana's conflicted copy 2026-11-20).json"), serialiseFile(buildBook(2, 1)));
      const { runCli } = await import('../../../src/cli/run');
      let stdout = '';
      let stderr = '';
      const code = await runCli(['check', '--json'], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: folder });
      assert.equal(code, 0);
      assert.deepEqual((JSON.parse(stdout) as { conflictedCopies: unknown }).conflictedCopies, [{ name: "loyal (Ana's conflicted copy 2026-11-20).json", tool: 'Dropbox' }]);
      assert.match(stderr, /conflicted copy left by Dropbox/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("a second book named like OneDrive's copies (loyal-EU.json) is not taken for a copy; a real one is", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'loyal-copies-onedrive-'));
    try {
      const book = buildBook(3, 1, 7);
      await writeFile(join(folder, 'loyal.json'), serialiseFile(book));
      await writeFile(join(folder, 'loyal-EU.json'), serialiseFile(buildBook(3, 1, 99)));
      await writeFile(join(folder, 'loyal-DESKTOP-4F2K9QX.json'), serialiseFile(book));
      assert.deepEqual(
        (await findConflictedCopies(join(folder, 'loyal.json'))).map((c) => c.name),
        ['loyal-DESKTOP-4F2K9QX.json'],
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
