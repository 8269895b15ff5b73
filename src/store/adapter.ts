// lowdb adapter for the data file. Beyond lowdb's own text adapter it knows what is on
// disk (size, mtime, inode and a content hash of what it last read or wrote), so the
// store can tell its own writes from someone else's, keeps a backup of the version it
// replaces, and keeps the file's line endings (a Windows checkout with CRLF stays CRLF).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type { LoyalFile } from '../domain/records';
import { hashOf, sameSignature, writeFileAtomic, type DiskSignature } from './atomic';
import { backupCurrent, ensureLoyalFolder, pruneBackups } from './backups';
import { repeatedKeyProblems } from './duplicateKeys';
import type { DataFileProblem } from './errors';
import { parseFileBytes, parseFileBytesUnchecked, UncheckedBook, type ReadFacts } from './parse';
import { serialiseChunks } from './serialise';

export interface DiskState {
  signature: DiskSignature;
  hash: string;
}

export type DiskRead =
  | { kind: 'same' }
  | { kind: 'missing' }
  /** `check`, when set: `file` is shown before its records are checked (see UncheckedBook). */
  | { kind: 'changed'; file: LoyalFile; check?: () => LoyalFile }
  /** Present but unreadable: `error` is what parseFileText threw. */
  | { kind: 'broken'; error: unknown };

/**
 * The file's bytes in one read of the size fstat gave, and more reads only if it was longer.
 * `FileHandle.readFile` reads 512 KiB at a time, each piece a turn of the event loop: on a
 * new window, where other extensions start in the same thread, every piece waits behind
 * them (docs/ARCHITECTURE.md, "Why reading a book is shaped so").
 */
async function readWhole(handle: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) return bytes.subarray(0, filled);
    filled += bytesRead;
  }
  // Anything past the size fstat gave: the file grew meanwhile (an editor saving in place).
  const more: Buffer[] = [];
  for (let at = size; ;) {
    const piece = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await handle.read(piece, 0, piece.length, at);
    if (bytesRead === 0) break;
    more.push(piece.subarray(0, bytesRead));
    at += bytesRead;
  }
  return more.length ? Buffer.concat([bytes, ...more]) : bytes;
}

/** Books up to this size are read at once on a window's first read (readSmallNow). */
const READ_NOW_BYTES = 32 * 2 ** 20;

/**
 * A small book's bytes and signature in one go, without giving the event loop a turn: on a
 * new window every turn (open, stat, read) waits behind other extensions starting in the same
 * thread, longer than reading a few MB takes. Undefined for a larger file, read as usual.
 */
function readSmallNow(path: string): { signature: DiskSignature; bytes: Buffer } | 'missing' | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > READ_NOW_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < stats.size) {
      const read = readSync(fd, bytes, filled, stats.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    // A file that grew meanwhile (an editor saving in place) is read again the usual way.
    if (filled < stats.size || readSync(fd, Buffer.allocUnsafe(1), 0, 1, filled) !== 0) return undefined;
    return { signature: { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino }, bytes };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A disk state whose hash is worked out when first asked for (the store asks a moment after the read). */
function lazilyHashed(signature: DiskSignature, bytes: Buffer): DiskState {
  let content: Buffer | undefined = bytes;
  let hash = '';
  const state: DiskState = {
    signature,
    get hash() {
      if (content) {
        hash = hashOf(content);
        content = undefined;
      }
      return hash;
    },
  };
  return state;
}

export class LoyalFileAdapter implements Adapter<LoyalFile> {
  /** What the file held when this adapter last read or wrote it. */
  disk: DiskState | undefined;
  private crlf = false;
  /** The text of the last read, until it is checked for keys written twice. */
  private lastRead: { text: string | undefined; keys: (() => number) | undefined; problems?: DataFileProblem[] } | undefined;

  constructor(
    readonly path: string,
    private readonly backups: number,
    /** Size above which the file is read piece by piece (tests lower it). */
    private readonly largeAbove?: number,
  ) {}

  /** lowdb's read: the parsed file, null when there is none; throws DataFileError when unreadable. */
  async read(): Promise<LoyalFile | null> {
    this.disk = undefined;
    const result = await this.readIfChanged();
    if (result.kind === 'missing') return null;
    if (result.kind === 'broken') throw result.error;
    if (result.kind === 'same') throw new Error('unreachable: nothing was known about the disk');
    return result.file;
  }

  /**
   * Reads the file only if it differs from what this adapter last saw: size, mtime and
   * inode first (one fstat), then the content hash (a `touch` or a checkout of the same
   * content is not a change).
   */
  async readIfChanged(unchecked = false): Promise<DiskRead> {
    if (unchecked && !this.disk) {
      const read = readSmallNow(this.path);
      if (read === 'missing') return { kind: 'missing' };
      if (read) {
        this.disk = lazilyHashed(read.signature, read.bytes);
        return this.parsed(read.bytes, true);
      }
    }
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.disk = undefined;
        return { kind: 'missing' };
      }
      throw error;
    }
    let bytes: Buffer;
    let signature: DiskSignature;
    try {
      const stats = await handle.stat();
      signature = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
      if (this.disk && sameSignature(this.disk.signature, signature)) return { kind: 'same' };
      bytes = await readWhole(handle, stats.size);
    } finally {
      // Not awaited: the bytes are in, and on a new window the close's turn of the event
      // loop waits behind other extensions starting (a read-only handle cannot lose data).
      handle.close().catch(() => undefined);
    }
    if (this.disk) {
      // Known content under a new signature (a touch, a checkout of the same text) is no change.
      const hash = hashOf(bytes);
      if (this.disk.hash === hash) {
        this.disk = { signature, hash };
        return { kind: 'same' };
      }
      this.disk = { signature, hash };
      return this.parsed(bytes);
    }
    // The first read: nothing to compare with yet, so the hash (kept to recognise a touch
    // or an own write later) is worked out a moment after the book is shown, or when asked.
    this.disk = lazilyHashed(signature, bytes);
    return this.parsed(bytes, unchecked);
  }

  /** The book in `bytes`; with `unchecked`, shown before its records are checked where it can be (UncheckedBook). */
  private parsed(bytes: Buffer, unchecked = false): DiskRead {
    const firstNewline = bytes.indexOf(10);
    this.crlf = firstNewline > 0 && bytes[firstNewline - 1] === 13;
    const facts: ReadFacts = {};
    this.lastRead = undefined;
    const checked = (file: LoyalFile): LoyalFile => {
      this.lastRead = { text: facts.text, keys: facts.keys };
      return file;
    };
    try {
      const read = unchecked ? parseFileBytesUnchecked(bytes, this.largeAbove, facts) : parseFileBytes(bytes, this.largeAbove, facts);
      if (!(read instanceof UncheckedBook)) return { kind: 'changed', file: checked(read) };
      return { kind: 'changed', file: read.book, check: () => checked(read.check()) };
    } catch (error) {
      return { kind: 'broken', error };
    }
  }

  /**
   * The keys written twice in the file as last read (what a merge that kept both sides'
   * lines leaves: JSON.parse keeps the second and says nothing). Worked out once per read,
   * after the book is shown or before it is written over; none for a book too large for one
   * string (parseLarge).
   */
  repeatedKeys(): DataFileProblem[] {
    const read = this.lastRead;
    if (!read) return [];
    if (!read.problems) {
      read.problems = read.text === undefined || read.keys === undefined ? [] : repeatedKeyProblems(read.text, read.keys());
      read.text = undefined;
      read.keys = undefined;
    }
    return read.problems;
  }

  /** lowdb's write: serialise, keep a backup of the current version, replace atomically. */
  async write(data: LoyalFile): Promise<void> {
    await this.writeBook(data);
  }

  /** Writes a book; `exclusive` refuses to replace an existing file (EEXIST). */
  async writeBook(data: LoyalFile, exclusive = false): Promise<void> {
    const crlf = this.crlf;
    const pieces = crlf ? Array.from(serialiseChunks(data), (piece) => piece.replace(/\n/g, '\r\n')) : serialiseChunks(data);
    if (this.backups > 0) await ensureLoyalFolder(this.path);
    const written = await writeFileAtomic(this.path, pieces, {
      exclusive,
      beforeReplace: this.backups > 0 && !exclusive ? async () => void (await backupCurrent(this.path)) : undefined,
    });
    this.disk = written;
    // What is on disk now is this write, in Loyal's own layout: no key in it twice.
    this.lastRead = undefined;
    if (this.backups > 0) await pruneBackups(this.path, this.backups);
  }
}
