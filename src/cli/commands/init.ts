// `loyal init`: writes an empty data file; refuses when one exists.
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'create an empty data file',
  usage: 'init [--file PATH]',
  flags: () => ({}),
  async run(ctx) {
    const store = await ctx.openStore();
    if (store.state.kind !== 'missing') throw new RefusedError(`a data file already exists at ${ctx.filePath}`);
    await store.create();
    if (ctx.json) ctx.printJson({ file: ctx.filePath, created: true });
    else ctx.print(`Created ${ctx.filePath}`);
  },
};
