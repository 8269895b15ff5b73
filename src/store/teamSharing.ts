// Team sharing through git, set up in one step (`loyal setup-git`, "Loyal: Set Up Team
// Sharing"): the data file's `merge=loyal` attribute in .gitattributes (committed, so
// every clone has it) and, in this clone's git config, the record-by-record merge driver.
// The driver runs a launcher kept in the clone's git folder rather than a path into the
// installed extension, which changes with every update: the launcher runs the Loyal
// command line it was given if it is still there, else the newest installed Loyal.
// Plain Node: shared by the CLI and the extension (which calls it only in trusted
// workspaces, since running git in a repository can run that repository's hooks).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export const DRIVER_NAME = 'Loyal record-by-record merge';

export class GitSetupError extends Error {}

interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runGit(cwd: string, args: string[]): Promise<GitRun> {
  return new Promise((done) => {
    execFile('git', args, { cwd, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      if (error && code === -1) done({ code, stdout: '', stderr: (error as Error).message });
      else done({ code, stdout, stderr });
    });
  });
}

async function git(cwd: string, args: string[]): Promise<string> {
  const run = await runGit(cwd, args);
  if (run.code !== 0) throw new GitSetupError(`git ${args[0]} failed: ${run.stderr.trim() || `exit code ${run.code}`}`);
  return run.stdout;
}

export interface Repository {
  /** The work tree's top folder. */
  root: string;
  /** The git folder shared by the clone's work trees (where the launcher goes). */
  commonDir: string;
  /** The data file's path from the root, with forward slashes (as .gitattributes writes it). */
  dataFile: string;
}

/** The git repository holding the data file, or undefined when it is in none (or git is missing). */
export async function findRepository(dataFilePath: string): Promise<Repository | undefined> {
  const folder = dirname(resolve(dataFilePath));
  if (!existsSync(folder)) return undefined;
  const run = await runGit(folder, ['rev-parse', '--show-toplevel', '--git-common-dir']);
  if (run.code !== 0) return undefined;
  const [root, common] = run.stdout.split('\n').map((line) => line.trim());
  if (!root || !common) return undefined;
  const commonDir = isAbsolute(common) ? common : resolve(folder, common);
  const dataFile = relative(root, resolve(dataFilePath)).split(sep).join('/');
  if (dataFile.startsWith('../')) return undefined;
  return { root, commonDir, dataFile };
}

export interface SharingStatus {
  repository: Repository;
  /** True when git's attributes give the data file `merge=loyal`. */
  attribute: boolean;
  /** The clone's merge.loyal.driver, if any. */
  driver?: string;
  /** The launcher in the clone's git folder, if it is there. */
  launcher?: string;
}

export function launcherPath(repository: Repository): string {
  return join(repository.commonDir, 'loyal', 'merge-driver.sh');
}

export async function sharingStatus(dataFilePath: string): Promise<SharingStatus | undefined> {
  const repository = await findRepository(dataFilePath);
  if (!repository) return undefined;
  const attribute = await runGit(repository.root, ['check-attr', 'merge', '--', repository.dataFile]);
  const driver = await runGit(repository.root, ['config', '--get', 'merge.loyal.driver']);
  const launcher = launcherPath(repository);
  return {
    repository,
    attribute: attribute.code === 0 && /: merge: loyal\s*$/.test(attribute.stdout),
    ...(driver.code === 0 && driver.stdout.trim() ? { driver: driver.stdout.trim() } : {}),
    ...(existsSync(launcher) ? { launcher } : {}),
  };
}

/** Where the Loyal command line is, and the program that runs it. */
export interface LoyalCli {
  /** dist/cli.js of the installed extension or of a clone of Loyal. */
  cliPath: string;
  /** A Node.js (or an Electron binary, run with ELECTRON_RUN_AS_NODE=1). */
  nodePath: string;
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
const slashes = (path: string): string => path.split(sep).join('/');

/** Extension folders of VS Code and its forks, searched when the recorded CLI is gone. */
const EXTENSION_FOLDERS = ['.vscode', '.vscode-insiders', '.vscode-oss', '.vscode-server', '.vscode-server-insiders', '.cursor', '.cursor-server', '.windsurf', '.local/share/code-server'];

export function launcherText(cli: LoyalCli): string {
  const globs = EXTENSION_FOLDERS.map((folder) => `"$HOME"/${folder}/extensions/loyal-crm.loyal-*/dist/cli.js`).join(' \\\n    ');
  return `#!/bin/sh
# Loyal's git merge driver for this clone, written by \`loyal setup-git\` or
# "Loyal: Set Up Team Sharing". git runs it as: sh <this file> %O %A %B %P
# It runs the Loyal command line below while it is there, else the newest installed
# Loyal extension (an update moves the extension to a new folder).
cli=${shellQuote(slashes(cli.cliPath))}
node=${shellQuote(slashes(cli.nodePath))}
if [ ! -f "$cli" ]; then
  cli=$(ls -td ${globs} 2>/dev/null | head -n 1)
fi
if [ -z "$cli" ] || [ ! -f "$cli" ]; then
  echo "loyal merge: Loyal's command line is not installed here; run 'Loyal: Set Up Team Sharing' again" >&2
  exit 2
fi
if [ ! -x "$node" ]; then
  # Gone with an update (a VS Code server keeps its Node in a folder per version).
  node=$(command -v node 2>/dev/null || ls -td "$HOME"/.vscode-server/cli/servers/*/server/node "$HOME"/.vscode-server/bin/*/node 2>/dev/null | head -n 1)
fi
if [ -z "$node" ] || [ ! -x "$node" ]; then
  echo "loyal merge: no Node.js found to run $cli" >&2
  exit 2
fi
# An editor's own binary runs as Node with ELECTRON_RUN_AS_NODE; Node itself ignores it.
ELECTRON_RUN_AS_NODE=1 exec "$node" "$cli" merge "$1" "$2" "$3" --path "$4"
`;
}

export function driverCommand(launcher: string): string {
  return `sh "${slashes(launcher)}" %O %A %B %P`;
}

export interface SetupResult {
  repository: Repository;
  /** True when the .gitattributes line was added now (false: it was there). */
  attributeAdded: boolean;
  /** The line added, when it was. */
  attributeLine?: string;
  gitattributes: string;
  launcher: string;
  driver: string;
}

/**
 * Sets up sharing for the data file's clone: the attribute (staged, for the next commit),
 * the launcher and the driver. Running it again changes nothing that is already right.
 */
export async function setUpGitSharing(dataFilePath: string, cli: LoyalCli): Promise<SetupResult> {
  const repository = await findRepository(dataFilePath);
  if (!repository) throw new GitSetupError(`${dataFilePath} is not in a git repository (or git is not installed): run git init first`);
  const status = await sharingStatus(dataFilePath);
  const gitattributes = join(repository.root, '.gitattributes');
  let attributeAdded = false;
  let attributeLine: string | undefined;
  if (!status?.attribute) {
    const before = existsSync(gitattributes) ? await readFile(gitattributes, 'utf8') : '';
    const pattern = repository.dataFile.includes(' ') ? `"${repository.dataFile}"` : repository.dataFile;
    const line = `${repository.dataFile.includes('/') ? '/' : ''}${pattern} merge=loyal`;
    await writeFile(gitattributes, `${before}${before && !before.endsWith('\n') ? '\n' : ''}${line}\n`);
    attributeAdded = true;
    attributeLine = line;
  }
  await git(repository.root, ['add', '--', '.gitattributes']);
  const launcher = await writeLauncher(repository, cli);
  const driver = driverCommand(launcher);
  await git(repository.root, ['config', 'merge.loyal.name', DRIVER_NAME]);
  await git(repository.root, ['config', 'merge.loyal.driver', driver]);
  return { repository, attributeAdded, ...(attributeLine ? { attributeLine } : {}), gitattributes, launcher, driver };
}

async function writeLauncher(repository: Repository, cli: LoyalCli): Promise<string> {
  const launcher = launcherPath(repository);
  const text = launcherText(cli);
  const current = existsSync(launcher) ? await readFile(launcher, 'utf8').catch(() => '') : '';
  if (current !== text) {
    await mkdir(dirname(launcher), { recursive: true });
    await writeFile(launcher, text, { mode: 0o755 });
  }
  return launcher;
}

/**
 * After an update: points this clone's launcher at the running Loyal, when the clone
 * uses Loyal's driver through it. Returns true when it rewrote the launcher.
 */
export async function refreshLauncher(status: SharingStatus, cli: LoyalCli): Promise<boolean> {
  const launcher = launcherPath(status.repository);
  if (!status.launcher || status.driver !== driverCommand(launcher)) return false;
  const current = await readFile(launcher, 'utf8').catch(() => '');
  if (current === launcherText(cli)) return false;
  await writeLauncher(status.repository, cli);
  return true;
}
