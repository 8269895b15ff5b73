import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { parse } from 'parse5';
import { HOSTILE, activeParts, elements, textOf } from '../../support/htmlChecks';
import { computeTrends } from '../../../../src/domain/trends/compute';
import { trendsToMarkdown } from '../../../../src/domain/trends/render';
import { bookOf, dayPlus, incidentOf, instantAt, randomIncidents, releaseOf, seededRandom } from '../../support/trendsBuilders';

// A page Loyal writes outside any webview's Content Security Policy: the Markdown report,
// pasted into a pull request or an email. Whatever a customer or a teammate typed must come
// out as text. (The print cards page, the other one, is checked the same way in the real
// host: test/integration/security.test.ts.)
describe('Markdown report with hostile tags, staff members, components and versions', () => {
  const staff = HOSTILE.slice(0, 6);
  const incidents = randomIncidents({ seed: 3, incidents: 1500, staff, components: HOSTILE.slice(6), tags: HOSTILE, firstDay: '2026-01-05', days: 84 });
  // A burst at 17:00 for one of them, so the spikes table names a hostile staff member.
  const random = seededRandom(5);
  for (let i = 0; i < 60; i++) incidents.push(incidentOf({ openedAt: instantAt(dayPlus('2026-01-05', Math.floor(random() * 84)), 17, 5), staff: staff[1], component: HOSTILE[7], tags: [HOSTILE[0]] }));
  const releases = [releaseOf(HOSTILE[7].trim(), '1.0 | `x` <b>', '2026-02-10'), releaseOf(HOSTILE[9], '](javascript:alert(7))', '2026-03-01'), releaseOf(HOSTILE[8], '&#60;2.0&#62;', '2026-03-10')];
  const report = computeTrends(bookOf({ incidents, releases }), { asOf: '2026-03-31', bucket: 'week' });
  const markdown = trendsToMarkdown(report);
  // As GitHub or an email client would show it, raw HTML allowed and bare links linked.
  const rendered = parse(new MarkdownIt({ html: true, linkify: true }).render(markdown));

  it('names hostile text in every table it writes', () => {
    assert.ok(
      report.spikes.some((s) => s.staff === staff[1]),
      'a hostile staff member has a spike',
    );
    assert.ok(report.topComplaints.length === 5 && report.releases.length === 3);
  });

  it('runs nothing and links nothing once rendered', () => {
    assert.deepEqual(activeParts(rendered, 0), []);
  });

  it('keeps every table whole (a | in a name is no new column), each value shown as written', () => {
    const tables = elements(rendered).filter((e) => e.tagName === 'table');
    const rows = tables.flatMap((t) => elements(t).filter((e) => e.tagName === 'tr'));
    for (const table of tables) {
      const widths = new Set(
        elements(table)
          .filter((e) => e.tagName === 'tr')
          .map((tr) => elements(tr).filter((e) => e.tagName === 'td' || e.tagName === 'th').length),
      );
      assert.equal(widths.size, 1, 'every row of a table has as many cells as its header');
    }
    const cells = new Set(
      rows.flatMap((tr) =>
        elements(tr)
          .filter((e) => e.tagName === 'td')
          .map(textOf),
      ),
    );
    const shown = (text: string): string => text.replace(/\s+/g, ' ').trim();
    for (const row of report.topComplaints) assert.ok(cells.has(shown(row.tag)), `complaint ${JSON.stringify(row.tag)} shown as written`);
    for (const spike of report.spikes) assert.ok(cells.has(shown(spike.staff)), `staff ${JSON.stringify(spike.staff)}`);
    for (const release of report.releases) {
      assert.ok(cells.has(shown(release.component)), `component ${JSON.stringify(release.component)}`);
      assert.ok(cells.has(shown(release.version)), `version ${JSON.stringify(release.version)}`);
    }
  });
});
