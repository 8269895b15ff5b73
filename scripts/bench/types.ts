import { existsSync, readFileSync } from 'node:fs';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  budget?: number;
  ok?: boolean;
  note?: string;
}

/**
 * A budget as a ratio to a floor measured in the same run: this machine is shared and its
 * absolute times drift by a third between hours, while a figure and its floor drift together.
 * `floor` names the work the floor does, so the printed row says what the ratio is against.
 */
export function ratioRow(name: string, measuredMs: number, floorMs: number, budget: number | undefined, floor: string, note?: string): BenchRow {
  const value = measuredMs / floorMs;
  return {
    name,
    value,
    unit: 'x',
    ...(budget === undefined ? {} : { budget, ok: Number.isFinite(value) && value <= budget }),
    note: `${measuredMs.toFixed(0)} ms against a floor of ${floorMs.toFixed(0)} ms: ${floor}${note ? `; ${note}` : ''}`,
  };
}

/** Cold open in the real host (a first window, or the file changed since) against its floor. */
export const COLD_OPEN_RATIO = 2;

/** Rows of the host bench (test/hostbench) that host.bench.ts puts together into a first window's budget row. */
export const FIRST_WINDOW = 'cold open (first window): activate() to views populated';
export const FIRST_READ_FLOOR = 'first read in a new host: readFile + JSON.parse of the book before anything else';

/** The median of a list of numbers (the upper middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const THREAD_STAT = '/proc/thread-self/stat';

/**
 * The processor time of the calling thread alone, in ms, where the system tells it (Linux,
 * 10 ms ticks); the whole process's otherwise. process.cpuUsage() counts every thread of the
 * process: the engine's compiler and collector threads as well, whose work (hundreds of ms
 * on a first report of a big book) runs beside the pass and is not waited for.
 */
export function threadCpuMs(): number {
  if (threadStatReadable) {
    try {
      const fields = readFileSync(THREAD_STAT, 'utf8').split(') ')[1].split(' ');
      // utime and stime, the 14th and 15th fields of the line (11 and 12 after the name).
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
    } catch {
      threadStatReadable = false;
    }
  }
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** Whether threadCpuMs gives one thread's time (otherwise the process's). */
export function threadCpuIsOneThread(): boolean {
  threadCpuMs();
  return threadStatReadable;
}

/** USER_HZ: 100 on every Linux build this runs on. */
const CLOCK_TICKS = 100;
let threadStatReadable = process.platform === 'linux' && existsSync(THREAD_STAT);
