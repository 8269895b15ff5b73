// Estimates lifetime values off the UI path: in a worker thread when the bundle has one,
// else on a later turn of the event loop. Only the newest request's answer is kept.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { estimateBook } from '../domain/ltv/estimate';
import type { LtvBook, LtvInput } from '../domain/ltv/types';
import type { LoyalFile } from '../domain/records';
import { ltvInputFromFile } from '../domain/ltv/fromBook';
import type { LoyalSettings } from '../settings';

export function ltvInputOf(file: LoyalFile, settings: LoyalSettings, asOf: string): LtvInput {
  return ltvInputFromFile(file, settings.ltv, asOf);
}

export class LtvService {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (book: LtvBook) => void; reject: (error: Error) => void }>();

  constructor(private readonly distFolder: string) {}

  estimate(input: LtvInput): Promise<LtvBook> {
    const worker = this.ensureWorker();
    if (!worker)
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(estimateBook(input));
          } catch (error) {
            reject(error as Error);
          }
        }),
      );
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    const script = join(this.distFolder, 'ltvWorker.js');
    if (!existsSync(script)) return undefined;
    const worker = new Worker(script);
    worker.unref();
    worker.on('message', (message: { id: number; book?: LtvBook; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if (message.book) waiting.resolve(message.book);
      else waiting.reject(new Error(message.error ?? 'lifetime value estimate failed'));
    });
    worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
