// The sidebar as a person sees it: the four views, the status bar, outside edits, a broken file.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { activateLoyal, freshFixture, loyalApi, resetWorkspaceFile, treeLabels, waitFor } from './harness';

describe('the sidebar', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
  });

  it('lists the fixture in the four views', async () => {
    const customers = await treeLabels(loyal.views.customers);
    assert.deepEqual(customers.slice(0, 3), ['Alice Martin', 'Bruno Esposito', 'Chloé Dubois'], 'most valuable first');
    assert.ok(!customers.includes('Zed Archived'), 'archived customers are hidden');

    const todayGroups = await treeLabels(loyal.views.today);
    assert.deepEqual(todayGroups, ['Overdue']);
    const [overdue] = (await loyal.views.today.getChildren()) ?? [];
    assert.deepEqual(await treeLabels(loyal.views.today, overdue), ['Alice Martin']);

    const [toWrite] = (await loyal.views.notes.getChildren()) ?? [];
    assert.equal(String((await loyal.views.notes.getTreeItem(toWrite)).label), 'To write');
    assert.deepEqual(await treeLabels(loyal.views.notes, toWrite), ['Chloé Dubois']);

    const incidentGroups = (await loyal.views.incidents.getChildren()) ?? [];
    const open = incidentGroups[0];
    assert.equal(String((await loyal.views.incidents.getTreeItem(open)).label), 'Open');
    assert.deepEqual(await treeLabels(loyal.views.incidents, open), ['Bruno Esposito: Order arrived two days late']);
  });

  it('shows the number due in the status bar and on the Today badge', async () => {
    await waitFor('the status bar count', () => loyal.status.text.includes('1'));
    assert.match(loyal.status.text, /1 due/);
    assert.equal(loyal.views.todayView.badge?.value, 1);
  });

  it('refreshes the views when the file changes outside the editor', async () => {
    const path = resetWorkspaceFile('loyal.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.customers.push({ ...file.customers[1], id: 'cus_outside01', name: 'Olivia Outside' });
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
    await waitFor('the outside edit in the Customers view', async () => (await treeLabels(loyal.views.customers)).includes('Olivia Outside'), 15_000);
  });

  it('shows where an unreadable file is broken and never writes it', async () => {
    const path = resetWorkspaceFile('loyal.json');
    const text = readFileSync(path, 'utf8').replace('"name": "Alice Martin",', '"name": "Alice Martin"');
    writeFileSync(path, text);
    await loyal.session.reload();
    await waitFor('the broken state', () => loyal.session.state === 'broken');
    const contexts = await loyal.views.customers.getChildren();
    assert.deepEqual(contexts, [], 'no records listed from a broken file');
    assert.match(loyal.views.customersView.message ?? '', /line \d+/i, 'the view says where the file is broken');
    assert.match(loyal.status.text, /unreadable/);
    await vscode.commands.executeCommand('loyal.customer.add');
    await vscode.commands.executeCommand('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'x', category: 'product' });
    assert.equal(readFileSync(path, 'utf8'), text, 'the file is byte-identical');
  });
});

describe('a data file with git merge-conflict markers', () => {
  it('is refused, then merged record by record by Fix Merge Conflicts, keeping both sides', async () => {
    const extension = await activateLoyal<LoyalApi>();
    const loyal = extension.exports;
    await loyal.ready;
    const path = resetWorkspaceFile('loyal.json');
    const base = readFileSync(path, 'utf8');
    const file = JSON.parse(base);
    const ours = { ...file, customers: [...file.customers, { ...file.customers[1], id: 'cus_ours00001', name: 'Olga Ours' }] };
    const theirs = { ...file, customers: [...file.customers, { ...file.customers[1], id: 'cus_zthem0001', name: 'Theo Theirs' }] };
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'loyal-conflict-'));
    writeFileSync(join(dir, 'base.json'), base);
    writeFileSync(join(dir, 'theirs.json'), JSON.stringify(theirs, null, 2) + '\n');
    writeFileSync(path, JSON.stringify(ours, null, 2) + '\n');
    // git merge-file writes conflict markers into the first file, as `git merge` does.
    try {
      execFileSync('git', ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', path, join(dir, 'base.json'), join(dir, 'theirs.json')]);
    } catch {
      // exit code = number of conflicts
    }
    assert.match(readFileSync(path, 'utf8'), /^<<<<<<< ours/m);
    await loyal.session.reload();
    await waitFor('the broken state', () => loyal.session.state === 'broken');
    await vscode.commands.executeCommand('loyal.fixMergeConflicts', { confirm: true });
    await waitFor('the repaired book', () => loyal.session.state === 'ok');
    const names = loyal.session.file.customers.map((c) => c.name);
    assert.ok(names.includes('Olga Ours') && names.includes('Theo Theirs'), 'both sides kept');
    assert.doesNotMatch(readFileSync(path, 'utf8'), /<<<<<<<|>>>>>>>/);
  });
});
