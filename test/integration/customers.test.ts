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

  it('explains each estimate in its tooltip in words: model, inputs and the result in rounded money', async () => {
    const nodes = (await loyal.views.customers.getChildren()) ?? [];
    const alice = await loyal.views.customers.getTreeItem(nodes[0]);
    assert.equal(alice.label, 'Alice Martin');
    // What the person reads: the Markdown with its escapes removed.
    const tooltip = (alice.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(tooltip, /Subscription: monthly revenue x margin \/ monthly churn/);
    assert.match(
      tooltip,
      /€240 a month at a margin of 100%, for as long as the customer stays \(3% of subscribers leave each month\), later months discounted by 1% a month: about €6,060/,
      'the formula in words',
    );
    assert.doesNotMatch(tooltip, /\d x \d|0\.01|6060\.00|€6,060\.00/, 'no raw arithmetic, money rounded');
    assert.match(tooltip, /revenue, not profit/, 'says when the margin is 1');
    assert.match(String(alice.description), /LTV/);
  });

  it('explains a subscriber who also buys part by part, each in words', async () => {
    await loyal.session.store!.update((tx) => tx.insert('purchases', { customerId: 'cus_alice0001', date: '2025-01-10', amount: '45.00', currency: 'EUR' }));
    await loyal.session.settled();
    const nodes = (await loyal.views.customers.getChildren()) ?? [];
    const items = await Promise.all(nodes.map((n) => loyal.views.customers.getTreeItem(n)));
    const alice = items.find((i) => i.label === 'Alice Martin')!;
    const tooltip = (alice.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(tooltip, /part 1 €[\d,]+ \+ part 2 €[\d,]+: about €[\d,]+/, 'the parts added up in words');
    assert.match(tooltip, /€240 a month at a margin of 100%/, 'the subscription part in words');
    assert.doesNotMatch(tooltip, /a month at a margin of ,|\( of subscribers/, 'no blank figures');
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
    assert.deepEqual(
      result?.errors.map((e) => e.line),
      [3],
    );
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
