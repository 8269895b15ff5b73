export { computeTrends, drill, TrendCache, TREND_DEFAULTS } from './compute';
export { trendsToMarkdown, trendsToCsv, ENGLISH_TREND_LABELS, TREND_CSV_SECTIONS } from './render';
export type { TrendLabels, TrendCsvSection } from './render';
export type * from './types';
