// Runs the lifetime-value engine in a worker thread, so fitting BG/NBD on a large book
// never blocks the extension host (and with it every view and command).
import { parentPort } from 'node:worker_threads';
import { estimateBook } from '../domain/ltv/estimate';
import type { LtvInput } from '../domain/ltv/types';

parentPort?.on('message', (message: { id: number; input: LtvInput }) => {
  try {
    parentPort!.postMessage({ id: message.id, book: estimateBook(message.input) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
