import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors } from './harness';
import { fileJson, fileText, freshBook, only, type PanelHandle } from './panelHarness';

const ALICE = 'cus_alice0001';
const XSS = 'cus_xss000004';

describe('Customer page', () => {
  beforeEach(async () => {
    await closeAllEditors();
    await freshBook();
  });
  after(closeAllEditors);

  it('opens for a customer and shows them, one tab per customer', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    assert.ok(panel, 'the command returned no panel');
    assert.equal(panel.panel.title, 'Alice Martin');
    const again = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    assert.equal(again, panel);
    const init = only(await panel.receive({ type: 'ready' }), 'init');
    const data = init.data! as { values: { name: string }; timeline: Record<string, unknown[]>; flags: Record<string, unknown> };
    assert.equal(data.values.name, 'Alice Martin');
    for (const section of ['purchases', 'subscriptions', 'incidents', 'followUps', 'notes', 'contacts']) assert.ok(Array.isArray(data.timeline[section]), section);
    assert.ok(init.strings!['empty.contacts'], 'every timeline section has an empty state');
  });

  it('writes an edit made on the page to the file, only the fields changed', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    const before = fileJson().customers.find((c) => c.id === ALICE)!;
    const replies = await panel.receive({ type: 'saveCustomer', requestId: 'c1', values: { phone: '+39 06 1234 5678', tags: ['vip', 'VIP ', 'wholesale'], keepInTouchDays: '30' } });
    only(replies, 'saved');
    const after = fileJson().customers.find((c) => c.id === ALICE)!;
    assert.equal(after.phone, '+39 06 1234 5678');
    assert.deepEqual(after.tags, ['vip', 'wholesale']);
    assert.equal(after.keepInTouchDays, 30);
    assert.equal(after.name, before.name);
    assert.equal(after.email, before.email);
    assert.equal(only(replies, 'update').data!.values.phone, '+39 06 1234 5678');
  });

  it('refuses invalid details with messages per field and writes nothing', async () => {
    const before = fileText();
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    const invalid = only(await panel.receive({ type: 'saveCustomer', requestId: 'c2', values: { name: '   ', email: 'alice-at-example', keepInTouchDays: '0', referredBy: ALICE } }), 'invalid');
    assert.equal(invalid.errors!.name?.code, 'required');
    assert.equal(invalid.errors!.email?.code, 'badEmail');
    assert.equal(invalid.errors!.keepInTouchDays?.code, 'badNumber');
    assert.equal(invalid.errors!.referredBy?.code, 'selfReference');
    assert.equal(fileText(), before);
  });

  it('records a purchase from the page', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    const before = fileText();
    only(await panel.receive({ type: 'recordPurchase', requestId: 'p1', values: { amount: '', date: '2026-02-30', note: '' } }), 'invalid');
    assert.equal(fileText(), before, 'a bad purchase writes nothing');
    const replies = await panel.receive({ type: 'recordPurchase', requestId: 'p2', values: { amount: '129,90', date: '2026-03-01', note: 'from the page' } });
    only(replies, 'saved');
    const purchase = fileJson().purchases.find((p) => p.customerId === ALICE && p.note === 'from the page');
    assert.ok(purchase, 'the purchase is in the file');
    assert.equal(purchase.amount, '129.90');
    assert.equal(purchase.date, '2026-03-01');
    const update = only(replies, 'update').data as unknown as { timeline: { purchases: Array<{ detail?: string }> } };
    assert.ok(
      update.timeline.purchases.some((p) => p.detail === 'from the page'),
      'the timeline shows it at once',
    );
  });

  it('passes a name that looks like HTML as data, never as markup', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', XSS);
    const init = only(await panel.receive({ type: 'ready' }), 'init');
    assert.equal(init.data!.values.name, '<img src=x onerror=alert(1)>');
    assert.doesNotMatch(panel.panel.webview.html, /onerror/);
    assert.doesNotMatch(panel.panel.webview.html, /<style|style=/, 'no inline style in the shell');
    assert.equal((panel.panel.webview.html.match(/<script/g) ?? []).length, 1, 'one script, by nonce');
  });

  it('refuses a forged message and changes nothing', async () => {
    const before = fileText();
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', ALICE);
    assert.deepEqual(await panel.receive({ type: 'saveCustomer', requestId: 'c3', values: { archived: true } }), []);
    assert.deepEqual(await panel.receive({ type: 'action', action: 'deleteCustomer' }), []);
    assert.equal(fileText(), before);
  });
});
