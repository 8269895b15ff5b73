// The sidebar of the last window, shown at once in the next one while the book is read, and
// never when the file changed since.
import { strict as assert } from 'node:assert';
import { utimesSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoyalApi, LoyalTimings } from '../../src/extension';
import { freshFixture, loyalApi, waitFor } from './harness';

type Reopened = { saved: boolean; timings: LoyalTimings };

/** Labels of a view as VS Code gets them: each top-level item, then its children. */
async function sidebarLabels<T>(view: vscode.TreeDataProvider<T>): Promise<string[]> {
  const out: string[] = [];
  for (const node of (await view.getChildren()) ?? []) {
    const item = await view.getTreeItem(node);
    out.push(`${String(item.label)} (${String(item.description ?? '')})`);
    if (item.collapsibleState) for (const child of (await view.getChildren(node)) ?? []) out.push(`  ${String((await view.getTreeItem(child)).label)}`);
  }
  return out;
}

async function allLabels(loyal: LoyalApi): Promise<Record<string, string[]>> {
  const { today, customers, notes, incidents } = loyal.views.sidebar;
  return { today: await sidebarLabels(today), customers: await sidebarLabels(customers), notes: await sidebarLabels(notes), incidents: await sidebarLabels(incidents) };
}

describe('the sidebar of the last window', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
    await waitFor('the book saved', () => loyal.session.store?.savedSignature !== undefined && loyal.session.valuesReady);
  });
  afterEach(async () => {
    await loyal.ready;
  });

  it('shows at once what the last window showed, then the live book with the same items', async () => {
    const live = await allLabels(loyal);
    assert.ok(live.customers.length >= 3 && live.today.length >= 2, 'the fixture fills the views');

    // What the views hold the moment the saved sidebar replaces them (before the book is read).
    let shown: Promise<Record<string, string[]>> | undefined;
    const listener = loyal.views.sidebar.today.onDidChangeTreeData(() => {
      if (!shown && loyal.views.sidebar.today.showingSnapshot) shown = allLabels(loyal);
    });
    let reopened: Reopened;
    try {
      reopened = (await vscode.commands.executeCommand<Reopened>('loyal.sidebar.reopen', { untilShown: true }))!;
    } finally {
      listener.dispose();
    }
    assert.equal(reopened.saved, true, 'the sidebar was saved');
    assert.equal(reopened.timings.fromSnapshot, true, 'the next window starts from it');
    assert.ok(shown, 'the saved sidebar was shown');
    assert.deepEqual(await shown, live, 'the saved sidebar lists exactly what the last window listed');
    assert.match(loyal.status.text, /1 due/, 'the status bar count comes with it');

    await loyal.ready;
    await waitFor('the live views', () => !loyal.views.sidebar.today.showingSnapshot);
    assert.deepEqual(await allLabels(loyal), live, 'the live book lists the same items');
  });

  it('offers no action on a saved item: nothing acts on a record before the book is read', async () => {
    await vscode.commands.executeCommand('loyal.sidebar.reopen');
    let items: vscode.TreeItem[] | undefined;
    const listener = loyal.views.sidebar.customers.onDidChangeTreeData(async () => {
      if (items || !loyal.views.sidebar.customers.showingSnapshot) return;
      const nodes = ((await loyal.views.sidebar.customers.getChildren()) ?? []).slice(0, 3);
      items = await Promise.all(nodes.map((node) => loyal.views.sidebar.customers.getTreeItem(node)));
    });
    try {
      await vscode.commands.executeCommand('loyal.sidebar.reopen', { untilShown: true });
    } finally {
      listener.dispose();
    }
    await waitFor('the saved customers', () => items);
    assert.ok(items!.length > 0);
    for (const item of items!) {
      assert.equal(item.command, undefined, `${String(item.label)} opens nothing`);
      assert.equal(item.contextValue, undefined, `${String(item.label)} has no context menu`);
    }
  });

  it('is not shown when the file changed since it was saved', async () => {
    const first = (await vscode.commands.executeCommand<Reopened>('loyal.sidebar.reopen'))!;
    assert.equal(first.saved, true);
    // Same content, new modification time: Loyal cannot tell the views would be the same.
    const path = loyal.session.store!.path;
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
    const second = (await vscode.commands.executeCommand<Reopened>('loyal.sidebar.reopen', { untilShown: true, save: false }))!;
    assert.notEqual(second.timings.fromSnapshot, true, 'a changed file is read before anything is shown');
    await loyal.ready;
    for (const view of [loyal.views.todayView, loyal.views.customersView, loyal.views.notesView, loyal.views.incidentsView]) {
      assert.equal(view.message, undefined, 'no "Reading the Loyal book…" left once the book is read');
    }
    assert.ok((await loyal.views.sidebar.customers.getChildren())?.length, 'the live views list the book');
  });
});
