/** Lifetime-value engine: pure functions, no I/O, no editor API. */
export * from './types';
export { estimateBook, DEFAULT_LTV_SETTINGS, SIMPLE_MODEL, SPEND_CAP_MULTIPLE, PRIOR_WEIGHT, formatNumber, type LtvDiagnostics, type EstimateOptions } from './estimate';
export {
  bgNbdConditionalExpectedPurchases,
  BgNbdPredictor,
  bgNbdExpectedIfAlive,
  bgNbdPAlive,
  bgNbdLogLikelihood,
  compressSummaries,
  fitBgNbd,
  type RfmSummary,
  type BgNbdFit,
  type CompressedSummaries,
} from './bgnbd';
export { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, type SpendSummary, type GammaGammaFit } from './gammagamma';
export { subscriptionLtv, measureChurn, subscriptionFacts, type SubscriptionFacts } from './subscription';
export { lnGamma, digamma, hyp2f1, hyp2f1WithError, hyp2f1Series, lnBeta } from './special';
export { minimizeBfgs, nelderMead, type MinimizeResult } from './optimize';
export { dayNumber, dayString, DAYS_PER_MONTH } from './days';
