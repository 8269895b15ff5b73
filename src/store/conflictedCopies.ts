// Conflicted copies left by synced folders next to the data file. When two machines save
// the book before they have heard from each other, the sync tool keeps one version under
// the file's name and renames the other:
//   Syncthing           loyal.sync-conflict-20260301-101523-ABCDEF7.json
//   Dropbox             loyal (Ana's conflicted copy 2026-03-01).json
//   Nextcloud, OpenCloud loyal (conflicted copy 2026-03-01 101523).json
//   ownCloud (older)    loyal_conflict-20260301-101523.json
//   OneDrive            loyal-DESKTOP-4F2K9QX.json (the other computer's name)
// Loyal merges such a copy into the book record by record, then moves it to the backup
// folder, so nothing either machine saved is lost and the copy does not linger.
import { existsSync } from 'node:fs';
import { open, readdir, readFile, rename } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { LoyalFile } from '../domain/records';
import { backupFolderOf, ensureLoyalFolder } from './backups';
import { DataFileError } from './errors';
import type { MergeConflict } from './merge';
import { parseFileBytes } from './parse';

export type SyncTool = 'Syncthing' | 'Dropbox' | 'Nextcloud' | 'ownCloud' | 'OneDrive';

export interface ConflictedCopy {
  path: string;
  /** The file's name, as the folder shows it. */
  name: string;
  /** The sync tool whose naming it follows. */
  tool: SyncTool;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The sync tool that named `candidate` as a conflicted copy of `dataFileName`, if any. */
export function conflictedCopyTool(dataFileName: string, candidate: string): SyncTool | undefined {
  const ext = extname(dataFileName);
  const stem = escape(basename(dataFileName, ext));
  const end = `${escape(ext)}$`;
  if (candidate === dataFileName) return undefined;
  if (new RegExp(`^${stem}\\.sync-conflict-\\d{8}-\\d{6}(?:-[A-Z0-9]+)?${end}`).test(candidate)) return 'Syncthing';
  if (new RegExp(`^${stem} \\(conflicted copy \\d{4}-\\d{2}-\\d{2} \\d{6}\\)(?: \\(\\d+\\))?${end}`).test(candidate)) return 'Nextcloud';
  if (new RegExp(`^${stem} \\([^()]*conflicted copy[^()]*(?:\\(\\d+\\))?\\)${end}`, 'i').test(candidate)) return 'Dropbox';
  if (new RegExp(`^${stem}_conflict-\\d{8}-\\d{6}${end}`).test(candidate)) return 'ownCloud';
  // A Windows computer name: up to 15 capitals, digits and hyphens, with a capital in it.
  if (new RegExp(`^${stem}-(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{0,14}(?:-\\d+)?${end}`).test(candidate)) return 'OneDrive';
  return undefined;
}

/** The conflicted copies beside the data file, oldest name first. */
export async function findConflictedCopies(dataPath: string): Promise<ConflictedCopy[]> {
  const folder = dirname(dataPath);
  const name = basename(dataPath);
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const copies: ConflictedCopy[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const tool = conflictedCopyTool(name, entry.name);
    // OneDrive's names look like a second book's (loyal-EU.json): a copy shares its records.
    if (tool === 'OneDrive' && !(await sharesFirstRecord(join(folder, entry.name), dataPath))) continue;
    if (tool) copies.push({ path: join(folder, entry.name), name: entry.name, tool });
  }
  return copies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True when the first record id written in `candidate` is also in the data file. */
async function sharesFirstRecord(candidate: string, dataPath: string): Promise<boolean> {
  try {
    const head = await readStart(candidate, 64 * 1024);
    const id = /"id":\s*"([a-z]+_[0-9a-z]+)"/.exec(head)?.[1];
    return id !== undefined && (await readFile(dataPath)).includes(`"${id}"`);
  } catch {
    return false;
  }
}

async function readStart(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads a conflicted copy as a book; a DataFileError that names the copy when it cannot be read. */
export async function readConflictedCopy(copy: ConflictedCopy): Promise<LoyalFile> {
  try {
    return parseFileBytes(await readFile(copy.path));
  } catch (error) {
    if (error instanceof DataFileError) throw new DataFileError(error.kind, `the conflicted copy ${copy.name} cannot be read: ${error.message}`, error.problems, copy.path);
    throw error;
  }
}

/** Something that merges a book into the data file (the store's mergeCopy). */
export interface CopyMerger {
  readonly path: string;
  mergeCopy(copy: LoyalFile): Promise<MergeConflict[]>;
}

export interface CopyMerged {
  copy: ConflictedCopy;
  conflicts: MergeConflict[];
  /** Where the copy went, in the backup folder. */
  movedTo: string;
}

/**
 * Merges the copy into the data file record by record, then moves the copy into the
 * backup folder. A copy that cannot be read is left where it is and nothing changes.
 */
export async function mergeConflictedCopy(store: CopyMerger, copy: ConflictedCopy): Promise<CopyMerged> {
  const book = await readConflictedCopy(copy);
  const conflicts = await store.mergeCopy(book);
  await ensureLoyalFolder(store.path);
  const folder = backupFolderOf(store.path);
  let movedTo = join(folder, copy.name);
  for (let n = 2; existsSync(movedTo); n++) movedTo = join(folder, `${basename(copy.name, extname(copy.name))}.${n}${extname(copy.name)}`);
  await rename(copy.path, movedTo);
  return { copy, conflicts, movedTo };
}
