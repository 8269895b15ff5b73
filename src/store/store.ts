// The data file as a live book: changes apply in memory at once and are saved in the
// background, coalesced, under a lock, merged with whatever changed on disk since it was
// read (another window, the CLI, `git pull`, a teammate on a synced folder).
import { readFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { emptyFile, type CollectionName, type LoyalFile, type RecordOf } from '../domain/records';
import { checkFile } from '../domain/validate';
import { instantOf, systemClock, type Clock } from '../domain/time';
import { LoyalFileAdapter } from './adapter';
import type { DiskSignature } from './atomic';
import { DEFAULT_BACKUPS, writeConflictBackups } from './backups';
import { DataFileError, schemaError, ValidationError } from './errors';
import { DEFAULT_LOCK_STALE_MS, withFileLock } from './lock';
import { mergeFiles, resolveConflictMarkers, type MergeConflict } from './merge';
import { parseFileBytes, sameRecords } from './parse';
import { sortedById } from './serialise';
import { DraftTransaction, getById, type Transaction } from './transaction';

/** How long after a read its deferred work is done (StoreOptions.deferMs). */
const DEFER_MS = 250;

export type StoreState = { kind: 'missing' } | { kind: 'ok' } | { kind: 'broken'; error: DataFileError };

export interface StoreOptions {
  /**
   * Who is making changes (the `loyal.user` setting, else git's user.name). A promise while
   * that is still being found: an update then waits for it before it applies its change.
   */
  user: () => string | Promise<string>;
  clock?: Clock;
  /** Saved versions kept in `.loyal/backups/` (default 10; 0 keeps none). */
  backups?: number;
  /** After how long a lock left by a crashed program is taken over (ms, at least 2000). */
  lockStaleMs?: number;
  /** Files larger than this are read piece by piece (default 256 MiB; tests lower it). */
  largeFileBytes?: number;
  /**
   * How long after a read what it leaves for later is done: its content hash and the check
   * for keys written twice (ms; default 250, the views drawn first). Infinity: only when a
   * save or a later read needs them (a one-off command).
   */
  deferMs?: number;
  /**
   * The first read's book is shown as soon as it is parsed, and its records checked with
   * the rest of what a read leaves for later (deferMs): the editor's views. Nothing is
   * written, merged or reloaded before the check; a book that fails it turns broken. Off:
   * the records are checked before open resolves (the CLI, the MCP server).
   */
  showUnchecked?: boolean;
}

export type FileIndex = { readonly [C in CollectionName]: ReadonlyMap<string, RecordOf<C>> };

function buildIndex(file: LoyalFile): FileIndex {
  const index = {} as Record<CollectionName, ReadonlyMap<string, unknown>>;
  for (const name of Object.keys(file) as CollectionName[]) {
    if (!Array.isArray(file[name])) continue;
    let map: Map<string, unknown> | undefined;
    Object.defineProperty(index, name, {
      enumerable: true,
      get: () => (map ??= new Map((file[name] as Array<{ id: string }>).map((record) => [record.id, record]))),
    });
  }
  return index as FileIndex;
}

interface Waiter {
  gen: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function asDataFileError(error: unknown, path: string): DataFileError {
  if (error instanceof DataFileError) return error.filePath ? error : error.withFile(path);
  const code = (error as NodeJS.ErrnoException).code;
  return new DataFileError('io', `cannot use ${path}: ${(error as Error).message}`, [{ message: code ?? String(error) }], path);
}

export class LoyalStore {
  readonly path: string;
  private readonly db: Low<LoyalFile>;
  private readonly adapter: LoyalFileAdapter;
  private readonly user: () => string | Promise<string>;
  private readonly clock: Clock;
  private readonly lockStaleMs: number;
  /** See StoreOptions.deferMs. */
  private readonly deferMs: number;
  private readonly showUnchecked: boolean;
  /** The check of a book shown before its records were checked (StoreOptions.showUnchecked). */
  private unchecked: (() => LoyalFile) | undefined;
  private currentState: StoreState = { kind: 'missing' };
  private currentVersion = 0;
  /** The book as last read from or written to disk: the ancestor of a merge. */
  private base: LoyalFile | null = null;
  /** Changes made in memory (gen) and saved (savedGen). */
  private gen = 0;
  private savedGen = 0;
  private waiters: Waiter[] = [];
  private lastWriteError: unknown;
  private queue: Promise<unknown> = Promise.resolve();
  private writeScheduled = false;
  private readonly listeners = new Set<() => void>();
  private indexCache: { version: number; index: FileIndex } | undefined;
  private disposed = false;

  private constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.user = options.user;
    this.clock = options.clock ?? systemClock;
    this.lockStaleMs = Math.max(2000, options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
    this.deferMs = options.deferMs ?? DEFER_MS;
    this.showUnchecked = (options.showUnchecked ?? false) && Number.isFinite(this.deferMs);
    this.adapter = new LoyalFileAdapter(path, options.backups ?? DEFAULT_BACKUPS, options.largeFileBytes);
    this.db = new Low<LoyalFile>(this.adapter, emptyFile());
  }

  /** Opens the data file; never throws for a missing or broken file: `state` says so. */
  static async open(path: string, options: StoreOptions): Promise<LoyalStore> {
    const store = new LoyalStore(path, options);
    await store.enqueue(async () => {
      try {
        const read = await store.adapter.readIfChanged(store.showUnchecked);
        if (read.kind === 'broken') throw read.error;
        if (read.kind === 'changed') store.adopt(read.file, read.check);
        else store.setState({ kind: 'missing' });
      } catch (error) {
        store.setState({ kind: 'broken', error: asDataFileError(error, path) });
      }
    });
    return store;
  }

  get state(): StoreState {
    return this.currentState;
  }

  /** Increments on every change of `file` (own update or reload): caches key on it. */
  get version(): number {
    return this.currentVersion;
  }

  /** The current book; throws DataFileError when the file is missing or broken. */
  get file(): LoyalFile {
    const state = this.currentState;
    if (state.kind === 'broken') throw state.error;
    if (state.kind === 'missing') throw new DataFileError('io', `there is no data file at ${this.path}`, [], this.path);
    return this.db.data;
  }

  /** Maps by id, built lazily once per version. */
  get index(): FileIndex {
    const file = this.file;
    if (this.indexCache?.version !== this.currentVersion) this.indexCache = { version: this.currentVersion, index: buildIndex(file) };
    return this.indexCache.index;
  }

  /** One record by id (binary search in the sorted array, no index needed). */
  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return getById(this.file, collection, id);
  }

  /** True while changes made in memory are not yet on disk. */
  get hasUnsavedChanges(): boolean {
    return this.gen > this.savedGen;
  }

  /**
   * Size, modification time and inode of the file that holds exactly the book in memory:
   * undefined while changes are unsaved, or when the file is missing or broken.
   */
  get savedSignature(): DiskSignature | undefined {
    if (this.currentState.kind !== 'ok' || this.hasUnsavedChanges || this.unchecked) return undefined;
    const disk = this.adapter.disk;
    return disk ? { ...disk.signature } : undefined;
  }

  /**
   * Does now what a read leaves for a moment later (the check of records shown unchecked,
   * the content hash of a first read, the check for keys written twice): checkLater does it after the book is shown, and the bench
   * counts it in the cost of a load.
   */
  finishDeferredWork(): void {
    this.checkRecords();
    void this.adapter.disk?.hash;
    this.adapter.repeatedKeys();
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes a new data file (empty, or the given book); refuses when one exists. */
  async create(initial?: LoyalFile): Promise<void> {
    const checked = checkFile(initial ?? emptyFile());
    if (!checked.ok) {
      throw new ValidationError(
        `the new book is not valid: ${checked.problems[0].path}: ${checked.problems[0].message}`,
        checked.problems.map((p) => ({ path: p.path, message: p.message })),
      );
    }
    const file = checked.file;
    for (const name of Object.keys(file) as CollectionName[]) {
      if (Array.isArray(file[name])) (file as Record<string, unknown>)[name] = sortedById(file[name] as Array<{ id: string }>);
    }
    await this.enqueue(() =>
      withFileLock(this.path, this.lockStaleMs, async () => {
        try {
          await this.adapter.writeBook(file, true);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new DataFileError('io', `a data file already exists at ${this.path}`, [], this.path);
          }
          throw asDataFileError(error, this.path);
        }
        this.gen = this.savedGen;
        this.adopt(file);
      }),
    );
  }

  /**
   * Looks at the disk and takes in what changed there. Own writes are recognised (size,
   * mtime, inode, then content hash) and give 'unchanged'. Unsaved changes in memory are
   * merged with the new content, not thrown away.
   */
  async reload(): Promise<'unchanged' | 'reloaded' | 'broken' | 'missing'> {
    return this.enqueue(async () => {
      this.checkRecords();
      let read;
      try {
        read = await this.adapter.readIfChanged();
      } catch (error) {
        this.setState({ kind: 'broken', error: asDataFileError(error, this.path) });
        return 'broken';
      }
      switch (read.kind) {
        case 'same':
          return this.currentState.kind === 'broken' ? 'broken' : 'unchanged';
        case 'missing':
          if (this.currentState.kind !== 'missing') this.setState({ kind: 'missing' });
          return 'missing';
        case 'broken':
          this.setState({ kind: 'broken', error: asDataFileError(read.error, this.path) });
          return 'broken';
        case 'changed':
          await this.takeFromDisk(read.file);
          return 'reloaded';
      }
    });
  }

  /**
   * Applies a change in memory at once (listeners hear of it; only while the user is still
   * being found, once it is), then saves it: coalesced
   * with other updates, under the lock, merged with changes on disk. Resolves when the
   * change is on disk. Throws ValidationError (nothing changed) for bad input and
   * DataFileError when the file is missing or broken (nothing changed either).
   */
  async update<T>(change: (tx: Transaction) => T): Promise<T> {
    let user = this.user();
    // Only while the user is still unknown (a window's first moments) is the change applied
    // after a wait; the book it applies to is the one in memory once the user is known.
    if (typeof user !== 'string') user = await user;
    this.checkRecords();
    const file = this.file;
    if (this.disposed) throw new Error('the store is disposed');
    const tx = new DraftTransaction(file, user, instantOf(this.clock.now()));
    const result = change(tx);
    if (!tx.changed) return result;
    this.db.data = tx.file;
    const gen = ++this.gen;
    this.changed();
    const landed = new Promise<void>((resolve, reject) => this.waiters.push({ gen, resolve, reject }));
    this.scheduleWrite();
    await landed;
    return result;
  }

  /** Waits until every change made so far is on disk; throws if it cannot be saved. */
  async flush(): Promise<void> {
    this.checkRecords();
    await this.enqueue(() => this.persist());
    if (this.gen > this.savedGen) {
      const state = this.currentState;
      throw state.kind === 'broken' ? state.error : asDataFileError(this.lastWriteError ?? new Error('not saved'), this.path);
    }
  }

  /**
   * "Fix merge conflicts": rebuilds both sides of each git conflict in the file, merges
   * them record by record and saves the result (the broken text is kept as a backup,
   * each losing record in the backup folder).
   */
  async fixConflictMarkers(): Promise<MergeConflict[]> {
    return this.enqueue(() =>
      withFileLock(this.path, this.lockStaleMs, async () => {
        this.checkRecords();
        const text = await readFile(this.path, 'utf8');
        const resolved = resolveConflictMarkers(text);
        if (resolved instanceof DataFileError) throw resolved.withFile(this.path);
        await this.adapter.writeBook(resolved.file);
        await writeConflictBackups(this.path, resolved.conflicts);
        await this.takeFromDisk(resolved.file);
        return resolved.conflicts;
      }),
    );
  }

  /**
   * Merges another copy of the book (a synced folder's conflicted copy) into the file,
   * record by record, and saves the result. There is no common ancestor: a record that
   * differs between the two is settled by the later `updatedAt`, and the other version
   * is kept in the backup folder.
   */
  async mergeCopy(copy: LoyalFile): Promise<MergeConflict[]> {
    return this.enqueue(() =>
      withFileLock(this.path, this.lockStaleMs, async () => {
        this.checkRecords();
        const disk = parseFileBytes(await readFile(this.path));
        const merged = mergeFiles(null, disk, copy);
        await this.adapter.writeBook(merged.file);
        await writeConflictBackups(this.path, merged.conflicts);
        await this.takeFromDisk(merged.file);
        return merged.conflicts;
      }),
    );
  }

  dispose(): void {
    // Saves already scheduled still complete: disposing must not lose a change.
    this.disposed = true;
    this.listeners.clear();
  }

  private enqueue<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private setState(state: StoreState): void {
    this.currentState = state;
    this.changed();
  }

  private changed(): void {
    this.currentVersion += 1;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        console.error('loyal: a store listener failed', error);
      }
    }
  }

  /** The disk content becomes the book (and the merge ancestor); `check`: its records are checked later (checkRecords). */
  private adopt(file: LoyalFile, check?: () => LoyalFile): void {
    this.base = file;
    this.db.data = file;
    this.unchecked = check;
    this.currentState = { kind: 'ok' };
    this.changed();
    this.checkLater();
  }

  /**
   * Checks the records of a book shown before they were (StoreOptions.showUnchecked): it
   * stays as it is (any file Loyal wrote), becomes the book as checked (defaults filled in:
   * listeners hear of it), or the store turns broken, saying where. Every way of changing,
   * saving or reloading the book runs this first, so nothing unchecked is ever written.
   */
  private checkRecords(): void {
    const check = this.unchecked;
    if (!check) return;
    this.unchecked = undefined;
    let checked: LoyalFile;
    try {
      checked = check();
    } catch (error) {
      this.setState({ kind: 'broken', error: asDataFileError(error, this.path) });
      return;
    }
    if (sameRecords(checked, this.db.data)) return;
    this.base = checked;
    this.db.data = checked;
    this.changed();
  }

  /**
   * A moment after a read is shown, what it left for later is done (finishDeferredWork): if
   * its text holds a key twice (a merge that kept both sides' lines), the book then shows as
   * broken, where the keys are, and is never written over. Every save checks first, in case
   * this has not run yet.
   */
  private checkLater(): void {
    if (!Number.isFinite(this.deferMs)) return;
    setTimeout(() => {
      void this.enqueue(() => {
        if (this.disposed || this.currentState.kind !== 'ok') return;
        this.finishDeferredWork();
        if (this.currentState.kind !== 'ok') return;
        const error = this.repeatedKeysError();
        if (error) this.setState({ kind: 'broken', error });
      });
    }, this.deferMs).unref?.();
  }

  private repeatedKeysError(): DataFileError | undefined {
    const problems = this.adapter.repeatedKeys();
    return problems.length ? schemaError(problems, this.path) : undefined;
  }

  /** New content from disk: merged with unsaved changes, if any, which are then saved. */
  private async takeFromDisk(file: LoyalFile): Promise<void> {
    if (this.gen > this.savedGen && this.base) {
      const merged = mergeFiles(this.base, this.db.data, file);
      this.base = file;
      this.db.data = merged.file;
      this.currentState = { kind: 'ok' };
      this.changed();
      this.checkLater();
      await writeConflictBackups(this.path, merged.conflicts);
      this.scheduleWrite();
      return;
    }
    this.gen = this.savedGen;
    this.adopt(file);
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    // Updates made in the same turn of the event loop share one write.
    setImmediate(() => void this.enqueue(() => this.persist()));
  }

  private settle(error?: unknown): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.gen <= this.savedGen) waiter.resolve();
      else if (error !== undefined) waiter.reject(error);
      else this.waiters.push(waiter);
    }
  }

  private async persist(): Promise<void> {
    this.writeScheduled = false;
    this.checkRecords();
    if (this.gen <= this.savedGen) return this.settle();
    const state = this.currentState;
    if (state.kind !== 'ok') {
      // The changes stay in memory: once the file is fixed and reloaded, they are merged in.
      const error = state.kind === 'broken' ? state.error : new DataFileError('io', `there is no data file at ${this.path}`, [], this.path);
      return this.settle(error);
    }
    try {
      await withFileLock(this.path, this.lockStaleMs, async () => {
        const read = await this.adapter.readIfChanged();
        if (read.kind === 'broken') {
          this.setState({ kind: 'broken', error: asDataFileError(read.error, this.path) });
          throw this.currentState.kind === 'broken' ? this.currentState.error : read.error;
        }
        // A text with a key written twice is never written over (nor merged with).
        const repeated = this.repeatedKeysError();
        if (repeated) {
          this.setState({ kind: 'broken', error: repeated });
          throw repeated;
        }
        let conflicts: MergeConflict[] = [];
        if (read.kind === 'changed') {
          const merged = mergeFiles(this.base, this.db.data, read.file);
          conflicts = merged.conflicts;
          this.db.data = merged.file;
          this.changed();
        }
        // From here to the write's start nothing yields: this is exactly what gets saved.
        const gen = this.gen;
        const snapshot = this.db.data;
        await this.db.write();
        this.base = snapshot;
        this.savedGen = gen;
        this.lastWriteError = undefined;
        await writeConflictBackups(this.path, conflicts);
      });
      this.settle();
    } catch (error) {
      this.lastWriteError = error;
      this.settle(asDataFileError(error, this.path));
    }
  }
}
