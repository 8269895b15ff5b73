// `loyal export KIND`: the book's records as CSV on stdout, in the columns import reads.
import { EXPORT_KINDS, exportCsv, exportRows, type ExportKind } from '../../domain/csv';
import type { CliCommand } from '../command';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write customers, purchases, incidents or follow-ups as CSV on stdout (--json: as JSON)',
  usage: `export ${EXPORT_KINDS.join('|')} [--file PATH] [--json]`,
  subjects: EXPORT_KINDS,
  flags: () => ({}),
  async run(ctx) {
    const store = await ctx.openBook();
    const kind = ctx.subject as ExportKind;
    if (ctx.json) ctx.printJson(exportRows(kind, store.file));
    else ctx.io.stdout(exportCsv(kind, store.file));
  },
};
