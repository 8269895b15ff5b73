/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
 * Curves for Customer Base Analysis"; Colombo & Jiang 1999). Fitted on repeat
 * buyers: x = number of repeat purchases, zbar = their mean spend (the first
 * purchase is excluded).
 */
import { digamma, lnGamma } from './special';
import { minimizeBfgs, nelderMead } from './optimize';
import type { GammaGammaParams } from './types';

export interface SpendSummary {
  x: number;
  zbar: number;
}

/** Spend summaries in typed arrays, with the distinct repeat counts indexed once. */
export interface CompressedSpend {
  n: number;
  xIndex: Int32Array;
  logZ: Float64Array;
  xz: Float64Array;
  xValues: Float64Array;
  logX: Float64Array;
}

export function compressSpend(rows: readonly SpendSummary[]): CompressedSpend {
  const xMap = new Map<number, number>();
  const xValues: number[] = [];
  const n = rows.length;
  const xIndex = new Int32Array(n);
  const logZ = new Float64Array(n);
  const xz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { x, zbar } = rows[i];
    let k = xMap.get(x);
    if (k === undefined) {
      k = xValues.length;
      xValues.push(x);
      xMap.set(x, k);
    }
    xIndex[i] = k;
    logZ[i] = Math.log(zbar);
    xz[i] = x * zbar;
  }
  return { n, xIndex, logZ, xz, xValues: Float64Array.from(xValues), logX: Float64Array.from(xValues, Math.log) };
}

/**
 * Total log-likelihood and gradient in (p, q, v):
 * ln f(zbar | x) = ln G(px+q) - ln G(px) - ln G(q) + q ln v + (px-1) ln zbar + px ln x - (px+q) ln(x zbar + v).
 */
export function gammaGammaLogLikelihood(data: CompressedSpend | readonly SpendSummary[], params: GammaGammaParams, wantGradient = true): { value: number; gradient: [number, number, number] } {
  const d = 'xIndex' in data ? data : compressSpend(data);
  const { p, q, v } = params;
  const lnGq = lnGamma(q);
  const psiQ = wantGradient ? digamma(q) : 0;
  const logV = Math.log(v);
  const nx = d.xValues.length;
  // Per distinct x, the gamma terms (x takes few distinct values).
  const cX = new Float64Array(nx);
  const dpX = new Float64Array(nx);
  const dqX = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = d.xValues[k];
    const px = p * x;
    const psiPxQ = wantGradient ? digamma(px + q) : 0;
    cX[k] = lnGamma(px + q) - lnGamma(px) - lnGq + q * logV + px * d.logX[k];
    if (wantGradient) {
      dpX[k] = x * (psiPxQ - digamma(px) + d.logX[k]);
      dqX[k] = psiPxQ - psiQ + logV;
    }
  }
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  const { xIndex, logZ, xz, xValues } = d;
  for (let i = 0; i < d.n; i++) {
    const k = xIndex[i];
    const x = xValues[k];
    const px = p * x;
    const s = xz[i] + v;
    const logS = Math.log(s);
    ll += cX[k] + (px - 1) * logZ[i] - (px + q) * logS;
    if (wantGradient) {
      gp += dpX[k] + x * (logZ[i] - logS);
      gq += dqX[k] - logS;
      gv += q / v - (px + q) / s;
    }
  }
  return { value: ll, gradient: [gp, gq, gv] };
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  /** Repeat buyers the fit used (x >= 1 and a positive mean spend). */
  customers: number;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

const LOG_BOUND = Math.log(1e7);

/**
 * Ridge penalty lambda ((ln p)^2 + (ln q)^2) on the total log-likelihood, as for BG/NBD:
 * keeps the fit finite when every order has (nearly) the same amount (p, q, v -> infinity).
 */
export const GAMMA_GAMMA_RIDGE = 1e-3;

/**
 * Maximum-likelihood fit on log-parameters (with the tiny ridge GAMMA_GAMMA_RIDGE),
 * starting from p = 1, q = 2, v = mean zbar;
 * BFGS with the analytic gradient, Nelder-Mead as fallback. Rows with x < 1 or
 * zbar <= 0 are ignored. Returns undefined when there is nothing to fit or the
 * optimum runs off to the parameter bounds (e.g. every order has the same amount,
 * which leaves no spend heterogeneity to estimate).
 */
export function fitGammaGamma(input: readonly SpendSummary[], prior?: { center: number[]; sd: number[]; weight: number }): GammaGammaFit | undefined {
  const rows = input.filter((s) => s.x >= 1 && s.zbar > 0 && Number.isFinite(s.zbar));
  if (rows.length === 0) return undefined;
  const n = rows.length;
  const meanZ = rows.reduce((s, r) => s + r.zbar, 0) / n;
  const data = compressSpend(rows);
  const toParams = (t: number[]): GammaGammaParams => ({ p: Math.exp(t[0]), q: Math.exp(t[1]), v: Math.exp(t[2]) });
  const fg = (t: number[]) => {
    if (t.some((v) => Math.abs(v) > LOG_BOUND + 5)) return { value: Infinity, gradient: [NaN, NaN, NaN] };
    const p = toParams(t);
    const { value, gradient } = gammaGammaLogLikelihood(data, p);
    let penalty = GAMMA_GAMMA_RIDGE * (t[0] * t[0] + t[1] * t[1]);
    const g = [-gradient[0] * p.p + 2 * GAMMA_GAMMA_RIDGE * t[0], -gradient[1] * p.q + 2 * GAMMA_GAMMA_RIDGE * t[1], -gradient[2] * p.v];
    if (prior) {
      for (let i = 0; i < 3; i++) {
        const z = (t[i] - prior.center[i]) / prior.sd[i];
        penalty += (prior.weight * z * z) / 2;
        g[i] += (prior.weight * z) / prior.sd[i];
      }
    }
    return { value: (-value + penalty) / n, gradient: g.map((v) => v / n) };
  };
  const start = prior ? [...prior.center] : [0, Math.log(2), Math.log(meanZ)];
  let result = minimizeBfgs(fg, start);
  if (!Number.isFinite(result.value)) result = nelderMead((t) => fg(t).value, start, { initialStep: 0.5 });
  if (!Number.isFinite(result.value) || result.x.some((v) => !Number.isFinite(v) || Math.abs(v) > LOG_BOUND)) {
    return undefined;
  }
  const params = toParams(result.x);
  return {
    params,
    customers: n,
    logLikelihood: gammaGammaLogLikelihood(data, params, false).value,
    converged: result.converged,
    iterations: result.iterations,
  };
}

/**
 * E[spend per purchase | x, zbar] = p (v + x zbar) / (p x + q - 1)  (needs q > 1);
 * for x = 0 this is the population mean p v / (q - 1).
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, v } = params;
  return (p * (v + x * zbar)) / (p * x + q - 1);
}
