import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { TREND_CSV_SECTIONS, trendsToCsv, trendsToMarkdown } from '../../../../src/domain/trends/render';
import { computeTrends } from '../../../../src/domain/trends/compute';
import { bookOf, customerOf, incidentOf, purchaseOf, releaseOf } from '../../support/trendsBuilders';

const customer = customerOf({ createdAt: '2026-03-01T10:00:00+01:00' });
const book = bookOf({
  customers: [customer],
  purchases: [purchaseOf({ customerId: customer.id, date: '2026-03-03' })],
  incidents: [
    incidentOf({ customerId: customer.id, openedAt: '2026-03-02T09:15:00+01:00', tags: ['late | delivery'], staff: 'Ana', component: 'billing', channel: 'phone' }),
    incidentOf({ customerId: customer.id, openedAt: '2026-03-03T10:15:00+01:00', tags: ['=HYPERLINK("http://x")', '<b>bold</b>'], staff: 'Ben', component: 'billing' }),
    incidentOf({ customerId: customer.id, openedAt: '2026-03-04T10:15:00+01:00', tags: ['late | delivery'], resolvedAt: '2026-03-05T10:15:00+01:00' }),
  ],
  releases: [releaseOf('billing', '1.4.0', '2026-03-03')],
});
const report = computeTrends(book, { from: '2026-03-01', asOf: '2026-03-31', bucket: 'week' });

describe('trend report as Markdown and CSV', () => {
  it('writes a Markdown report with the range, top complaints, releases, outcomes and scorecard', () => {
    const markdown = trendsToMarkdown(report);
    assert.match(markdown, /^# Trend review: 2026-03-01 to 2026-03-31$/m);
    assert.match(markdown, /^## Top 5 complaints$/m);
    // A pipe in a tag must not split the table row.
    assert.match(markdown, /^\| late \\\| delivery \| 2 \|$/m);
    assert.match(markdown, /^\| billing \| 1\.4\.0 \| 2026-03-03 \| .* \| no \|$/m);
    assert.match(markdown, /^\| Resolved \| 1 \|$/m);
    assert.match(markdown, /^\| 2026-03 \| 2 \| 1 \| 0 \| 0 \| 0% \| 0 \| – \|$/m);
    assert.match(markdown, /No hour and staff member stands out\./);
    assert.doesNotMatch(markdown, /<b>/);
    assert.ok(markdown.includes('&lt;b&gt;bold&lt;/b&gt;'));
  });

  it('uses the labels it is given, so the extension can pass translated ones', () => {
    const markdown = trendsToMarkdown(report, { title: 'Revue des tendances', range: 'du {from} au {to}', topComplaints: 'Les 5 plaintes principales', categories: { product: 'Produit' } });
    assert.match(markdown, /^# Revue des tendances: du 2026-03-01 au 2026-03-31$/m);
    assert.match(markdown, /^## Les 5 plaintes principales$/m);
    assert.match(markdown, /^\| Produit \| 3 \|$/m);
    assert.match(markdown, /^\| People \| 0 \|$/m);
  });

  it('writes every section as CSV that reads back with the same columns and values', () => {
    for (const section of TREND_CSV_SECTIONS) {
      const rows = parse(trendsToCsv(report, section), { columns: true }) as Array<Record<string, string>>;
      assert.ok(Array.isArray(rows), section);
    }
    const top = parse(trendsToCsv(report, 'topComplaints'), { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(top[0], { tag: 'late | delivery', count: '2' });
    const releases = parse(trendsToCsv(report, 'releases'), { columns: true }) as Array<Record<string, string>>;
    assert.equal(releases[0].component, 'billing');
    assert.equal(releases[0].significant, 'false');
    const heat = parse(trendsToCsv(report, 'heatmapWeekdayHour'), { columns: true }) as Array<Record<string, string>>;
    assert.equal(heat.length, 7);
    assert.equal(heat[0].weekday, 'Monday');
    assert.equal(heat[0]['9'], '1');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    const csv = trendsToCsv(report, 'topComplaints');
    assert.match(csv, /'=HYPERLINK/);
    assert.ok(csv.includes('\r\n'));
  });
});
