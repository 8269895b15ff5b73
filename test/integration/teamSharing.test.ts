// "Loyal: Set Up Team Sharing" in the real host: a clone whose .gitattributes asks for
// Loyal's merge driver is offered the setup once; the command sets it up, and a real
// `git merge` of two teammates' branches then runs the extension's own merge driver.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, freshFixture, loyalApi, testWorkspace, waitFor } from './harness';
import { only, type PanelHandle } from './panelHarness';

interface BookJson {
  customers: Array<{ id: string; name: string }>;
}

describe('Team sharing (git and synced folders)', function () {
  this.timeout(60_000);
  const folder = (): string => testWorkspace();
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: folder(), encoding: 'utf8', stdio: 'pipe' });

  const addCustomer = (id: string, name: string): void => {
    const path = join(folder(), 'loyal.json');
    const book = JSON.parse(readFileSync(path, 'utf8')) as BookJson;
    book.customers.push({ ...book.customers[0], id, name });
    book.customers.sort((a, b) => (a.id < b.id ? -1 : 1));
    writeFileSync(path, JSON.stringify(book, null, 2) + '\n');
  };

  after(async () => {
    rmSync(join(folder(), '.git'), { recursive: true, force: true });
    rmSync(join(folder(), '.gitattributes'), { force: true });
    await freshFixture(await loyalApi());
  });

  it('offers the setup once in a clone that has the attribute but not the driver, then sets it up so a real git merge goes record by record', async () => {
    const loyal = await loyalApi();
    await freshFixture(loyal);
    git('init', '-q', '-b', 'main');
    writeFileSync(join(folder(), '.gitattributes'), 'loyal.json merge=loyal\n');
    git('add', 'loyal.json', '.gitattributes');
    git('commit', '-q', '-m', 'the shared book');

    assert.equal(await vscode.commands.executeCommand('loyal.teamSharing.check', { forget: true }), 'offered');
    assert.equal(await vscode.commands.executeCommand('loyal.teamSharing.check'), 'already-offered', 'offered only once');

    await vscode.commands.executeCommand('loyal.teamSharing.setUp');
    const driver = git('config', '--get', 'merge.loyal.driver').trim();
    const launcher = join(folder(), '.git', 'loyal', 'merge-driver.sh');
    assert.equal(driver, `sh "${launcher}" %O %A %B %P`);
    assert.ok(existsSync(launcher), "the launcher is in the clone's git folder");
    assert.equal(readFileSync(join(folder(), '.gitattributes'), 'utf8'), 'loyal.json merge=loyal\n', 'the attribute is not added twice');
    assert.equal(await vscode.commands.executeCommand('loyal.teamSharing.check', { forget: true }), 'not-needed', 'no offer once set up');

    // Two teammates add a customer each at the same place of the file: a line merge conflicts.
    git('checkout', '-q', '-b', 'luca');
    addCustomer('cus_zzzzzzzzzzzzz1', 'Added by Luca');
    git('commit', '-q', '-am', 'luca');
    git('checkout', '-q', 'main');
    addCustomer('cus_zzzzzzzzzzzzz2', 'Added by Ana');
    git('commit', '-q', '-am', 'ana');
    const merge = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'merge', '--no-edit', 'luca'], { cwd: folder(), encoding: 'utf8' });
    assert.equal(merge.status, 0, `git merge: ${merge.stdout}${merge.stderr}`);
    assert.match(merge.stderr, /merged record by record/);
    const merged = JSON.parse(readFileSync(join(folder(), 'loyal.json'), 'utf8')) as BookJson;
    const names = merged.customers.map((c) => c.name);
    assert.ok(names.includes('Added by Luca') && names.includes('Added by Ana'), names.join(', '));
  });

  it("offers to merge a synced folder's conflicted copy, merges it record by record into the open book and moves it to .loyal/backups", async () => {
    const loyal = await loyalApi();
    await freshFixture(loyal);
    const before = loyal.session.file.customers.length;
    const copy = join(folder(), 'loyal.sync-conflict-20261120-101523-ABCDEF7.json');
    const other = JSON.parse(readFileSync(join(folder(), 'loyal.json'), 'utf8')) as BookJson;
    other.customers.push({ ...other.customers[0], id: 'cus_fromtheother01', name: 'Added on the other laptop' });
    other.customers.sort((a, b) => (a.id < b.id ? -1 : 1));
    writeFileSync(copy, JSON.stringify(other, null, 2) + '\n');

    assert.deepEqual(await vscode.commands.executeCommand('loyal.conflictedCopies.check'), ['loyal.sync-conflict-20261120-101523-ABCDEF7.json']);
    assert.deepEqual(await vscode.commands.executeCommand('loyal.conflictedCopies.check'), [], 'offered once');
    const merged = await vscode.commands.executeCommand<Array<{ name: string; movedTo: string }>>('loyal.mergeConflictedCopies', { confirm: true });
    assert.deepEqual(
      merged.map((m) => m.name),
      ['loyal.sync-conflict-20261120-101523-ABCDEF7.json'],
    );
    assert.equal(merged[0].movedTo, join(folder(), '.loyal', 'backups', 'loyal.sync-conflict-20261120-101523-ABCDEF7.json'));
    assert.ok(!existsSync(copy) && existsSync(merged[0].movedTo), 'the copy moved to the backups');
    assert.equal(loyal.session.file.customers.length, before + 1);
    assert.ok(
      loyal.session.file.customers.some((c) => c.name === 'Added on the other laptop'),
      "the open book has the other laptop's customer",
    );
    const onDisk = JSON.parse(readFileSync(join(folder(), 'loyal.json'), 'utf8')) as BookJson;
    assert.ok(onDisk.customers.some((c) => c.id === 'cus_fromtheother01'));
  });

  it("after a pull, the customer page's timeline says which records a teammate changed, and when", async () => {
    const loyal = await loyalApi();
    await freshFixture(loyal);
    const path = join(folder(), 'loyal.json');
    // What a `git pull` brings: Luca edited Bruno's incident.
    const book = JSON.parse(readFileSync(path, 'utf8')) as { incidents: Array<Record<string, unknown>> };
    Object.assign(
      book.incidents.find((i) => i.id === 'inc_fix000001')!,
      { summary: 'Beans arrived stale, replaced', updatedAt: '2026-11-20T09:30:00+01:00', updatedBy: 'Luca' },
    );
    writeFileSync(path, JSON.stringify(book, null, 2) + '\n');
    await vscode.commands.executeCommand('loyal.refresh');
    await waitFor('the pulled change', () => loyal.session.state === 'ok' && loyal.session.file.incidents.some((i) => i.updatedBy === 'Luca'));
    try {
      const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', 'cus_bruno0002');
      const init = only(await panel.receive({ type: 'ready' }), 'init');
      const timeline = (init.data as unknown as { timeline: Record<string, Array<{ id: string; changed?: string }>> }).timeline;
      const incident = timeline.incidents.find((e) => e.id === 'inc_fix000001');
      const purchase = timeline.purchases.find((e) => e.id === 'pur_fix000002');
      assert.match(incident?.changed ?? '', /^Changed by Luca, .*2026/);
      assert.match(purchase?.changed ?? '', /^Added by Giulia, /);
    } finally {
      await closeAllEditors();
    }
  });
});
