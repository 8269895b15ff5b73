// The lifetime-value estimates of one open book, version by version: requested when the book
// changes, started a moment later off the UI path, and kept only for the version they were
// made from. Plain Node (no editor API): the session says what to estimate and how to report
// a failure. See docs/ARCHITECTURE.md, "A render".
import type { LtvBook } from '../domain/ltv/types';

/** An estimate and the version of the book it was made from. */
export interface Estimate {
  version: number;
  book: LtvBook;
}

export interface EstimatesOptions {
  /** Starts the estimate of `version` (the book's current one); undefined when there is nothing to estimate. */
  start(version: number): Promise<LtvBook> | undefined;
  /** A new estimate for the current version is in (`latest` holds it). */
  onEstimate(): void;
  /** An estimate failed; the book keeps the previous values and that version is not tried again. */
  onError(error: Error): void;
  /** How long after a request the estimate starts, so the views answer first. */
  delayMs: number;
}

export class LtvEstimates {
  private newest: Estimate | undefined;
  /** The version the book is at, while it is a book to estimate. */
  private wanted: number | undefined;
  /** The last version whose estimate was started (and not forgotten by `reset`). */
  private started: number | undefined;
  private failed: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Estimates started before the last `reset` land nowhere. */
  private generation = 0;
  private waiting: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly options: EstimatesOptions) {}

  /** The newest estimate kept, and the version it was made from (maybe an older one than the book's). */
  get latest(): Estimate | undefined {
    return this.newest;
  }

  /**
   * Resolves once there is nothing left to estimate: the estimate of the book's version is
   * in, or failed, or there is no book to estimate. Follows the book: a change while it waits
   * makes it wait for the new version's estimate.
   */
  get whenReady(): Promise<void> {
    if (this.settled) return Promise.resolve();
    if (!this.waiting) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiting = { promise, resolve };
    }
    return this.waiting.promise;
  }

  /** The book is at `version` now: its estimate starts after the delay, unless it is already in or running. */
  request(version: number): void {
    this.wanted = version;
    if (!this.timer && this.started !== version) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.begin();
      }, this.options.delayMs);
    }
    this.settle();
  }

  /** No book to estimate (closed, missing, broken): nothing is waited for. Keeps `latest`. */
  stop(): void {
    this.wanted = undefined;
    this.clearTimer();
    this.settle();
  }

  /** Forgets every estimate (another book, other settings); the next `request` starts afresh. */
  reset(): void {
    this.generation += 1;
    this.newest = undefined;
    this.started = undefined;
    this.failed = undefined;
    this.wanted = undefined;
    this.clearTimer();
    this.settle();
  }

  dispose(): void {
    this.reset();
  }

  private get settled(): boolean {
    return this.wanted === undefined || this.newest?.version === this.wanted || this.failed === this.wanted;
  }

  private settle(): void {
    if (!this.settled || !this.waiting) return;
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private begin(): void {
    const version = this.wanted;
    if (version === undefined || this.started === version) return;
    const generation = this.generation;
    const run = this.options.start(version);
    if (!run) {
      this.stop();
      return;
    }
    if (generation === this.generation) this.started = version;
    run.then(
      (book) => {
        // Only the book's version counts: an answer for an older one is dropped.
        if (generation !== this.generation || version !== this.wanted) return;
        this.newest = { version, book };
        this.settle();
        this.options.onEstimate();
      },
      (error: Error) => {
        if (generation === this.generation) this.failed = version;
        this.options.onError(error);
        this.settle();
      },
    );
  }
}
