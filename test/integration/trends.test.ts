// The trend review in a real host: it opens from its command, draws every section with the
// figures of the domain report, follows a filter, lists the incidents behind a bar, and
// exports Markdown and CSV with the rows the report has.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'csv-parse/sync';
import type { LoyalApi } from '../../src/extension';
import type { LoyalFile } from '../../src/domain/records';
import { computeTrends } from '../../src/domain/trends/compute';
import { today } from '../../src/domain/time';
import type { TrendsPanel, TrendsRenderTimings } from '../../src/panels/trendsPanel';
import { DEFAULT_TRENDS_QUERY, trendOptionsOf } from '../../src/panels/trendsPanel';
import type { HostToPage, TrendsQuery } from '../../src/panels/trendsModel';
import { BUSINESS_HOURS, bookOf, customerOf, dayPlus, randomIncidents, releaseOf } from '../unit/support/trendsBuilders';
import { activateLoyal, closeAllEditors, resetWorkspaceFile, testWorkspace, waitFor } from './harness';

const STAFF = ['Ann', 'Bob', 'Cleo', 'Dev'];

/** 800 incidents over the last 300 days, so the default range (last 12 months) holds them all. */
function fixtureBook(): LoyalFile {
  const asOf = today();
  const incidents = randomIncidents({
    seed: 42,
    incidents: 800,
    staff: STAFF,
    components: ['checkout', 'mobile app', 'delivery'],
    firstDay: dayPlus(asOf, -300),
    days: 300,
    hourWeights: BUSINESS_HOURS,
    customers: 60,
  });
  const customers = Array.from({ length: 60 }, (_, n) => customerOf({ id: `cus_${n.toString(36).padStart(4, '0')}`, name: `Customer ${n}` }));
  return bookOf({ customers, incidents, releases: [releaseOf('mobile app', '2.0', dayPlus(asOf, -100))] });
}

async function writeBook(loyal: LoyalApi, book: LoyalFile): Promise<void> {
  writeFileSync(join(testWorkspace(), 'loyal.json'), JSON.stringify(book, null, 2));
  await loyal.session.reload();
  await waitFor('the trends fixture book', () => loyal.session.state === 'ok' && loyal.session.file.incidents.length === book.incidents.length);
}

describe('the trend review', function () {
  this.timeout(120_000);
  let loyal: LoyalApi;
  let panel: TrendsPanel;
  let book: LoyalFile;
  const scratch = mkdtempSync(join(tmpdir(), 'loyal-trends-'));

  before(async () => {
    const extension = await activateLoyal<LoyalApi>();
    await extension.exports.ready;
    loyal = extension.exports;
    await closeAllEditors();
    book = fixtureBook();
    await writeBook(loyal, book);
    panel = (await vscode.commands.executeCommand<TrendsPanel>('loyal.trends.open'))!;
    assert.ok(panel, 'loyal.trends.open returns the panel it opened');
  });

  after(async () => {
    await closeAllEditors();
    rmSync(scratch, { recursive: true, force: true });
    resetWorkspaceFile('loyal.json');
    await loyal.session.reload();
  });

  it('opens from its command and draws every section with the report’s figures', async () => {
    const rendered = await panel.waitForRender(0);
    const expected = computeTrends(loyal.session.file, trendOptionsOf(DEFAULT_TRENDS_QUERY, today()));
    assert.equal(rendered.total, book.incidents.length, 'every incident is in the last 12 months');
    assert.equal(rendered.total, expected.total);

    const top = rendered.tables.topComplaints;
    assert.ok(top, 'the top complaints table is on the page');
    assert.deepEqual(
      top.cells.map(([tag, count]) => [tag, Number(count.replace(/\D/g, ''))]),
      expected.topComplaints.map((row) => [row.tag, row.count]),
    );
    assert.equal(top.rows, 5);
    assert.equal(rendered.tables.weekdayHour?.rows, 7, 'one row per weekday');
    assert.equal(rendered.tables.staffHour?.rows, STAFF.length, 'one row per staff member');
    assert.equal(rendered.tables.categoryOverTime?.rows, expected.series.buckets.length, 'one row per month');
    assert.equal(rendered.tables.releases?.rows, 1, 'the release is listed with its before and after rates');
    assert.equal(rendered.tables.scorecard?.rows, expected.scorecard.length);
    for (const chart of ['topComplaints', 'categoryOverTime', 'tagOverTime', 'weekdayHour', 'staffHour', 'components', 'scorecard'] as const) {
      assert.ok(rendered.charts.includes(chart), `${chart} is drawn as a chart`);
    }

    const timings = await vscode.commands.executeCommand<TrendsRenderTimings>('loyal.trends.lastRenderTimings');
    assert.ok(timings && timings.firstPaintMs > 0 && timings.incidents === book.incidents.length, 'the first paint is recorded for the bench');
  });

  it('follows a filter chosen on the page', async () => {
    const query: TrendsQuery = { preset: 'all', bucket: 'week', filters: { staff: 'Ann', tag: 'late delivery' } };
    const rendered = await panel.applyQuery(query);
    const expected = computeTrends(loyal.session.file, trendOptionsOf(query, today()));
    assert.ok(expected.total > 0 && expected.total < book.incidents.length);
    assert.equal(rendered.total, expected.total);
    assert.deepEqual(rendered.query.filters, query.filters);
    assert.equal(rendered.tables.staffHour?.rows, 1, 'only Ann is left');
    assert.deepEqual(rendered.tables.topComplaints?.cells[0]?.[0], 'late delivery');
    assert.equal(rendered.tables.categoryOverTime?.rows, expected.series.buckets.length, 'weekly rows');

    const back = await panel.applyQuery(DEFAULT_TRENDS_QUERY);
    assert.equal(back.total, book.incidents.length);
  });

  it('lists the incidents behind a bar, newest first', async () => {
    const expected = computeTrends(loyal.session.file, trendOptionsOf(panel.currentQuery, today()));
    const tag = expected.topComplaints[0].tag;
    const replies = (await panel.receive({ type: 'drill', requestId: 7, selector: { tag } })) as HostToPage[];
    const reply = replies.find((r) => r.type === 'drillResult');
    assert.ok(reply && reply.type === 'drillResult');
    assert.equal(reply.result.requestId, 7);
    assert.equal(reply.result.total, expected.topComplaints[0].count);
    const times = reply.result.incidents.map((i) => Date.parse(i.openedAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.ok(reply.result.incidents.every((i) => i.tags.some((t) => t.toLowerCase() === tag.toLowerCase())));
  });

  it('refuses a malformed message from the page and changes nothing', async () => {
    const before = panel.currentQuery;
    const replies = await panel.receive({ type: 'query', query: { preset: 'forever', bucket: 'day', filters: {} } });
    assert.deepEqual(replies, []);
    assert.deepEqual(panel.currentQuery, before);
  });

  it('exports Markdown with the top 5 rows and CSV with one row per entry', async () => {
    const report = computeTrends(loyal.session.file, trendOptionsOf(panel.currentQuery, today()));
    assert.match(panel.defaultExportName('markdown'), new RegExp(`^loyal-trends-${report.from}-${report.to}\\.md$`));

    const markdown = readFileSync(await panel.exportTo('markdown', join(scratch, 'trends.md')), 'utf8');
    assert.match(markdown, /^# Trend review: /);
    for (const row of report.topComplaints) assert.ok(markdown.includes(`| ${row.tag} | ${row.count} |`), `the Markdown lists ${row.tag}`);

    const top = parse(readFileSync(await panel.exportTo('csv', join(scratch, 'top.csv'), 'topComplaints'), 'utf8'), { bom: true, columns: true }) as Array<{ tag: string; count: string }>;
    assert.deepEqual(
      top.map((r) => [r.tag, Number(r.count)]),
      report.topComplaints.map((r) => [r.tag, r.count]),
    );
    const series = parse(readFileSync(await panel.exportTo('csv', join(scratch, 'series.csv'), 'series'), 'utf8'), { bom: true, columns: true }) as unknown[];
    assert.equal(series.length, report.series.buckets.length);
  });
});
