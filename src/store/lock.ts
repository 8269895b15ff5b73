// One writer at a time on this machine: two editor windows, the CLI and the extension
// may share a data file. A lock directory (proper-lockfile) in `.loyal/`, refreshed
// while held and taken over when stale (its owner crashed or was killed).
import { lock } from 'proper-lockfile';
import { ensureLoyalFolder, lockPathOf } from './backups';
import { DataFileError } from './errors';

export const DEFAULT_LOCK_STALE_MS = 10_000;

export async function withFileLock<T>(dataPath: string, staleMs: number, work: () => Promise<T>): Promise<T> {
  await ensureLoyalFolder(dataPath);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lock(dataPath, {
      lockfilePath: lockPathOf(dataPath),
      // The data file may not exist yet (create), and a symlinked file locks by its own path.
      realpath: false,
      stale: staleMs,
      // Waits long enough to outlast a stale lock left by a killed process.
      retries: { retries: Math.ceil((staleMs * 3) / 100), factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
      // The default throws from a timer, which would crash the editor's extension host.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    throw new DataFileError('io', `the data file is locked by another program (${lockPathOf(dataPath)}): ${(error as Error).message}`);
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
    if (compromised) console.warn(`loyal: the lock of ${dataPath} was taken over while held: ${compromised.message}`);
  }
}
