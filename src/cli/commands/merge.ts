// `loyal merge BASE OURS THEIRS`: the git merge driver, merging the data file record by
// record. Set it up with
//   git config merge.loyal.driver "loyal merge %O %A %B --path %P"
// and `loyal.json merge=loyal` in .gitattributes. Git reads only the exit code and OURS:
// the summary goes to stderr so it shows in the terminal running `git merge`.
import { resolve } from 'node:path';
import { mergeDriver } from '../../store/merge';
import { writeConflictBackups } from '../../store/backups';
import type { CliCommand } from '../command';
import { describeDataFileError } from '../report';

export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: 'git merge driver: merges the data file record by record (writes the result into OURS)',
  usage: 'merge BASE OURS THEIRS [--path P]',
  positionals: { min: 3, max: 3, names: 'BASE OURS THEIRS' },
  flags: () => ({
    path: { type: 'string', value: 'P', description: 'the data file in the work tree (git %P): losing versions are kept in its backup folder (default --file)' },
  }),
  async run(ctx) {
    const [basePath, oursPath, theirsPath] = ctx.positionals.map((p) => resolve(ctx.io.cwd, p));
    const dataPath = typeof ctx.values.path === 'string' && ctx.values.path.trim() ? resolve(ctx.io.cwd, ctx.values.path.trim()) : ctx.filePath;
    const result = await mergeDriver(basePath, oursPath, theirsPath);
    if (result.error) {
      ctx.io.stderr(`${describeDataFileError(result.error).join('\n')}\nloyal merge: ${dataPath}: not merged, left for git to report as a conflict\n`);
      if (ctx.json) ctx.printJson({ file: dataPath, merged: false, exitCode: result.exitCode, message: result.error.message });
      return result.exitCode;
    }
    const backups = await writeConflictBackups(dataPath, result.conflicts);
    const both = result.conflicts.length;
    ctx.io.stderr(
      both === 0
        ? `loyal merge: ${dataPath}: merged record by record, no conflicts\n`
        : `loyal merge: ${dataPath}: merged record by record; ${both} record${both === 1 ? '' : 's'} changed on both sides (the later change kept, the other saved in ${backups.length} backup file${backups.length === 1 ? '' : 's'} beside the data file)\n`,
    );
    if (ctx.json) ctx.printJson({ file: dataPath, merged: true, exitCode: result.exitCode, conflicts: result.conflicts.map(({ collection, id, reason }) => ({ collection, id, reason })), backups });
    return result.exitCode;
  },
};
