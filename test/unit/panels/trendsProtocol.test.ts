import assert from 'node:assert/strict';
import { generateDemoBook } from '../../../src/domain/demo';
import { computeTrends } from '../../../src/domain/trends/compute';
import type { TrendReport } from '../../../src/domain/trends/types';
import { TrendsHostMessage, TrendsPageMessage } from '../../../src/panels/trendsProtocol';
import { bookOf, dayPlus, randomIncidents, releaseOf } from '../support/trendsBuilders';

// The trend review page draws only what passes these schemas, and the host acts only on
// what passes them: every report the domain makes must pass, and anything malformed must not.
function reportMessage(report: TrendReport): unknown {
  return {
    type: 'report',
    payload: {
      query: { preset: 'custom', from: report.from, to: report.to, bucket: report.bucket, filters: {} },
      report,
      choices: { components: [], staff: [], tags: [] },
      emptyBook: report.total === 0,
    },
  };
}

function refusal(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } } }, value: unknown): string {
  const result = schema.safeParse(value);
  assert.equal(result.success, false, `refused: ${JSON.stringify(value).slice(0, 200)}`);
  return result.error!.issues.map((i) => i.path.join('.')).join(' ');
}

describe('trend review protocol: host to page', () => {
  const demo = generateDemoBook({ customers: 500, incidents: 5000, seed: 3, today: '2026-06-01' });

  it('accepts every report the domain makes: a demo book, filters, an empty book, noise with releases', () => {
    const reports = [
      computeTrends(demo, { asOf: '2026-06-01', bucket: 'week' }),
      computeTrends(demo, { asOf: '2026-06-01', bucket: 'month', filters: { staff: ['Sam Carter'], tag: ['late delivery'] } }),
      computeTrends(demo, { from: '2026-05-30', asOf: '2026-06-01', bucket: 'week', filters: { component: ['nothing like this'] } }),
      computeTrends(bookOf({}), { asOf: '2026-06-01', bucket: 'month' }),
    ];
    for (let seed = 1; seed <= 10; seed++) {
      const incidents = randomIncidents({ seed, incidents: 50 * seed, staff: ['Ana', 'Ben'], components: ['app', 'site'], firstDay: '2026-01-01', days: 120 });
      reports.push(
        computeTrends(bookOf({ incidents, releases: [releaseOf('app', '1.0', '2026-02-01'), releaseOf('site', '2.0', dayPlus('2026-01-01', seed * 9))] }), {
          asOf: '2026-05-01',
          bucket: seed % 2 ? 'week' : 'month',
        }),
      );
    }
    for (const report of reports) {
      const parsed = TrendsHostMessage.safeParse(reportMessage(report));
      assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
      assert.deepEqual(parsed.data, reportMessage(report), 'nothing dropped or changed');
    }
    assert.ok(reports.some((r) => r.spikes.length > 0 || r.releases.some((x) => x.significant)) || reports.some((r) => r.releases.length > 0));
  });

  it('refuses a report that is missing a figure, has one too many, or the wrong kind of value', () => {
    const report = computeTrends(demo, { asOf: '2026-06-01', bucket: 'month' });
    assert.match(refusal(TrendsHostMessage, { type: 'report', payload: {} }), /payload/);
    const { outcomes, ...noOutcomes } = report;
    assert.ok(outcomes);
    assert.match(refusal(TrendsHostMessage, reportMessage(noOutcomes as TrendReport)), /payload\.report\.outcomes/);
    assert.match(refusal(TrendsHostMessage, reportMessage({ ...report, extra: '<img src=x onerror=alert(1)>' } as TrendReport)), /payload\.report/);
    assert.match(refusal(TrendsHostMessage, reportMessage({ ...report, total: -1 })), /payload\.report\.total/);
    assert.match(refusal(TrendsHostMessage, reportMessage({ ...report, topComplaints: [{ tag: 'late', count: '3' as unknown as number }] })), /topComplaints\.0\.count/);
    assert.match(refusal(TrendsHostMessage, reportMessage({ ...report, heatmapWeekdayHour: report.heatmapWeekdayHour.slice(1) })), /heatmapWeekdayHour/);
    assert.match(refusal(TrendsHostMessage, reportMessage({ ...report, outcomes: { ...report.outcomes, repeatFailureRate: Number.NaN } })), /repeatFailureRate/);
    refusal(TrendsHostMessage, { type: 'drillResult', result: { requestId: 1, total: 1, incidents: [{ id: 'inc_1', summary: 'no other field' }] } });
    refusal(TrendsHostMessage, { type: 'script', code: 'alert(1)' });
    refusal(TrendsHostMessage, 'report');
    refusal(TrendsHostMessage, null);
  });

  it('accepts the drill-down, error and test-hook messages the host sends', () => {
    for (const message of [
      {
        type: 'drillResult',
        result: {
          requestId: 4,
          total: 1,
          incidents: [{ id: 'inc_abcd', openedAt: '2026-03-02T09:15:00+01:00', customer: 'Ada', category: 'Product', summary: 'late', tags: ['late'], resolved: false }],
        },
      },
      { type: 'error', message: 'The data file cannot be read now.' },
      { type: 'applyQuery', query: { preset: 'all', bucket: 'week', filters: { staff: 'Ana' } } },
    ]) {
      assert.ok(TrendsHostMessage.safeParse(message).success, message.type);
    }
  });
});

describe('trend review protocol: page to host', () => {
  it('accepts what the page sends and refuses anything else', () => {
    const rendered = {
      firstPaintMs: 10,
      renderMs: 5,
      completeMs: 20,
      renderCount: 1,
      total: 3,
      query: { preset: 'year', bucket: 'month', filters: {} },
      tables: { topComplaints: { rows: 1, cells: [['late', '3']] } },
      charts: ['topComplaints', 'outcomes'],
    };
    for (const message of [
      { type: 'ready' },
      { type: 'query', query: { preset: 'custom', from: '2026-01-01', to: '2026-02-01', bucket: 'week', filters: { tag: 'late' } } },
      { type: 'drill', requestId: 0, selector: { hour: 9, staff: 'Ana', release: { component: 'app', date: '2026-02-01', side: 'after' } } },
      { type: 'openIncident', id: 'inc_abcd1234' },
      { type: 'export', format: 'csv' },
      { type: 'rendered', rendered },
      { type: 'refused', detail: 'payload: Invalid input' },
    ]) {
      assert.ok(TrendsPageMessage.safeParse(message).success, message.type);
    }
    refusal(TrendsPageMessage, { type: 'rendered', rendered: { ...rendered, charts: ['not-a-section'] } });
    refusal(TrendsPageMessage, { type: 'rendered', rendered: { ...rendered, tables: { notASection: { rows: 1, cells: [] } } } });
    refusal(TrendsPageMessage, { type: 'query', query: { preset: 'forever', bucket: 'day', filters: {} } });
    refusal(TrendsPageMessage, { type: 'openIncident', id: '../../etc/passwd' });
    refusal(TrendsPageMessage, { type: 'export', format: 'html' });
    refusal(TrendsPageMessage, { type: 'drill', requestId: 1, selector: { hour: 24 } });
    refusal(TrendsPageMessage, { type: 'ready', extra: true });
  });
});
