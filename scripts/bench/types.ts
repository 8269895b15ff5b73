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

/** The median of a list of numbers (the upper middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
