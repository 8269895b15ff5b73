export { computeTrends } from './compute';
export { TrendCache } from './columns';
export { drill } from './drill';
export { TREND_DEFAULTS } from './scope';
export { trendsToMarkdown, trendsToCsv, ENGLISH_TREND_LABELS, TREND_CSV_SECTIONS } from './render';
export type { TrendLabels, TrendCsvSection } from './render';
export type * from './types';
