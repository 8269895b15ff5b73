// The Customers view: the value explained, CSV import all or nothing, user text as text.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { fixturesDir, freshFixture, loyalApi, resetWorkspaceFile } from './harness';

describe('the Customers view', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
  });

  it('explains each estimate in its tooltip: model, inputs and the formula with the numbers', async () => {
    const nodes = (await loyal.views.customers.getChildren()) ?? [];
    const alice = await loyal.views.customers.getTreeItem(nodes[0]);
    assert.equal(alice.label, 'Alice Martin');
    // What the person reads: the Markdown with its escapes removed.
    const tooltip = (alice.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(tooltip, /Subscription: monthly revenue x margin \/ monthly churn/);
    assert.match(tooltip, /240 x 1 x \(1 \+ 0\.01\) \/ \(0\.01 \+ 0\.03\)/, 'the formula with the numbers');
    assert.match(tooltip, /revenue, not profit/, 'says when the margin is 1');
    assert.match(String(alice.description), /LTV/);
  });

  it('shows a customer named like HTML as text', async () => {
    const nodes = (await loyal.views.customers.getChildren()) ?? [];
    const items = await Promise.all(nodes.map((n) => loyal.views.customers.getTreeItem(n)));
    const xss = items.find((i) => String(i.label).includes('onerror'))!;
    assert.equal(xss.label, '<img src=x onerror=alert(1)>', 'the label is the plain name');
    const tooltip = xss.tooltip as vscode.MarkdownString;
    assert.ok(!tooltip.supportHtml, 'the tooltip renders no HTML');
    assert.ok(tooltip.value.includes('\\<img src\\=x onerror\\=alert\\(1\\)\\>'), 'the name is escaped in Markdown');
  });

  it('imports nothing from a CSV with one bad row and names its line', async () => {
    const path = resetWorkspaceFile('loyal.json');
    const before = readFileSync(path, 'utf8');
    const result = await vscode.commands.executeCommand<{ imported: boolean; errors: Array<{ line: number; message: string }> }>('loyal.import', {
      kind: 'purchases',
      path: join(fixturesDir(), 'csv-editor', 'purchases-one-bad-row.csv'),
      confirm: true,
    });
    assert.equal(result?.imported, false);
    assert.deepEqual(result?.errors.map((e) => e.line), [3]);
    assert.equal(readFileSync(path, 'utf8'), before, 'the data file is byte-identical');
  });

  it('sorts by name and filters by tag from the title bar', async () => {
    loyal.views.customers.setSort('name');
    const names = await Promise.all(((await loyal.views.customers.getChildren()) ?? []).map(async (n) => String((await loyal.views.customers.getTreeItem(n)).label)));
    assert.deepEqual(names, ['<img src=x onerror=alert(1)>', 'Alice Martin', 'Bruno Esposito', 'Chloé Dubois']);
    loyal.views.customers.setFilter('#vip');
    const filtered = await Promise.all(((await loyal.views.customers.getChildren()) ?? []).map(async (n) => String((await loyal.views.customers.getTreeItem(n)).label)));
    assert.deepEqual(filtered, ['Alice Martin']);
    loyal.views.customers.setFilter('');
    loyal.views.customers.setSort('value');
  });
});
