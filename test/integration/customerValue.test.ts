// The customer page and the Customers tooltip: the chance of buying again in the next 12
// months, why the plain rule is used, and how the model did on the book's own past.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor } from './harness';
import { freshBook, only, type PanelHandle } from './panelHarness';
import type { LoyalApi } from '../../src/extension';

const BRUNO = 'cus_bruno0002';

interface ValueData {
  ltv: string;
  model: string;
  pPurchase12m?: string;
  pAlive?: string;
  explanation: string[];
}

async function pageValue(panel: PanelHandle): Promise<{ value?: ValueData; strings: Record<string, string> }> {
  const init = only(await panel.receive({ type: 'ready' }), 'init');
  return { value: (init.data as { value?: ValueData }).value, strings: init.strings ?? {} };
}

describe('Customer value: chance of buying again and the back-test', () => {
  let api: LoyalApi;
  beforeEach(async () => {
    await closeAllEditors();
    api = await freshBook();
  });
  after(closeAllEditors);

  it('shows the chance of buying again, not a probability still active, and says why the plain rule is used', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', BRUNO);
    const { value, strings } = await waitFor('an estimate', async () => {
      const page = await pageValue(panel);
      return page.value?.pPurchase12m ? page : undefined;
    });
    assert.equal(strings['value.pPurchase12m'], 'Chance of buying again in the next 12 months');
    assert.match(value!.pPurchase12m!, /^\d{1,3}\s?%$/);
    assert.equal(value!.pAlive, undefined, 'no "probability still active" for a one-time buyer');
    assert.ok(
      value!.explanation.some((l) => l.includes('nobody has bought twice yet')),
      value!.explanation.join('\n'),
    );

    const nodes = (await api.views.customers.getChildren()) ?? [];
    const items = await Promise.all(nodes.map((n) => api.views.customers.getTreeItem(n)));
    const bruno = items.find((i) => i.label === 'Bruno Esposito')!;
    const tooltip = (bruno.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(tooltip, /Chance of buying again in the next 12 months: \d+%/);
    assert.doesNotMatch(tooltip, /Probability still active/);
  });

  it('fits BG/NBD once someone bought twice and shows how the model did a year ago', async () => {
    const panel = await vscode.commands.executeCommand<PanelHandle>('loyal.customer.open', BRUNO);
    const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    // Bruno bought on 2025-02-11 (fixture); again 400 days ago and 30 days ago.
    only(await panel.receive({ type: 'recordPurchase', requestId: 'v1', values: { amount: '40.00', date: day(-400), note: '' } }), 'saved');
    only(await panel.receive({ type: 'recordPurchase', requestId: 'v2', values: { amount: '55.00', date: day(-30), note: '' } }), 'saved');
    const value = await waitFor(
      'the estimate with a back-test',
      async () => {
        const v = (await pageValue(panel)).value;
        // Both purchases are in once the back-test sees what was paid since (the second one).
        return v?.explanation.some((l) => l.startsWith('How the model did') && l.includes('they paid')) ? v : undefined;
      },
      20_000,
    );
    // Bruno also subscribes: the purchase part of his value is now the fitted model.
    assert.ok(value.explanation.includes('BG/NBD and Gamma-Gamma, fitted on the whole book'), value.explanation.join('\n'));
    assert.ok(value.pPurchase12m, 'the chance of buying again');
    const line = value.explanation.find((l) => l.startsWith('How the model did'))!;
    assert.match(line, /fitted on the book as of \d{4}-\d{2}-\d{2}, it expected .+ from the customers known then; they paid .*55[.,]00.* \(\d+% too (high|low)\)/);
  });
});
