/**
 * Special functions for the lifetime-value models: log-gamma, digamma and the
 * Gauss hypergeometric function 2F1 for real arguments. Pure, dependency free.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.9189385332046728;

/** True when x is 0, -1, -2, ... (a pole of the gamma function). */
export function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * ln|Gamma(x)| by the Lanczos approximation (g = 7, 9 terms; relative error of
 * Gamma about 1e-15), with the reflection formula for x < 0.5.
 * Returns +Infinity at the poles (0, -1, -2, ...).
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (isNonPositiveInteger(x)) return Infinity;
  if (x < 0.5) {
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sign of Gamma(x): +1 for x > 0, alternating between the poles for x < 0 (0 at a pole). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (isNonPositiveInteger(x)) return 0;
  return Math.ceil(-x) % 2 === 1 ? -1 : 1;
}

/** Digamma psi(x) = d/dx ln Gamma(x): recurrence up to x >= 10, then the asymptotic series. */
export function digamma(x: number): number {
  if (Number.isNaN(x) || isNonPositiveInteger(x)) return NaN;
  if (x < 0) {
    // psi(1 - x) - psi(x) = pi cot(pi x)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  // psi(x) ~ ln x - 1/(2x) - sum B_2n / (2n x^2n); the first omitted term is < 1e-15 for x >= 10.
  const inv = 1 / x;
  const inv2 = inv * inv;
  result += Math.log(x) - 0.5 * inv - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return result;
}

/** ln B(a, b) for a, b > 0. */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

export interface SeriesOptions {
  /** Hard cap on the number of terms (the series always converges for |z| < 1, slowly near 1). */
  maxTerms?: number;
}

/** A value with an estimate of its absolute error (rounding plus truncation). */
export interface Estimate {
  value: number;
  err: number;
}

const EPS = 2.220446049250313e-16;

function seriesEstimate(a: number, b: number, c: number, z: number, maxTerms: number): Estimate {
  let term = 1;
  let sum = 1;
  let absErr = EPS;
  let absSum = 1;
  for (let k = 0; k < maxTerms; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return { value: sum, err: absErr };
    const absTerm = Math.abs(term);
    absSum += absTerm;
    // The k-th term carries about k rounding errors from its running product.
    absErr += absTerm * (k + 2) * EPS;
    if (!Number.isFinite(absSum)) return { value: NaN, err: Infinity };
    const absRatio = Math.abs(ratio);
    if (absRatio < 1 && absTerm <= 1e-17 * absSum * (1 - absRatio)) return { value: sum, err: absErr };
  }
  const last = Math.abs((((a + maxTerms) * (b + maxTerms)) / ((c + maxTerms) * (maxTerms + 1))) * z);
  return { value: sum, err: absErr + (last < 1 ? Math.abs(term) / (1 - last) : Infinity) };
}

/**
 * The defining power series of 2F1(a, b; c; z), sum_k (a)_k (b)_k / ((c)_k k!) z^k,
 * summed until the bound on the remaining tail, |term| / (1 - |ratio|), falls below
 * 1e-17 of the sum of the terms' magnitudes (or the series terminates because a or b
 * is a non-positive integer). Only for |z| < 1. Exposed for tests: this is the
 * "naive" series that hyp2f1's transformations avoid.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number, options: SeriesOptions = {}): number {
  return seriesEstimate(a, b, c, z, options.maxTerms ?? 1_000_000).value;
}

/** Above this z (after the z < 0 transformation), the 1 - z connection formula is tried first. */
const DIRECT_SERIES_MAX_Z = 0.75;
/** Accept a result whose estimated relative error is below this without trying another route. */
const GOOD_ENOUGH = 1e-13;
/** Half-width of the interpolation around an integer c - a - b. */
const INTEGER_DELTA = 1e-6;

/** ln|Gamma| and sign of a product of gammas, with an error estimate of the logarithm. */
function gammaProduct(num: number[], den: number[]): { log: number; sign: number; logErr: number } {
  let log = 0;
  let sign = 1;
  let logErr = 1e-15;
  for (const d of den) {
    if (isNonPositiveInteger(d)) return { log: -Infinity, sign: 0, logErr: 0 };
    const l = lnGamma(d);
    log -= l;
    logErr += Math.abs(l) * EPS;
    sign *= gammaSign(d);
  }
  for (const n of num) {
    if (isNonPositiveInteger(n)) return { log: NaN, sign: NaN, logErr: Infinity };
    const l = lnGamma(n);
    log += l;
    logErr += Math.abs(l) * EPS;
    sign *= gammaSign(n);
  }
  return { log, sign, logErr };
}

/**
 * Connection formula to 1 - z (Abramowitz & Stegun 15.3.6), d = c - a - b not an integer:
 *   2F1(a,b;c;z) = G(c)G(d)/(G(c-a)G(c-b)) 2F1(a,b;1-d;1-z)
 *                + (1-z)^d G(c)G(-d)/(G(a)G(b)) 2F1(c-a,c-b;d+1;1-z).
 */
function connectionEstimate(a: number, b: number, c: number, z: number): Estimate {
  const d = c - a - b;
  const u = 1 - z;
  let value = 0;
  let err = 0;
  const g1 = gammaProduct([c, d], [c - a, c - b]);
  if (g1.sign !== 0) {
    const coef = g1.sign * Math.exp(g1.log);
    const s = seriesEstimate(a, b, 1 - d, u, 100_000);
    value += coef * s.value;
    err += Math.abs(coef) * s.err + Math.abs(coef * s.value) * g1.logErr;
  }
  const g2 = gammaProduct([c, -d], [a, b]);
  if (g2.sign !== 0) {
    const logU = d * Math.log(u);
    const coef = g2.sign * Math.exp(g2.log + logU);
    const s = seriesEstimate(c - a, c - b, d + 1, u, 100_000);
    value += coef * s.value;
    err += Math.abs(coef) * s.err + Math.abs(coef * s.value) * (g2.logErr + Math.abs(logU) * EPS);
  }
  if (!Number.isFinite(value)) return { value: NaN, err: Infinity };
  return { value, err };
}

function relErr(e: Estimate): number {
  return Number.isFinite(e.value) && e.value !== 0 ? e.err / Math.abs(e.value) : e.value === 0 && e.err === 0 ? 0 : Infinity;
}

function better(p: Estimate, q: Estimate): Estimate {
  return relErr(q) < relErr(p) ? q : p;
}

/**
 * 2F1 for 0 <= z < 1 with an error estimate.
 * z <= 0.75: power series. Otherwise the 1 - z connection formula, whose series
 * converge like (1 - z)^k; when c - a - b is within 1e-6 of an integer (where that
 * formula has cancelling poles) it is evaluated at b shifted so that c - a - b is
 * that integer +/- 1e-6 and interpolated linearly (error O(1e-12) relative to the
 * curvature, about 1e-10 in practice). If the estimate shows cancellation (large
 * parameters make the connection's two terms large and opposite), the power series
 * is summed instead (it converges for every z < 1, without cancellation when the
 * terms keep one sign), and the better of the two estimates is kept.
 */
function positiveEstimate(a: number, b: number, c: number, z: number): Estimate {
  if (z <= DIRECT_SERIES_MAX_Z || isNonPositiveInteger(a) || isNonPositiveInteger(b)) {
    return seriesEstimate(a, b, c, z, 1_000_000);
  }
  const d = c - a - b;
  const m = Math.round(d);
  const e = d - m;
  let conn: Estimate;
  if (Math.abs(e) < INTEGER_DELTA) {
    // b1 gives c - a - b1 = m + delta, b2 gives m - delta; b lies between them.
    const b1 = b + e - INTEGER_DELTA;
    const b2 = b + e + INTEGER_DELTA;
    const f1 = connectionEstimate(a, b1, c, z);
    const f2 = connectionEstimate(a, b2, c, z);
    const t = (b - b1) / (b2 - b1);
    const value = f1.value + t * (f2.value - f1.value);
    conn = { value, err: Math.max(f1.err, f2.err) + Math.abs(f2.value - f1.value) * INTEGER_DELTA * 10 };
    if (!Number.isFinite(value)) conn = { value: NaN, err: Infinity };
  } else {
    conn = connectionEstimate(a, b, c, z);
  }
  if (relErr(conn) <= GOOD_ENOUGH) return conn;
  return better(conn, seriesEstimate(a, b, c, z, 1_000_000));
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z <= 1,
 * with an estimate of its absolute error.
 *
 * - z = 1: Gauss's theorem (needs c - a - b > 0).
 * - z < 0: Pfaff transformations
 *     2F1(a, b; c; z) = (1 - z)^-a 2F1(a, c - b; c; z / (z - 1))
 *                     = (1 - z)^-b 2F1(b, c - a; c; z / (z - 1)),
 *   which map z in (-inf, 0) to (0, 1): the naive series diverges for z < -1 and, for
 *   large parameters, overflows or cancels catastrophically near z = -1. The form
 *   keeping the smaller of a and b is tried first (its series then has
 *   a' + b' - c <= 0, the favourable case near 1); the other one is tried when the
 *   first one's error estimate is poor, and the better is kept.
 * - 0 <= z < 1: see positiveEstimate.
 */
export function hyp2f1WithError(a: number, b: number, c: number, z: number): Estimate {
  if (![a, b, c, z].every(Number.isFinite)) return { value: NaN, err: Infinity };
  if (isNonPositiveInteger(c) && !(isNonPositiveInteger(a) && a > c) && !(isNonPositiveInteger(b) && b > c)) {
    return { value: NaN, err: Infinity };
  }
  if (z === 0 || a === 0 || b === 0) return { value: 1, err: 0 };
  if (z > 1) return { value: NaN, err: Infinity };
  if (z === 1) {
    if (c - a - b <= 0) return { value: Infinity, err: Infinity };
    const g = gammaProduct([c, c - a - b], [c - a, c - b]);
    const value = g.sign * Math.exp(g.log);
    return { value, err: Math.abs(value) * g.logErr };
  }
  if (z < 0) {
    const w = z / (z - 1);
    const log1mz = Math.log1p(-z);
    const viaA = (): Estimate => {
      const inner = positiveEstimate(a, c - b, c, w);
      const pref = Math.exp(-a * log1mz);
      return { value: inner.value * pref, err: inner.err * pref + Math.abs(inner.value * pref * a * log1mz) * EPS };
    };
    const viaB = (): Estimate => {
      const inner = positiveEstimate(b, c - a, c, w);
      const pref = Math.exp(-b * log1mz);
      return { value: inner.value * pref, err: inner.err * pref + Math.abs(inner.value * pref * b * log1mz) * EPS };
    };
    const first = a <= b ? viaA() : viaB();
    if (relErr(first) <= GOOD_ENOUGH) return first;
    return better(first, a <= b ? viaB() : viaA());
  }
  return positiveEstimate(a, b, c, z);
}

/** Gauss hypergeometric function 2F1(a, b; c; z), real, z <= 1; see hyp2f1WithError. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return hyp2f1WithError(a, b, c, z).value;
}
