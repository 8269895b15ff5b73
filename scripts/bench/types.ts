export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  budget?: number;
  ok?: boolean;
  note?: string;
}
