// `loyal check`: validates the data file and says exactly where it is wrong (for CI and
// for hand edits). Exit 0 when the file is sound, 1 when it is broken or missing.
import { COLLECTION_NAMES } from '../../domain/records';
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';
import { describeDataFileError } from '../report';

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'validate the data file; say exactly where it is wrong',
  usage: 'check [--file PATH] [--json]',
  flags: () => ({}),
  async run(ctx) {
    const store = await ctx.openStore();
    const state = store.state;
    if (state.kind === 'missing') throw new RefusedError(`there is no data file at ${ctx.filePath}`);
    if (state.kind === 'broken') {
      const error = state.error;
      if (ctx.json) ctx.printJson({ file: ctx.filePath, ok: false, kind: error.kind, message: error.message, problems: error.problems });
      ctx.io.stderr(describeDataFileError(error).join('\n') + '\n');
      return 1;
    }
    const counts = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, store.file[name].length]));
    if (ctx.json) ctx.printJson({ file: ctx.filePath, ok: true, counts });
    else ctx.print(`${ctx.filePath}: ok (${COLLECTION_NAMES.map((name) => `${counts[name]} ${name}`).join(', ')})`);
  },
};
