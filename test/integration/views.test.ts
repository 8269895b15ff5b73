// The sidebar as a person sees it: the four views, the status bar, outside edits, a broken file.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    assert.deepEqual(await treeLabels(loyal.views.incidents, open), ['Bruno Esposito']);
    const [bruno] = (await loyal.views.incidents.getChildren(open)) ?? [];
    assert.match(String((await loyal.views.incidents.getTreeItem(bruno)).description), /^0\/4 · Order arrived two days late/, 'progress first, then the summary');
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
    // A view message would hide the welcome with the buttons that fix the file.
    for (const view of [loyal.views.todayView, loyal.views.customersView, loyal.views.notesView, loyal.views.incidentsView]) assert.equal(view.message, undefined);
    assert.equal(lastContext(loyal, 'loyal.state'), 'broken', 'the broken-file welcome shows');
    assert.equal(lastContext(loyal, 'loyal.brokenKind'), 'invalid-json', 'the welcome for a file that is not JSON (no merge button)');
    assert.match(loyal.status.text, /unreadable/);
    assert.match(String(loyal.status.tooltip), /line \d+/i, 'the status item says where the file is broken');
    assert.equal(loyal.status.command, 'loyal.openDataFile', 'the status item opens the broken line');
    await vscode.commands.executeCommand(String(loyal.status.command));
    const editor = await waitFor('the data file open', () => vscode.window.activeTextEditor?.document.uri.fsPath === path && vscode.window.activeTextEditor);
    const broken = loyal.session.store?.state.kind === 'broken' ? loyal.session.store.state.error : undefined;
    assert.equal(editor.selection.active.line + 1, broken?.problems[0]?.line, 'the cursor is on the broken line');
    await vscode.commands.executeCommand('loyal.customer.add');
    await vscode.commands.executeCommand('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'x', category: 'product' });
    assert.equal(readFileSync(path, 'utf8'), text, 'the file is byte-identical');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a record with a key written twice as broken, on its line in Problems, and never writes it', async () => {
    const path = resetWorkspaceFile('loyal.json');
    const lines = readFileSync(path, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"name": "Bruno Esposito"'));
    // What a merge that kept both sides' lines leaves: the same key twice, two values.
    lines.splice(at + 1, 0, lines[at].replace('Bruno Esposito', 'Bruno Esposito-Rossi'));
    const text = lines.join('\n');
    writeFileSync(path, text);
    await loyal.session.reload();
    await waitFor('the broken state', () => loyal.session.state === 'broken', 15_000);
    assert.equal(lastContext(loyal, 'loyal.brokenKind'), 'schema');
    assert.match(loyal.status.text, /unreadable/);
    assert.match(String(loyal.status.tooltip), /written twice/);
    const problems = await waitFor('the Problems entry', () => vscode.languages.getDiagnostics(vscode.Uri.file(path)).find((d) => /written twice/.test(d.message)));
    assert.equal(problems.range.start.line, at + 1, 'on the second of the two lines');
    await vscode.commands.executeCommand('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'x', category: 'product' });
    assert.equal(readFileSync(path, 'utf8'), text, 'the file is byte-identical');
  });

  it("shows a new window's book at once and, when a record fails its check a moment later, turns it broken on that line and never writes it", async () => {
    const path = resetWorkspaceFile('loyal.json');
    const lines = readFileSync(path, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"category": "timeliness"'));
    lines[at] = lines[at].replace('timeliness', 'weather');
    const text = lines.join('\n');
    writeFileSync(path, text);
    // A new window reads the file as parsed, shows it, then checks every record.
    const reopened = vscode.commands.executeCommand('loyal.sidebar.reopen', { save: false });
    await waitFor('the broken state', () => loyal.session.state === 'broken', 15_000);
    await reopened;
    assert.equal(lastContext(loyal, 'loyal.state'), 'broken');
    assert.equal(lastContext(loyal, 'loyal.brokenKind'), 'schema');
    assert.deepEqual(await loyal.views.customers.getChildren(), [], 'no records listed from a broken file');
    assert.match(loyal.status.text, /unreadable/);
    const problem = await waitFor('the Problems entry', () => vscode.languages.getDiagnostics(vscode.Uri.file(path)).find((d) => /category/.test(d.message)));
    assert.equal(problem.range.start.line, at, 'on the line of the bad value');
    await vscode.commands.executeCommand('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'x', category: 'product' });
    assert.equal(readFileSync(path, 'utf8'), text, 'the file is byte-identical');
  });

  it('shows no empty-state welcome while a new window reads a book that has records', async () => {
    const from = loyal.contextLog.length;
    await vscode.commands.executeCommand('loyal.sidebar.reopen', { save: false });
    const seen = loyal.contextLog.slice(from);
    for (const name of ['today', 'customers', 'notes', 'incidents']) {
      assert.ok(!seen.some((c) => c.key === `loyal.${name}Empty` && c.value === true), `no "${name} empty" welcome for the fixture book: ${JSON.stringify(seen)}`);
    }
    assert.equal(lastContext(loyal, 'loyal.customersEmpty'), false);
  });

  it('shows one welcome, in Today, when there is no data file, and the empty states once the new book is read', async () => {
    const path = resetWorkspaceFile('loyal.json');
    rmSync(path);
    await loyal.session.reload();
    await waitFor('the missing state', () => loyal.session.state === 'missing');
    assert.equal(lastContext(loyal, 'loyal.state'), 'missing');
    // The other three views are hidden by this state (package.json `when`), so only Today's welcome shows.
    const manifest = vscode.extensions.getExtension('loyal-crm.loyal')!.packageJSON as { contributes: { views: { loyal: Array<{ id: string; when?: string }> } } };
    for (const view of manifest.contributes.views.loyal.filter((v) => v.id !== 'loyal.today')) assert.match(view.when ?? '', /loyal\.state != missing/, view.id);
    await vscode.commands.executeCommand('loyal.createDataFile');
    await waitFor('the new book', () => loyal.session.state === 'ok');
    await treeLabels(loyal.views.sidebar.customers);
    await waitFor('the empty Customers welcome', () => lastContext(loyal, 'loyal.customersEmpty') === true);
  });
});

function lastContext(loyal: LoyalApi, key: string): unknown {
  return loyal.contextLog.filter((c) => c.key === key).at(-1)?.value;
}

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
    assert.equal(lastContext(loyal, 'loyal.brokenKind'), 'conflict-markers', 'the welcome with the merge button');
    assert.equal(loyal.status.command, 'loyal.fixMergeConflicts', 'the status item offers the merge');
    await vscode.commands.executeCommand('loyal.fixMergeConflicts', { confirm: true });
    await waitFor('the repaired book', () => loyal.session.state === 'ok');
    const names = loyal.session.file.customers.map((c) => c.name);
    assert.ok(names.includes('Olga Ours') && names.includes('Theo Theirs'), 'both sides kept');
    assert.doesNotMatch(readFileSync(path, 'utf8'), /<<<<<<<|>>>>>>>/);
  });
});
