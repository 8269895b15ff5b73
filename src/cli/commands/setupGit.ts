// `loyal setup-git`: sets up team sharing of the data file through git in one step: the
// `merge=loyal` line in .gitattributes (staged, to commit) and this clone's merge driver,
// through a launcher in the clone's git folder that survives updates of Loyal.
import { realpathSync } from 'node:fs';
import { GitSetupError, setUpGitSharing } from '../../store/teamSharing';
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';

/** This command line's own script (dist/cli.js), as the launcher should run it. */
function ownScript(): string {
  const script = process.argv[1] ?? '';
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

export const setupGitCommand: CliCommand = {
  name: 'setup-git',
  summary: "share the data file through git: .gitattributes entry and this clone's record-by-record merge driver",
  usage: 'setup-git [--file PATH] [--json]',
  flags: () => ({}),
  async run(ctx) {
    let result;
    try {
      result = await setUpGitSharing(ctx.filePath, { cliPath: ownScript(), nodePath: process.execPath });
    } catch (error) {
      if (error instanceof GitSetupError) throw new RefusedError(error.message);
      throw error;
    }
    if (ctx.json) {
      ctx.printJson({
        file: ctx.filePath,
        repository: result.repository.root,
        attributeAdded: result.attributeAdded,
        gitattributes: result.gitattributes,
        launcher: result.launcher,
        driver: result.driver,
      });
      return;
    }
    ctx.print(
      [
        result.attributeAdded
          ? `Added "${result.attributeLine}" to ${result.gitattributes} (staged: commit it so every clone has it)`
          : `${result.gitattributes} already gives ${result.repository.dataFile} merge=loyal`,
        `This clone merges ${result.repository.dataFile} record by record (merge.loyal.driver runs ${result.launcher})`,
      ].join('\n'),
    );
  },
};
