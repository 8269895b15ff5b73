// `loyal export KIND`: the book's records as CSV on stdout, in the columns import reads.
import { EXPORT_KINDS, exportCsv, type ExportKind } from '../../domain/csv';
import type { CliCommand } from '../command';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write customers, purchases, incidents or follow-ups as CSV on stdout',
  usage: `export ${EXPORT_KINDS.join('|')} [--file PATH]`,
  subjects: EXPORT_KINDS,
  flags: () => ({}),
  async run(ctx) {
    const store = await ctx.openBook();
    ctx.io.stdout(exportCsv(ctx.subject as ExportKind, store.file));
  },
};
