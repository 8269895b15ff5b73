// The import page in a real host: a Shopify export is recognised, its problem row named
// with its line, nothing written until the import; after it, the customers are in the
// Customers view, and a second import of the same file changes nothing. Any other CSV goes
// through the column mapping, which is remembered for the next file with the same header.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import type { ImportHostMessage, ImportPanel, ImportView } from '../../src/panels/importPanel';
import { emptyFile, type LoyalFile } from '../../src/domain/records';
import { activateLoyal, closeAllEditors, fixturesDir, resetWorkspaceFile, testWorkspace, treeLabels, waitFor } from './harness';

function viewOf(replies: ImportHostMessage[]): ImportView {
  const last = [...replies].reverse().find((m) => m.type === 'view' || m.type === 'init');
  assert.ok(last && (last.type === 'view' || last.type === 'init') && last.view, `a view in ${JSON.stringify(replies.map((r) => r.type))}`);
  return (last as { view: ImportView }).view;
}

const book = (): LoyalFile => JSON.parse(readFileSync(join(testWorkspace(), 'loyal.json'), 'utf8')) as LoyalFile;

describe('the import page', function () {
  this.timeout(120_000);
  let loyal: LoyalApi;

  before(async () => {
    const extension = await activateLoyal<LoyalApi>();
    await extension.exports.ready;
    loyal = extension.exports;
  });
  beforeEach(async () => {
    writeFileSync(join(testWorkspace(), 'loyal.json'), JSON.stringify(emptyFile(), null, 2));
    await loyal.session.reload();
    await waitFor('an empty book', () => loyal.session.state === 'ok' && loyal.session.file.customers.length === 0);
  });
  after(async () => {
    await closeAllEditors();
    resetWorkspaceFile('loyal.json');
    await loyal.session.reload();
  });

  it('opens from the command without a file, and from the welcome view when there is no data file yet', async () => {
    await closeAllEditors();
    const empty = (await vscode.commands.executeCommand<ImportPanel>('loyal.import'))!;
    assert.ok(empty, 'the command opens the page');
    const [init] = await empty.receive({ type: 'ready' });
    assert.ok(init.type === 'init' && init.view === undefined && init.strings.choose, 'no file chosen yet; the page has its words');
    await closeAllEditors();

    // The welcome view's "Import a CSV" runs the same command while there is no book.
    rmSync(join(testWorkspace(), 'loyal.json'));
    await loyal.session.reload();
    await waitFor('no data file', () => loyal.session.state === 'missing');
    const panel = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path: join(fixturesDir(), 'imports', 'shopify-customers.csv') }))!;
    const view = viewOf(await panel.receive({ type: 'ready' }));
    assert.equal(view.source, 'shopify-customers');
    assert.equal(view.summary.created, 80);
    assert.ok(!existsSync(join(testWorkspace(), 'loyal.json')), 'opening the page creates nothing');
    assert.ok((await panel.receive({ type: 'import' })).some((m) => m.type === 'imported'));
    await waitFor('the new book', () => loyal.session.state === 'ok' && loyal.session.file.customers.length === 80);
    assert.equal(book().customers.length, 80, 'importing created the data file with the customers');
    await closeAllEditors();
  });

  it('imports a Shopify export through the page, and the customers are in the view', async () => {
    const path = join(fixturesDir(), 'imports', 'shopify-orders.csv');
    const panel = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path }))!;
    assert.ok(panel, 'loyal.import opens the import page');
    let view = viewOf(await panel.receive({ type: 'ready' }));
    assert.equal(view.source, 'shopify-orders');
    assert.equal(view.fileName, 'shopify-orders.csv');
    assert.equal(view.canImport, false, 'one row is wrong: the import is refused');
    assert.equal(view.errors.length, 1);
    assert.equal(view.errors[0].line, 394);
    assert.match(view.errors[0].message, /#1151 has no customer email/);
    assert.deepEqual(view.skippable, { 'no-customer': 1 });
    assert.equal(book().customers.length, 0, 'nothing written while previewing');

    view = viewOf(await panel.receive({ type: 'options', skip: ['no-customer'] }));
    assert.equal(view.canImport, true);
    assert.equal(view.summary.purchases, 119);
    assert.equal(view.preview[0].values.key, 'shopify:#1001');
    assert.equal(view.preview[0].status, 'new');

    const replies = await panel.receive({ type: 'import' });
    const imported = replies.find((m) => m.type === 'imported');
    assert.ok(imported && imported.type === 'imported', `imported in ${JSON.stringify(replies.map((r) => r.type))}`);
    assert.equal(imported.summary.purchases, 119);
    const customers = imported.summary.created;
    await waitFor('the customers in the book', () => loyal.session.file.customers.length === customers);
    const labels = await treeLabels(loyal.views.customers);
    assert.equal(labels.length, customers, 'one row per imported customer in the Customers view');
    const first = book().customers.find((c) => c.email && book().purchases.some((p) => p.customerId === c.id && p.externalId === 'shopify:#1001'))!;
    assert.ok(labels.includes(first.name), `${first.name} (order #1001) is in the view`);

    const before = readFileSync(join(testWorkspace(), 'loyal.json'), 'utf8');
    const again = (await panel.receive({ type: 'import' })).find((m) => m.type === 'imported');
    assert.ok(again && again.type === 'imported');
    assert.deepEqual([again.summary.created, again.summary.purchases], [0, 0]);
    assert.equal(readFileSync(join(testWorkspace(), 'loyal.json'), 'utf8'), before, 'a second import of the same file changes nothing');
  });

  it('maps the columns of a French spreadsheet and remembers the mapping for that header', async () => {
    const path = join(fixturesDir(), 'imports', 'ventes-boutique-fr.csv');
    const panel = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path }))!;
    let view = viewOf(await panel.receive({ type: 'ready' }));
    assert.equal(view.source, undefined);
    assert.equal(view.canImport, false);
    assert.deepEqual(view.dateFormats, ['DD/MM/YYYY']);
    const mapping = { kind: 'purchases' as const, mapping: view.guesses!.purchases, dateFormat: 'DD/MM/YYYY' as const, decimal: 'comma' as const };
    assert.equal(mapping.mapping.amount, 'Montant TTC');
    view = viewOf(await panel.receive({ type: 'options', mapping }));
    assert.equal(view.source, 'mapped');
    assert.deepEqual(view.errors, []);
    assert.equal(view.summary.purchases, 300);
    assert.ok((await panel.receive({ type: 'import' })).some((m) => m.type === 'imported'));
    assert.equal(book().purchases.length, 300);

    await panel.load(path);
    view = viewOf(await panel.receive({ type: 'ready' }));
    assert.deepEqual(view.mapping, mapping, 'the same header gets the mapping chosen before');
    assert.equal(view.summary.unchanged, 300, 'and finds every row already imported');
  });

  it('Zendesk tickets: tags to categories as confirmed on the page, remembered for the next import', async () => {
    const path = join(fixturesDir(), 'imports', 'zendesk-tickets.csv');
    const panel = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path }))!;
    let view = viewOf(await panel.receive({ type: 'ready' }));
    assert.equal(view.source, 'zendesk');
    assert.equal(view.categories['late delivery'], 'timeliness', 'Loyal offers its guess');
    view = viewOf(await panel.receive({ type: 'options', categories: { vip: 'people', 'late delivery': 'process' } }));
    assert.ok(view.preview.every((r) => (r.values.tags.split('; ')[0] === 'late delivery' ? r.values.category === 'process' : true)));
    assert.ok((await panel.receive({ type: 'import' })).some((m) => m.type === 'imported'));
    assert.ok(
      book()
        .incidents.filter((i) => i.tags[0] === 'late delivery')
        .every((i) => i.category === 'process'),
    );
    await closeAllEditors();
    const next = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path }))!;
    view = viewOf(await next.receive({ type: 'ready' }));
    assert.equal(view.categories.vip, 'people', 'the choices made before are remembered in the workspace');
    assert.equal(view.summary.incidents, 0, 'and the tickets already imported are not added again');
  });

  it('imports Loyal’s own format through the page as before, creating unknown customers', async () => {
    const path = join(testWorkspace(), 'own-purchases.csv');
    writeFileSync(path, 'customer_id,date,amount,currency,note,name\r\nA1,2026-01-05,12.50,EUR,"gift,\r\nwrapped",Ann\r\nA1,2026-01-09,-2.50,EUR,refund,Ann\r\n');
    try {
      const panel = (await vscode.commands.executeCommand<ImportPanel>('loyal.import', { path }))!;
      const view = viewOf(await panel.receive({ type: 'ready' }));
      assert.equal(view.loyal, true);
      assert.equal(view.canImport, true);
      assert.deepEqual([view.summary.created, view.summary.purchases], [1, 2]);
      assert.deepEqual(
        view.preview.map((r) => r.line),
        [2, 4],
        'the second row starts after the quoted newline',
      );
      assert.ok((await panel.receive({ type: 'import' })).some((m) => m.type === 'imported'));
      assert.deepEqual(
        book()
          .purchases.map((p) => p.amount)
          .sort(),
        ['-2.50', '12.50'],
      );
    } finally {
      rmSync(path, { force: true });
    }
  });
});
