/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way").
 *
 * Per customer: x = repeat purchases (purchase days after the first), t_x = time of
 * the last purchase since the first, T = time from the first purchase to the end of
 * calibration. Time unit: whatever the summaries use (the engine uses days).
 */
import { digamma, hyp2f1, lnGamma } from './special';
import { minimizeBfgs, nelderMead } from './optimize';
import type { BgNbdParams } from './types';

export interface RfmSummary {
  x: number;
  tx: number;
  T: number;
}

/**
 * Summaries compressed for fast likelihood evaluation: identical (x, t_x, T)
 * customers are one group with a weight; T and t_x values are indexed into
 * tables of distinct values, and x into a table of distinct counts, so that one
 * evaluation computes the log-gamma / digamma terms once per distinct x and the
 * logarithms once per distinct time.
 */
export interface CompressedSummaries {
  customers: number;
  groups: number;
  weight: Float64Array;
  xIndex: Int32Array;
  tIndex: Int32Array;
  txIndex: Int32Array;
  xValues: Float64Array;
  timeValues: Float64Array;
  meanT: number;
}

export function compressSummaries(rows: readonly RfmSummary[]): CompressedSummaries {
  const groupKey = new Map<number | string, number>();
  const xMap = new Map<number, number>();
  const timeMap = new Map<number, number>();
  const weight: number[] = [];
  const xIndex: number[] = [];
  const tIndex: number[] = [];
  const txIndex: number[] = [];
  const xValues: number[] = [];
  const timeValues: number[] = [];
  const indexOf = (map: Map<number, number>, values: number[], v: number): number => {
    let i = map.get(v);
    if (i === undefined) {
      i = values.length;
      values.push(v);
      map.set(v, i);
    }
    return i;
  };
  let sumT = 0;
  for (const row of rows) {
    if (!(row.x >= 0 && row.tx >= 0 && row.T >= row.tx) || !Number.isInteger(row.x)) {
      throw new RangeError(`Invalid BG/NBD summary x=${row.x} t_x=${row.tx} T=${row.T}`);
    }
    sumT += row.T;
    // Whole days (the engine's case) give an exact numeric key; anything else a string key.
    const key: number | string =
      Number.isInteger(row.tx) && Number.isInteger(row.T) && row.T < 131_072 && row.x < 262_144 ? (row.x * 131_072 + row.tx) * 131_072 + row.T : `${row.x},${row.tx},${row.T}`;
    const g = groupKey.get(key);
    if (g !== undefined) {
      weight[g]++;
      continue;
    }
    groupKey.set(key, weight.length);
    weight.push(1);
    xIndex.push(indexOf(xMap, xValues, row.x));
    tIndex.push(indexOf(timeMap, timeValues, row.T));
    txIndex.push(indexOf(timeMap, timeValues, row.tx));
  }
  return {
    customers: rows.length,
    groups: weight.length,
    weight: Float64Array.from(weight),
    xIndex: Int32Array.from(xIndex),
    tIndex: Int32Array.from(tIndex),
    txIndex: Int32Array.from(txIndex),
    xValues: Float64Array.from(xValues),
    timeValues: Float64Array.from(timeValues),
    meanT: rows.length ? sumT / rows.length : 0,
  };
}

/**
 * Total BG/NBD log-likelihood and its gradient with respect to (r, alpha, a, b).
 *
 * ln L_i = ln G(r+x) - ln G(r) + r ln alpha + ln G(a+b) + ln G(b+x) - ln G(b) - ln G(a+b+x)
 *          + ln( (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) )
 */
export function bgNbdLogLikelihood(data: CompressedSummaries, params: BgNbdParams, wantGradient = true): { value: number; gradient: [number, number, number, number] } {
  const { r, alpha, a, b } = params;
  const nx = data.xValues.length;
  const nt = data.timeValues.length;
  // Per distinct time: ln(alpha + t) and 1 / (alpha + t).
  const logAT = new Float64Array(nt);
  const invAT = new Float64Array(nt);
  for (let i = 0; i < nt; i++) {
    const s = alpha + data.timeValues[i];
    logAT[i] = Math.log(s);
    invAT[i] = 1 / s;
  }
  // Per distinct x: constant terms and their derivatives.
  const lnGr = lnGamma(r);
  const lnGb = lnGamma(b);
  const lnGab = lnGamma(a + b);
  const psiR = wantGradient ? digamma(r) : 0;
  const psiB = wantGradient ? digamma(b) : 0;
  const psiAB = wantGradient ? digamma(a + b) : 0;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const constX = new Float64Array(nx);
  const dRX = new Float64Array(nx);
  const dAX = new Float64Array(nx);
  const dBX = new Float64Array(nx);
  const logBX1 = new Float64Array(nx);
  const invBX1 = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    const x = data.xValues[i];
    constX[i] = lnGamma(r + x) - lnGr + r * logAlpha + lnGab + lnGamma(b + x) - lnGb - lnGamma(a + b + x);
    if (wantGradient) {
      const psiABX = digamma(a + b + x);
      dRX[i] = digamma(r + x) - psiR + logAlpha;
      dAX[i] = psiAB - psiABX;
      dBX[i] = psiAB + digamma(b + x) - psiB - psiABX;
    }
    if (x > 0) {
      logBX1[i] = Math.log(b + x - 1);
      invBX1[i] = 1 / (b + x - 1);
    }
  }
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  const invA = 1 / a;
  const n = data.groups;
  const { weight, xIndex, tIndex, txIndex, xValues } = data;
  for (let g = 0; g < n; g++) {
    const w = weight[g];
    const xi = xIndex[g];
    const x = xValues[xi];
    const rx = r + x;
    const it = tIndex[g];
    const A3 = -rx * logAT[it];
    let L: number;
    let w3 = 1;
    let w4 = 0;
    let itx = 0;
    if (x > 0) {
      itx = txIndex[g];
      const A4 = logA - logBX1[xi] - rx * logAT[itx];
      if (A3 >= A4) {
        const e = Math.exp(A4 - A3);
        L = A3 + Math.log1p(e);
        w3 = 1 / (1 + e);
        w4 = e * w3;
      } else {
        const e = Math.exp(A3 - A4);
        L = A4 + Math.log1p(e);
        w4 = 1 / (1 + e);
        w3 = e * w4;
      }
    } else {
      L = A3;
    }
    ll += w * (constX[xi] + L);
    if (wantGradient) {
      let dr = dRX[xi] - w3 * logAT[it];
      let dAl = r / alpha - w3 * rx * invAT[it];
      let da = dAX[xi];
      let db = dBX[xi];
      if (w4 !== 0) {
        dr -= w4 * logAT[itx];
        dAl -= w4 * rx * invAT[itx];
        da += w4 * invA;
        db -= w4 * invBX1[xi];
      }
      gr += w * dr;
      gAlpha += w * dAl;
      ga += w * da;
      gb += w * db;
    }
  }
  return { value: ll, gradient: [gr, gAlpha, ga, gb] };
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  method: 'bfgs' | 'nelder-mead';
}

/** Parameters must stay inside these bounds (log space) for the fit to be accepted. */
const LOG_BOUND = Math.log(1e7);

/**
 * Weight of the ridge penalty lambda ((ln r)^2 + (ln a)^2 + (ln b)^2) subtracted from the
 * total log-likelihood: a weakly informative normal prior on the log-parameters
 * (standard deviation about 22). It changes nothing measurable on real books (CDNOW:
 * the log-likelihood moves by < 0.001) but keeps the maximum finite when the data have
 * no heterogeneity to estimate: with the same dropout probability for everyone the
 * likelihood keeps rising as a, b -> infinity (a / (a + b) fixed), and with the same
 * purchase rate as r, alpha -> infinity (r / alpha fixed).
 */
export const BG_NBD_RIDGE = 1e-3;

/**
 * Maximum-likelihood fit on log-parameters (r, alpha, a, b > 0 for any real input),
 * with the tiny ridge penalty BG_NBD_RIDGE; the reported log-likelihood is the plain one.
 * Starts from r = 1, alpha = mean T / 2 (the scale of the time unit), a = 1, b = 1;
 * BFGS with the analytic gradient (see optimize.ts for its restarts); falls back
 * to Nelder-Mead if BFGS cannot produce a finite result. The objective is the
 * mean negative log-likelihood per customer so tolerances do not depend on book size.
 */
/**
 * A normal prior on the log-parameters (ln r, ln alpha, ln a, ln b): `center` its mean,
 * `sd` its standard deviation, `weight` how many customers' worth of evidence it carries.
 * Its penalty weight x sum ((t - center) / sd)^2 / 2 is added to the negative
 * log-likelihood: nothing on a book of thousands, a pull toward the centre on a book of 20.
 */
export interface LogNormalPrior {
  center: number[];
  sd: number[];
  weight: number;
}

export function fitBgNbd(data: CompressedSummaries, prior?: LogNormalPrior): BgNbdFit | undefined {
  if (data.customers === 0) return undefined;
  const n = data.customers;
  const toParams = (t: number[]): BgNbdParams => ({
    r: Math.exp(t[0]),
    alpha: Math.exp(t[1]),
    a: Math.exp(t[2]),
    b: Math.exp(t[3]),
  });
  const outOfBounds = (t: number[]): boolean => t.some((v) => Math.abs(v) > LOG_BOUND + 5);
  const fg = (t: number[]) => {
    if (outOfBounds(t)) return { value: Infinity, gradient: [NaN, NaN, NaN, NaN] };
    const p = toParams(t);
    const { value, gradient } = bgNbdLogLikelihood(data, p);
    let penalty = BG_NBD_RIDGE * (t[0] * t[0] + t[2] * t[2] + t[3] * t[3]);
    const g = [-gradient[0] * p.r + 2 * BG_NBD_RIDGE * t[0], -gradient[1] * p.alpha, -gradient[2] * p.a + 2 * BG_NBD_RIDGE * t[2], -gradient[3] * p.b + 2 * BG_NBD_RIDGE * t[3]];
    if (prior) {
      for (let i = 0; i < 4; i++) {
        const z = (t[i] - prior.center[i]) / prior.sd[i];
        penalty += (prior.weight * z * z) / 2;
        g[i] += (prior.weight * z) / prior.sd[i];
      }
    }
    return { value: (-value + penalty) / n, gradient: g.map((v) => v / n) };
  };
  const start = prior ? [...prior.center] : [0, Math.log(Math.max(data.meanT / 2, 1e-3)), 0, 0];
  let method: BgNbdFit['method'] = 'bfgs';
  let result = minimizeBfgs(fg, start);
  if (!Number.isFinite(result.value)) {
    method = 'nelder-mead';
    result = nelderMead((t) => fg(t).value, start, { initialStep: 0.5 });
  }
  if (!Number.isFinite(result.value) || result.x.some((v) => !Number.isFinite(v) || Math.abs(v) > LOG_BOUND)) {
    return undefined;
  }
  const params = toParams(result.x);
  return {
    params,
    logLikelihood: bgNbdLogLikelihood(data, params, false).value,
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    method,
  };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))  (FHL 2005, eq. 11 / note).
 */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return 1;
  const { r, alpha, a, b } = params;
  const logRatio = (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  const odds = Math.exp(Math.log(a) - Math.log(b + x - 1) + logRatio);
  return 1 / (1 + odds);
}

/**
 * Expected purchases in (T, T + t] for a customer who is still alive at T:
 *   (a+b+x-1)/(a-1) [1 - 2F1(r+x, a-1; a+b+x-1; -t/(alpha+T))].
 * This is FHL 2005 eq. (10) without the P(alive) denominator, after the Pfaff
 * transformation ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))
 *   = 2F1(r+x, a-1; a+b+x-1; -t/(alpha+T)),
 * which removes the (1 - z)^(r+x) factor that overflows/underflows for large x.
 * Equivalently: the posterior of p given alive is Beta(a, b+x), of lambda Gamma(r+x, alpha+T),
 * and E[Y(t)] = E[(1 - exp(-lambda p t)) / p].
 * At a = 1 the expression is 0/0; within 1e-5 of it we average a = 1 +/- 2e-5 (the
 * first-order error cancels); likewise c = a + b + x - 1 = +/- 2e-5 when c is within 1e-5 of 0.
 */
export function bgNbdExpectedIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  if (Math.abs(a - 1) < 1e-5) {
    // Linear in (a - 1) to first order around 1: the mean of 1 -/+ 2e-5 is the value at 1.
    return 0.5 * (bgNbdExpectedIfAlive({ ...params, a: 1 - 2e-5 }, x, T, t) + bgNbdExpectedIfAlive({ ...params, a: 1 + 2e-5 }, x, T, t));
  }
  const e = a + b + x - 1;
  if (Math.abs(e) < 1e-5) {
    // c = a+b+x-1 = 0 (x = 0, a + b = 1): 2F1 has a pole but c (1 - 2F1) is finite.
    return 0.5 * (bgNbdExpectedIfAlive({ ...params, b: b - e - 2e-5 }, x, T, t) + bgNbdExpectedIfAlive({ ...params, b: b - e + 2e-5 }, x, T, t));
  }
  const f = hyp2f1(r + x, a - 1, a + b + x - 1, -t / (alpha + T));
  return ((a + b + x - 1) / (a - 1)) * (1 - f);
}

/** FHL 2005 eq. (10): E[Y(t) | x, t_x, T], expected purchases in the next t time units. */
export function bgNbdConditionalExpectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  return bgNbdPAlive(params, x, tx, T) * bgNbdExpectedIfAlive(params, x, T, t);
}

/** Largest z = t/(alpha+T+t) for which the predictor sums its cached series (beyond: hyp2f1). */
const PREDICTOR_MAX_Z = 0.9;

/**
 * Fast evaluation of bgNbdExpectedIfAlive for many (x, T, t): after the Pfaff
 * transformation the series
 *   2F1(r+x, a-1; c; -t/(alpha+T)) = (1 + t/(alpha+T))^(1-a) sum_k g_k z^k,
 *   g_k = (a-1)_k (a+b-1-r)_k / ((c)_k k!),  c = a+b+x-1,  z = t/(alpha+T+t),
 * has coefficients that depend on x only, so their ratios are computed once per x
 * and each evaluation is a multiply-add per term. For a - 1 < 0 every term after the
 * first has the same sign, so there is no cancellation. Cases outside the safe
 * region (z > 0.9, a within 1e-5 of 1, c < 0.5, or a - 1 > r + x) use the general
 * bgNbdExpectedIfAlive / hyp2f1.
 */
export class BgNbdPredictor {
  private readonly ratios = new Map<number, Float64Array>();

  constructor(readonly params: BgNbdParams) {}

  private ratiosFor(x: number, needed: number): Float64Array {
    let r = this.ratios.get(x);
    if (r && r.length >= needed) return r;
    const { a, b } = this.params;
    const p1 = a - 1;
    const p2 = a + b - 1 - this.params.r;
    const c = a + b + x - 1;
    const n = Math.max(needed, r ? r.length * 2 : 64);
    r = new Float64Array(n);
    for (let k = 0; k < n; k++) r[k] = ((p1 + k) * (p2 + k)) / ((c + k) * (k + 1));
    this.ratios.set(x, r);
    return r;
  }

  /** Expected purchases in (T, T + t] if alive; same value as bgNbdExpectedIfAlive. */
  expectedIfAlive(x: number, T: number, t: number): number {
    if (t <= 0) return 0;
    const { r, alpha, a, b } = this.params;
    const c = a + b + x - 1;
    const z = t / (alpha + T + t);
    if (z > PREDICTOR_MAX_Z || Math.abs(a - 1) < 1e-5 || c < 0.5 || a - 1 > r + x) {
      return bgNbdExpectedIfAlive(this.params, x, T, t);
    }
    let ratios = this.ratiosFor(x, 64);
    let term = 1;
    let sum = 1;
    let absSum = 1;
    for (let k = 0; ; k++) {
      if (k >= ratios.length) {
        if (k > 100_000) return bgNbdExpectedIfAlive(this.params, x, T, t);
        ratios = this.ratiosFor(x, k * 2);
      }
      const ratio = ratios[k] * z;
      term *= ratio;
      sum += term;
      const absTerm = Math.abs(term);
      absSum += absTerm;
      if (term === 0) break;
      const absRatio = Math.abs(ratio);
      if (absRatio < 1 && absTerm <= 1e-17 * absSum * (1 - absRatio)) break;
    }
    // F = (1 - z)^(a-1) sum, since 1 + t/(alpha+T) = 1/(1 - z).
    const f = Math.exp((a - 1) * Math.log1p(-z)) * sum;
    return (c / (a - 1)) * (1 - f);
  }
}
