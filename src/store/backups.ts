// Rolling backups in `.loyal/backups/` beside the data file. The folder holds its own
// `.gitignore` (`*`) so backups are never committed, wherever the data file lives.
import { copyFile, link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { MergeConflict } from './merge';
import { linkTarget } from './atomic';

export const DEFAULT_BACKUPS = 10;

export function loyalFolderOf(dataPath: string): string {
  return join(dirname(dataPath), '.loyal');
}

export function backupFolderOf(dataPath: string): string {
  return join(loyalFolderOf(dataPath), 'backups');
}

/** The lock of the data file; inside `.loyal/` so it is git-ignored with the rest. */
export function lockPathOf(dataPath: string): string {
  return join(loyalFolderOf(dataPath), `${basename(dataPath)}.lock`);
}

export async function ensureLoyalFolder(dataPath: string): Promise<void> {
  const folder = loyalFolderOf(dataPath);
  await mkdir(join(folder, 'backups'), { recursive: true });
  await writeFile(join(folder, '.gitignore'), '*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

let sequence = 0;
/** Sorts in time order; the pid and a counter keep two writers in one millisecond apart. */
function stamp(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${String(sequence).padStart(6, '0')}`;
}

const VERSION_SUFFIX = '.json';
const versionPrefix = (dataPath: string) => `${basename(dataPath)}.`;
const conflictPrefix = (dataPath: string) => `${basename(dataPath)}.conflict.`;

/**
 * Keeps the current data file as a backup just before it is replaced. A hard link costs
 * nothing whatever the size: the rename that follows detaches the old content from the
 * data file's name, and the backup keeps it. Copies where links are not supported.
 */
export async function backupCurrent(dataPath: string): Promise<string | undefined> {
  const target = join(backupFolderOf(dataPath), `${versionPrefix(dataPath)}${stamp()}${VERSION_SUFFIX}`);
  // The file itself, not a link to it: a hard link to a symbolic link is a second link,
  // which follows the file's next version instead of keeping this one.
  const real = await linkTarget(dataPath);
  try {
    await link(real, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // The data file itself is gone (first write, or someone deleted it): nothing to keep.
      return undefined;
    }
    await copyFile(real, target);
  }
  return target;
}

/** The saved versions of the data file, oldest first. */
export async function listBackups(dataPath: string): Promise<string[]> {
  const prefix = versionPrefix(dataPath);
  const conflicts = conflictPrefix(dataPath);
  const names = await readdir(backupFolderOf(dataPath)).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith(prefix) && !name.startsWith(conflicts) && name.endsWith(VERSION_SUFFIX))
    .sort()
    .map((name) => join(backupFolderOf(dataPath), name));
}

export async function pruneBackups(dataPath: string, keep: number): Promise<void> {
  const all = await listBackups(dataPath);
  for (const path of all.slice(0, Math.max(0, all.length - keep))) await unlink(path).catch(() => undefined);
}

/**
 * Keeps each losing version of a merge, one JSON file per record, naming the collection,
 * the id and both versions. These are not pruned: they are someone's work.
 */
export async function writeConflictBackups(dataPath: string, conflicts: readonly MergeConflict[]): Promise<string[]> {
  if (!conflicts.length) return [];
  await ensureLoyalFolder(dataPath);
  const written: string[] = [];
  for (const conflict of conflicts) {
    const target = join(backupFolderOf(dataPath), `${conflictPrefix(dataPath)}${stamp()}.${conflict.collection}.${conflict.id}.json`);
    const body = {
      file: basename(dataPath),
      savedAt: new Date().toISOString(),
      collection: conflict.collection,
      id: conflict.id,
      reason: conflict.reason,
      kept: conflict.kept,
      lost: conflict.lost,
    };
    await writeFile(target, `${JSON.stringify(body, null, 2)}\n`);
    written.push(target);
  }
  return written;
}
