/**
 * Small unconstrained minimisers used to fit the lifetime-value models.
 *
 * - `minimizeBfgs`: quasi-Newton BFGS with an analytic gradient and a backtracking
 *   (Armijo, at most 40 halvings) line search. Stops when the gradient's largest
 *   component is below `gradTol`, or an iteration gains less than `fTol` relative, or
 *   ten iterations together gain less than 10 `fTol` (a flat ridge). Used for BG/NBD and Gamma-Gamma, whose log-likelihood
 *   gradients are cheap closed forms; on log-parameters it converges in a few dozen
 *   iterations. Restart: when it stops, it is restarted once from the solution with
 *   a fresh (identity-scaled) inverse Hessian, and again while that still improves
 *   the objective by more than `fTol`, so a stale curvature estimate cannot end the
 *   search early.
 * - `nelderMead`: derivative-free simplex method (coefficients 1, 2, 0.5, 0.5),
 *   restarted around the best vertex until a restart no longer improves the value by
 *   more than `fTol`. Used as the fallback when BFGS fails (non-finite gradient).
 */

export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export interface BfgsOptions {
  maxIterations?: number;
  /** Stop when the largest gradient component is below this (default 1e-9). */
  gradTol?: number;
  /** Stop when an iteration improves the value by less than fTol x (1 + |f|) (default 1e-14). */
  fTol?: number;
  /** Largest step (max norm) taken in one line search, default 5 (log-parameters: a factor e^5). */
  maxStep?: number;
  /** Number of fresh restarts from the solution (default 2). */
  restarts?: number;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: number[]): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function bfgsOnce(fg: (x: number[]) => ValueAndGradient, x0: number[], opts: Required<BfgsOptions>): MinimizeResult & { evaluations: number } {
  const n = x0.length;
  let x = x0.slice();
  let cur = fg(x);
  let evaluations = 1;
  if (!Number.isFinite(cur.value) || !cur.gradient.every(Number.isFinite)) {
    return { x, value: cur.value, iterations: 0, evaluations, converged: false };
  }
  // Inverse Hessian approximation, row-major.
  let H = identity(n);
  let firstUpdate = true;
  let iterations = 0;
  let converged = false;
  const history: number[] = [];
  for (; iterations < opts.maxIterations; iterations++) {
    const g = cur.gradient;
    if (maxAbs(g) < opts.gradTol) {
      converged = true;
      break;
    }
    let p = matVec(H, g).map((v) => -v);
    let slope = dot(g, p);
    if (!(slope < 0)) {
      H = identity(n);
      p = g.map((v) => -v);
      slope = dot(g, p);
    }
    const pMax = maxAbs(p);
    let step = pMax > opts.maxStep ? opts.maxStep / pMax : 1;
    let next: ValueAndGradient | undefined;
    let xNext: number[] = x;
    for (let k = 0; k < 40; k++) {
      xNext = x.map((v, i) => v + step * p[i]);
      const trial = fg(xNext);
      evaluations++;
      if (Number.isFinite(trial.value) && trial.gradient.every(Number.isFinite) && trial.value <= cur.value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step *= 0.5;
    }
    if (!next) {
      // No acceptable step: we are at the optimum to machine precision (or stuck).
      converged = maxAbs(cur.gradient) < Math.sqrt(opts.gradTol);
      break;
    }
    const s = xNext.map((v, i) => v - x[i]);
    const y = next.gradient.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    const improvement = cur.value - next.value;
    x = xNext;
    cur = next;
    if (sy > 1e-16) {
      if (firstUpdate) {
        // Scale the initial inverse Hessian (Nocedal & Wright 6.20).
        const scale = sy / dot(y, y);
        H = identity(n).map((row) => row.map((v) => v * scale));
        firstUpdate = false;
      }
      H = bfgsUpdate(H, s, y, sy);
    }
    if (improvement >= 0 && improvement <= opts.fTol * (1 + Math.abs(cur.value)) && maxAbs(cur.gradient) < 1e-5) {
      converged = true;
      iterations++;
      break;
    }
    // A flat valley (parameters drifting along a ridge without gain): stop when ten
    // iterations together improved the value by less than 10 fTol (1 + |f|).
    history.push(cur.value);
    if (history.length > 10) {
      const gain = history[history.length - 11] - cur.value;
      if (gain <= 10 * opts.fTol * (1 + Math.abs(cur.value))) {
        converged = true;
        iterations++;
        break;
      }
    }
  }
  return { x, value: cur.value, iterations, evaluations, converged };
}

/** BFGS minimisation of a function with an analytic gradient; see the module comment. */
export function minimizeBfgs(fg: (x: number[]) => ValueAndGradient, x0: number[], options: BfgsOptions = {}): MinimizeResult {
  const opts: Required<BfgsOptions> = {
    maxIterations: options.maxIterations ?? 1000,
    gradTol: options.gradTol ?? 1e-9,
    fTol: options.fTol ?? 1e-14,
    maxStep: options.maxStep ?? 5,
    restarts: options.restarts ?? 2,
  };
  let best = bfgsOnce(fg, x0, opts);
  let iterations = best.iterations;
  let evaluations = best.evaluations;
  for (let r = 0; r < opts.restarts && Number.isFinite(best.value); r++) {
    const again = bfgsOnce(fg, best.x, opts);
    iterations += again.iterations;
    evaluations += again.evaluations;
    const gain = best.value - again.value;
    if (again.value <= best.value) best = { ...again, converged: again.converged || best.converged };
    if (!(gain > opts.fTol * (1 + Math.abs(best.value)))) break;
  }
  return { x: best.x, value: best.value, iterations, evaluations, converged: best.converged };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
}

function matVec(M: number[][], v: number[]): number[] {
  return M.map((row) => dot(row, v));
}

/** H+ = (I - rho s y') H (I - rho y s') + rho s s', rho = 1 / (y's). */
function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): number[][] {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = matVec(H, y);
  const yHy = dot(y, Hy);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      row.push(H[i][j] - rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j]);
    }
    out.push(row);
  }
  return out;
}

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the spread of values over the simplex is below this (default 1e-12). */
  fTol?: number;
  /** ... and the simplex's extent is below this in every coordinate (default 1e-10). */
  xTol?: number;
  /** Initial simplex edge: x0_i + step (default 0.1, suited to log-parameters). */
  initialStep?: number;
  /** Maximum number of restarts around the best vertex (default 5). */
  restarts?: number;
}

function nelderMeadOnce(f: (x: number[]) => number, x0: number[], opts: Required<NelderMeadOptions>): MinimizeResult {
  const n = x0.length;
  const val = (x: number[]): number => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  let evaluations = 0;
  const simplex: { x: number[]; f: number }[] = [];
  simplex.push({ x: x0.slice(), f: val(x0) });
  evaluations++;
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += opts.initialStep;
    simplex.push({ x, f: val(x) });
    evaluations++;
  }
  let iterations = 0;
  let converged = false;
  for (; iterations < opts.maxIterations; iterations++) {
    simplex.sort((p, q) => p.f - q.f);
    const best = simplex[0];
    const worst = simplex[n];
    let spreadF = 0;
    let spreadX = 0;
    for (let i = 1; i <= n; i++) {
      spreadF = Math.max(spreadF, Math.abs(simplex[i].f - best.f));
      for (let j = 0; j < n; j++) spreadX = Math.max(spreadX, Math.abs(simplex[i].x[j] - best.x[j]));
    }
    if (spreadF <= opts.fTol && spreadX <= opts.xTol) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const xr = along(-1);
    const fr = val(xr);
    evaluations++;
    if (fr < best.f) {
      const xe = along(-2);
      const fe = val(xe);
      evaluations++;
      simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
    } else if (fr < simplex[n - 1].f) {
      simplex[n] = { x: xr, f: fr };
    } else {
      const outside = fr < worst.f;
      const xc = along(outside ? -0.5 : 0.5);
      const fc = val(xc);
      evaluations++;
      if (fc < (outside ? fr : worst.f)) {
        simplex[n] = { x: xc, f: fc };
      } else {
        for (let i = 1; i <= n; i++) {
          const x = simplex[i].x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]));
          simplex[i] = { x, f: val(x) };
          evaluations++;
        }
      }
    }
  }
  simplex.sort((p, q) => p.f - q.f);
  return { x: simplex[0].x, value: simplex[0].f, iterations, evaluations, converged };
}

/** Nelder-Mead minimisation with restarts; see the module comment. */
export function nelderMead(f: (x: number[]) => number, x0: number[], options: NelderMeadOptions = {}): MinimizeResult {
  const opts: Required<NelderMeadOptions> = {
    maxIterations: options.maxIterations ?? 5000,
    fTol: options.fTol ?? 1e-12,
    xTol: options.xTol ?? 1e-10,
    initialStep: options.initialStep ?? 0.1,
    restarts: options.restarts ?? 5,
  };
  let best = nelderMeadOnce(f, x0, opts);
  let iterations = best.iterations;
  let evaluations = best.evaluations;
  for (let r = 0; r < opts.restarts; r++) {
    const again = nelderMeadOnce(f, best.x, opts);
    iterations += again.iterations;
    evaluations += again.evaluations;
    const gain = best.value - again.value;
    if (again.value <= best.value) best = again;
    if (!(gain > opts.fTol)) break;
  }
  return { x: best.x, value: best.value, iterations, evaluations, converged: best.converged };
}
