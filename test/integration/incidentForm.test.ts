import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors } from './harness';
import { fileJson, fileText, freshBook, only, type PanelHandle } from './panelHarness';

const ALICE = 'cus_alice0001';

function fullValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: ALICE,
    openedAt: '2026-03-02T09:15:00+01:00',
    channel: 'phone',
    category: 'timeliness',
    component: 'delivery',
    staff: 'Marie',
    severity: 'major',
    cause: 'preventable',
    summary: 'Parcel a week late',
    customerWords: 'I waited all week.',
    tags: ['late delivery', ' Late delivery ', 'damaged box'],
    acknowledgedAt: '2026-03-02T09:30:00+01:00',
    understoodAt: '',
    firstResponseAt: '2026-03-02T09:30:00+01:00',
    fairSolution: 'Refund the shipping',
    extraMile: 'A free box next time',
    extraMileCost: '12,50',
    resolutionNote: '',
    lessonsLearned: '',
    ...overrides,
  };
}

describe('Incident form', () => {
  beforeEach(async () => {
    await closeAllEditors();
    await freshBook();
  });
  after(closeAllEditors);

  it('opens for the customer it was asked for, with the time of opening filled in', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.openForm', { customerId: ALICE });
    assert.ok(panel, 'the command returned no panel');
    const init = only(await panel.receive({ type: 'ready' }), 'init');
    assert.equal(init.data!.values.customerId, ALICE);
    assert.equal(init.data!.customerName, 'Alice Martin');
    assert.ok(Date.parse(String(init.data!.values.openedAt)) > Date.now() - 60_000, 'opened at defaults to now');
    assert.ok(init.strings!['field.category'], 'the page gets its translated labels');
    assert.ok(init.strings!['categoryHint.timeliness'], 'each category has its one-line hint');
    // The shell carries no data: it all comes through init, as data.
    assert.doesNotMatch(panel.panel.webview.html, /Alice/);
    assert.match(panel.panel.webview.html, /default-src 'none'; script-src 'nonce-/);
  });

  it('refuses an empty category, a bad date and an unknown customer, and leaves the file byte-identical', async () => {
    const before = fileText();
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.openForm', { customerId: ALICE });
    const replies = await panel.receive({
      type: 'save',
      requestId: 'r1',
      values: fullValues({ category: '', openedAt: 'yesterday at noon', customerId: 'cus_nobody0000', extraMileCost: 'ten euros' }),
    });
    const invalid = only(replies, 'invalid');
    assert.equal(invalid.requestId, 'r1');
    assert.equal(invalid.errors!.category?.code, 'required');
    assert.equal(invalid.errors!.openedAt?.code, 'badDateTime');
    assert.equal(invalid.errors!.customerId?.code, 'unknownCustomer');
    assert.equal(invalid.errors!.extraMileCost?.code, 'badAmount');
    assert.ok(invalid.errors!.category!.message.length > 0, 'each error comes with a sentence to show');
    assert.equal(
      replies.some((r) => r.type === 'saved'),
      false,
    );
    assert.equal(fileText(), before);
  });

  it('refuses a recovery time before the incident was opened', async () => {
    const before = fileText();
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.openForm', { customerId: ALICE });
    const invalid = only(await panel.receive({ type: 'save', requestId: 'r2', values: fullValues({ acknowledgedAt: '2026-03-01T09:00:00+01:00' }) }), 'invalid');
    assert.equal(invalid.errors!.acknowledgedAt?.code, 'beforeOpened');
    assert.equal(fileText(), before);
  });

  it('refuses a forged message that does not fit the protocol, and changes nothing', async () => {
    const before = fileText();
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.openForm', { customerId: ALICE });
    const replies = await panel.receive({ type: 'save', requestId: 'r3', values: { ...fullValues(), tags: 'late delivery', reopenCount: 7 } });
    assert.deepEqual(replies, []);
    assert.deepEqual(await panel.receive({ type: 'deleteEverything' }), []);
    assert.equal(fileText(), before);
  });

  it('writes a valid new incident, then an edit changes only the fields sent', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.openForm', { customerId: ALICE });
    const replies = await panel.receive({ type: 'save', requestId: 'r4', values: fullValues() });
    const saved = only(replies, 'saved');
    const id = String(saved.id);
    assert.match(id, /^inc_/);
    const written = fileJson().incidents.find((i) => i.id === id);
    assert.ok(written, 'the incident is in the file on disk');
    assert.equal(written.customerId, ALICE);
    assert.equal(written.category, 'timeliness');
    assert.equal(written.severity, 'major');
    assert.equal(written.openedAt, '2026-03-02T09:15:00+01:00');
    assert.deepEqual(written.tags, ['late delivery', 'damaged box']);
    assert.equal(written.extraMileCost, '12.50', 'a decimal comma is read as such, not as thousands');
    assert.equal(written.understoodAt, undefined, 'an empty field is left out, not written as ""');
    assert.equal(written.resolvedAt, undefined, 'saving the form never resolves');
    // The same tab now edits the saved incident.
    assert.equal(panel.id, id);
    assert.deepEqual(
      replies.filter((r) => r.type === 'update').map((r) => r.data!.incidentId),
      [id],
      'one update, after the reply, for the saved incident',
    );

    only(await panel.receive({ type: 'save', requestId: 'r5', values: { summary: 'Parcel ten days late', component: '' } }), 'saved');
    const edited = fileJson().incidents.find((i) => i.id === id)!;
    assert.equal(edited.summary, 'Parcel ten days late');
    assert.equal(edited.component, undefined);
    assert.equal(edited.category, 'timeliness');
    assert.equal(edited.staff, 'Marie');
  });

  it('edits an existing incident from its id, one tab per incident', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.edit', 'inc_fix000001');
    const again = await vscode.commands.executeCommand<PanelHandle>('loyal.incident.edit', 'inc_fix000001');
    assert.equal(again, panel, 'the open tab is reused');
    const init = only(await panel.receive({ type: 'ready' }), 'init');
    assert.equal(init.data!.incidentId, 'inc_fix000001');
    const before = fileJson().incidents.find((i) => i.id === 'inc_fix000001')!;
    only(await panel.receive({ type: 'save', requestId: 'r6', values: { lessonsLearned: 'Check the courier before promising a date.' } }), 'saved');
    const after = fileJson().incidents.find((i) => i.id === 'inc_fix000001')!;
    assert.equal(after.lessonsLearned, 'Check the courier before promising a date.');
    assert.equal(after.summary, before.summary);
    assert.equal(after.openedAt, before.openedAt);
  });
});
