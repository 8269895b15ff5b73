// `loyal check`: validates the data file and says exactly where it is wrong (for CI and
// for hand edits). Exit 0 when the file is sound, 1 when it is broken or missing. It
// also catches what a bad merge leaves that reading alone would not: a key twice in a
// record (only the last would be read). Duplicate ids, records in two versions and
// references to removed records are found by the store's own validation.
import { readFile, stat } from 'node:fs/promises';
import { COLLECTION_NAMES } from '../../domain/records';
import { DataFileError } from '../../store/errors';
import { findConflictedCopies } from '../../store/conflictedCopies';
import { duplicateKeyProblems } from '../../store/duplicateKeys';
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
    const twice = state.kind === 'ok' ? await duplicateKeysIn(ctx.filePath) : [];
    if (state.kind === 'broken' || twice.length) {
      const error =
        state.kind === 'broken'
          ? state.error
          : new DataFileError('schema', `${twice[0].path}: ${twice[0].message} (line ${twice[0].line})${twice.length > 1 ? ` and ${twice.length - 1} more` : ''}`, twice, ctx.filePath);
      if (ctx.json) ctx.printJson({ file: ctx.filePath, ok: false, kind: error.kind, message: error.message, problems: error.problems });
      ctx.io.stderr(describeDataFileError(error).join('\n') + '\n');
      return 1;
    }
    const counts = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, store.file[name].length]));
    // A synced folder's conflicted copy holds changes that are not in the file yet: say so
    // (the file itself is sound, so the exit code stays 0). VS Code's Loyal merges them.
    const copies = await findConflictedCopies(ctx.filePath);
    for (const copy of copies)
      ctx.io.stderr(
        `loyal check: ${copy.name} beside the file is a conflicted copy left by ${copy.tool}: its changes are not in the book until it is merged (Loyal: Merge Conflicted Copies from a Synced Folder)\n`,
      );
    if (ctx.json) ctx.printJson({ file: ctx.filePath, ok: true, counts, conflictedCopies: copies.map(({ name, tool }) => ({ name, tool })) });
    else ctx.print(`${ctx.filePath}: ok (${COLLECTION_NAMES.map((name) => `${counts[name]} ${name}`).join(', ')})`);
  },
};

/** Keys written twice in a record (skipped for a book too long to hold as one string). */
async function duplicateKeysIn(path: string): Promise<ReturnType<typeof duplicateKeyProblems>> {
  if ((await stat(path)).size > 256 * 1024 * 1024) return [];
  return duplicateKeyProblems(await readFile(path, 'utf8'));
}
