// Atomic replacement of a file: write a temp file in the same folder, flush it to disk,
// then rename it over the target, so a crash or a kill at any moment leaves either the
// old file or the new one, never half of one. The temp name is lowdb/steno's
// `.<name>.tmp`, already git-ignored by the `.*.tmp` pattern.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface DiskSignature {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function sameSignature(a: DiskSignature, b: DiskSignature): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export interface WrittenFile {
  signature: DiskSignature;
  /** sha1 of the bytes written. */
  hash: string;
}

export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

export interface AtomicWriteOptions {
  /** Runs after the new content is safely on disk and just before it replaces the old file. */
  beforeReplace?: () => Promise<void>;
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
}

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * The file a path names once its links are followed: a data file that is a link (into a
 * synced folder, say) is written where it really is. Renaming over the link itself would
 * replace the link with a copy, and the real file would silently stop getting the changes.
 */
export async function linkTarget(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const target = await readlink(current).catch(() => undefined);
    if (target === undefined) return current;
    current = resolve(dirname(current), target);
  }
  return current;
}

/**
 * A data file someone made read-only is not replaced: the rename of an atomic write needs
 * only the folder to be writable, so without this check a read-only file would be written
 * over. No write permission at all counts even for root (as editors warn before saving).
 */
async function refuseReadOnly(path: string): Promise<void> {
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) return;
  const writable =
    (stats.mode & 0o222) !== 0 &&
    (await access(path, constants.W_OK).then(
      () => true,
      () => false,
    ));
  if (!writable) throw Object.assign(new Error(`EACCES: the file is read-only; make it writable to save changes, ${path}`), { code: 'EACCES', path });
}

/** Writes the content (one string or buffer, or pieces of text) to `path` atomically. */
export async function writeFileAtomic(linkOrPath: string, content: string | Uint8Array | Iterable<string>, options: AtomicWriteOptions = {}): Promise<WrittenFile> {
  const path = await linkTarget(linkOrPath);
  await refuseReadOnly(path);
  const temp = tempPathOf(path);
  const pieces: Iterable<string | Uint8Array> = typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
  const hash = createHash('sha1');
  const handle = await open(temp, 'w');
  let signature: DiskSignature;
  try {
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      hash.update(bytes);
      await handle.write(bytes);
    }
    await handle.datasync();
    const stats = await handle.stat();
    // rename keeps the inode and the mtime, so this is what the target will look like.
    signature = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await options.beforeReplace?.();
    if (options.exclusive) await createFrom(temp, path);
    else await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { signature, hash: hash.digest('hex') };
}

/** Moves `temp` to `path` unless `path` exists (EEXIST then). */
async function createFrom(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
    await unlink(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw error;
    // No hard links on this file system (FAT, some network shares): check, then rename.
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw Object.assign(new Error(`EEXIST: file already exists, ${path}`), { code: 'EEXIST' });
    await rename(temp, path);
  }
}
