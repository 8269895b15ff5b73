import * as assert from 'node:assert/strict';
import { digamma, hyp2f1, hyp2f1Series, hyp2f1WithError, lnGamma } from '../../../../src/domain/ltv/special';
import { minimizeBfgs, nelderMead } from '../../../../src/domain/ltv/optimize';
import { BgNbdPredictor, bgNbdExpectedIfAlive } from '../../../../src/domain/ltv/bgnbd';
import { addMonthsToDay, dayNumber, dayString } from '../../../../src/domain/ltv/days';

function close(actual: number, expected: number, relTol: number, label = ''): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= relTol, `${label} expected ${expected}, got ${actual} (relative error ${err.toExponential(2)} > ${relTol})`);
}

function closeAbs(actual: number, expected: number, absTol: number, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= absTol, `${label} expected ${expected}, got ${actual}`);
}

describe('ltv numerics: log-gamma and digamma', () => {
  it('matches known values of ln Gamma', () => {
    // Reference values: Python math.lgamma / closed forms.
    closeAbs(lnGamma(1), 0, 1e-15);
    closeAbs(lnGamma(2), 0, 1e-15);
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'lnGamma(0.5)');
    close(lnGamma(3.5), 1.2009736023470738, 1e-14, 'lnGamma(3.5)');
    close(lnGamma(10), Math.log(362880), 1e-14, 'lnGamma(10)');
    close(lnGamma(100), 359.1342053695754, 1e-14, 'lnGamma(100)');
    close(lnGamma(171.5), 709.1431630309282, 1e-14, 'lnGamma(171.5)');
    close(lnGamma(1e6), 12815504.569147611, 1e-14, 'lnGamma(1e6)');
    close(lnGamma(1e-8), 18.42068073818021, 1e-14, 'lnGamma(1e-8)');
    close(lnGamma(0.001), 6.907178885383854, 1e-14, 'lnGamma(0.001)');
    close(lnGamma(-0.5), 1.265512123484645, 1e-14, 'lnGamma(-0.5)');
    close(lnGamma(-2.5), -0.05624371649767457, 1e-12, 'lnGamma(-2.5)');
    assert.equal(lnGamma(0), Infinity);
    assert.equal(lnGamma(-3), Infinity);
    // Recurrence ln Gamma(x + 1) = ln Gamma(x) + ln x across the reflection boundary.
    for (const x of [0.1, 0.37, 0.49, 0.51, 1.7, 25.3]) closeAbs(lnGamma(x + 1), lnGamma(x) + Math.log(x), 1e-13, `recurrence ${x}`);
  });

  it('matches known values of digamma', () => {
    close(digamma(1), -0.5772156649015329, 1e-14, 'psi(1)');
    close(digamma(0.5), -1.9635100260214235, 1e-14, 'psi(0.5)');
    close(digamma(10), 2.251752589066721, 1e-14, 'psi(10)');
    close(digamma(0.001), -1000.5755719318103, 1e-14, 'psi(0.001)');
    close(digamma(-0.5), 0.03648997397857652, 1e-12, 'psi(-0.5)');
    // Derivative of lnGamma.
    for (const x of [0.3, 2.2, 40]) close(digamma(x), (lnGamma(x + 1e-6) - lnGamma(x - 1e-6)) / 2e-6, 1e-7, `psi(${x})`);
  });
});

describe('ltv numerics: Gauss hypergeometric 2F1', () => {
  it('matches closed forms', () => {
    for (const z of [-0.9, -0.3, 0.2, 0.5, 0.8, 0.95, 0.999]) {
      close(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z, 1e-13, `-ln(1-z)/z at ${z}`);
      close(hyp2f1(0.7, 2.3, 2.3, z), Math.pow(1 - z, -0.7), 1e-13, `(1-z)^-a at ${z}`);
    }
    for (const x of [0.3, 0.9, 0.99]) close(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x, 1e-13, `asin at ${x}`);
    for (const x of [0.5, 2, 30]) close(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x, 1e-13, `atan at ${x}`);
    // Gauss's theorem at z = 1 and just below it.
    const gauss = Math.exp(lnGamma(4.2) + lnGamma(0.2) - lnGamma(1.7) - lnGamma(2.7));
    close(hyp2f1(2.5, 1.5, 4.2, 1), gauss, 1e-13, 'Gauss z = 1');
    // mpmath at the double nearest 1 - 1e-12 (the (1 - z)^0.2 term is still visible there).
    close(hyp2f1(2.5, 1.5, 4.2, 1 - 1e-12), 25.218413719949655, 1e-13, 'near z = 1');
    // c - a - b = 0 (logarithmic case): interpolated across the integer, about 1e-10.
    close(hyp2f1(0.25, 0.8, 1.05, 1 - 1e-9), 5.7107281599611355, 1e-9, 'near z = 1, c - a - b = 0');
    // Terminating series (polynomial).
    close(hyp2f1(5, -3, 2, 0.7), 0.09875, 1e-13, 'polynomial');
  });

  it('matches mpmath reference values (30 digits), including z near 1 and z << -1', () => {
    const cases: [number, number, number, number, number][] = [
      [0.3, 2.7, 1.9, 0.9, 3.884720159748044],
      [0.3, 2.7, 1.9, -40, 0.28528196300817554],
      [2.5, 1.5, 4.2, 0.999, 15.826015538568258],
      [1.5, 2.5, 3, -0.5, 0.5985541607176137],
      [0.25, 0.8, 1.05, 0.97, 1.746054409792618],
      [0.2426 + 2, 0.7929 - 1, 0.7929 + 2.4258 + 2 - 1, -39 / (4.4135 + 38.86), 1.0828247807977665],
      [0.24, -0.2, 500.2, -36.0, 1.0033418206086964],
    ];
    for (const [a, b, c, z, ref] of cases) close(hyp2f1(a, b, c, z), ref, 1e-12, `2F1(${a}, ${b}; ${c}; ${z})`);
    // c - a - b an integer (logarithmic case) with z far below -1: interpolation, about 1e-10.
    close(hyp2f1(1, 1, 2, -1e6), 1.3815511557963774e-5, 1e-9, 'log case');
  });

  it('handles large arguments where the naive series overflows or diverges', () => {
    // 2F1(800, 1; 1; -0.9) = 1.9^-800 ~ 1e-223: the naive alternating series sums
    // terms up to ~1e800 (overflow), the Pfaff-transformed one is exact.
    assert.ok(!Number.isFinite(hyp2f1Series(800, 1, 1, -0.9)), 'the naive series overflows');
    close(hyp2f1(800, 1, 1, -0.9), 9.93388750866906e-224, 1e-12, '1.9^-800');
    // The BG/NBD expectation for a heavy buyer (x = 500) in its original form
    // ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t)) has a 2F1 of
    // order 1e1300; after the Pfaff transformation it is 3.258...
    const z = 300 / 301;
    assert.ok(!Number.isFinite(hyp2f1Series(500.2426, 502.4258, 502.2187, z)), 'original form overflows');
    close(hyp2f1(500.2426, 0.7929 - 1, 502.2187, -300), 3.2580475990221403, 1e-12, 'transformed');
    // Divergent for |z| > 1: the naive series gives nonsense.
    assert.ok(!Number.isFinite(hyp2f1Series(1, 1, 2, -50)));
    close(hyp2f1(1, 1, 2, -50), Math.log(51) / 50, 1e-13, 'z = -50');
  });

  it('reports an error estimate', () => {
    const e = hyp2f1WithError(0.3, 2.7, 1.9, 0.9);
    assert.ok(e.err >= 0 && e.err < 1e-12 * Math.abs(e.value));
  });
});

describe('ltv numerics: BG/NBD expectation', () => {
  /** E[Y(t) | alive] = integral over p ~ Beta(a, b+x) of (1 - (1 + p t/(alpha+T))^-(r+x)) / p (Simpson, p = u^(1/a)). */
  function quadrature(r: number, alpha: number, a: number, b: number, x: number, T: number, t: number): number {
    const n = 200_000;
    const lnB = lnGamma(a) + lnGamma(b + x) - lnGamma(a + b + x);
    const k = t / (alpha + T);
    const f = (u: number): number => {
      const p = Math.pow(u, 1 / a);
      const g = p === 0 ? (r + x) * k : -Math.expm1(-(r + x) * Math.log1p(p * k)) / p;
      const w = p >= 1 ? 0 : Math.exp((b + x - 1) * Math.log1p(-p) - lnB) / a;
      return g * w;
    };
    let s = f(0) + f(1);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i / n);
    return s / (3 * n);
  }

  it('agrees with direct numerical integration, from light to very heavy buyers', () => {
    const params = { r: 0.2426, alpha: 30.9, a: 0.7929, b: 2.4258 };
    const predictor = new BgNbdPredictor(params);
    for (const [x, T, t] of [
      [0, 272, 273],
      [2, 272, 273],
      [7, 30, 1096],
      [500, 100, 1096],
    ]) {
      const ref = quadrature(params.r, params.alpha, params.a, params.b, x, T, t);
      close(bgNbdExpectedIfAlive(params, x, T, t), ref, 1e-7, `x=${x} T=${T} t=${t}`);
      close(predictor.expectedIfAlive(x, T, t), ref, 1e-7, `predictor x=${x}`);
    }
  });

  it('the cached predictor equals the general formula', () => {
    for (const params of [
      { r: 0.2426, alpha: 30.9, a: 0.7929, b: 2.4258 },
      { r: 1.5, alpha: 10, a: 2.5, b: 0.6 },
      { r: 0.3, alpha: 100, a: 0.3, b: 0.5 },
      { r: 0.5, alpha: 20, a: 1 + 1e-7, b: 3 },
    ]) {
      const predictor = new BgNbdPredictor(params);
      for (const x of [0, 1, 5, 60]) {
        for (const T of [0, 10, 400]) {
          for (const t of [1, 365, 1096]) {
            const v = predictor.expectedIfAlive(x, T, t);
            assert.ok(Number.isFinite(v) && v >= 0, `finite ${v}`);
            close(v, bgNbdExpectedIfAlive(params, x, T, t), 1e-11, `x=${x} T=${T} t=${t}`);
          }
        }
      }
    }
  });
});

describe('ltv numerics: optimisers', () => {
  const rosen = (v: number[]): number => 100 * (v[1] - v[0] ** 2) ** 2 + (1 - v[0]) ** 2;
  const rosenGrad = (v: number[]): number[] => [-400 * v[0] * (v[1] - v[0] ** 2) - 2 * (1 - v[0]), 200 * (v[1] - v[0] ** 2)];

  it('BFGS finds the minimum of the Rosenbrock function', () => {
    const res = minimizeBfgs((v) => ({ value: rosen(v), gradient: rosenGrad(v) }), [-1.2, 1]);
    assert.ok(res.converged);
    closeAbs(res.x[0], 1, 1e-6);
    closeAbs(res.x[1], 1, 1e-6);
    assert.ok(res.iterations < 200, `${res.iterations} iterations`);
  });

  it('BFGS minimises a 4-d quadratic exactly', () => {
    const c = [1, -2, 3, 0.5];
    const w = [1, 10, 100, 0.1];
    const res = minimizeBfgs((v) => ({ value: v.reduce((s, x, i) => s + w[i] * (x - c[i]) ** 2, 0), gradient: v.map((x, i) => 2 * w[i] * (x - c[i])) }), [0, 0, 0, 0]);
    res.x.forEach((x, i) => closeAbs(x, c[i], 1e-8));
  });

  it('Nelder-Mead finds the minimum of the Rosenbrock function', () => {
    const res = nelderMead(rosen, [-1.2, 1]);
    closeAbs(res.x[0], 1, 1e-5);
    closeAbs(res.x[1], 1, 1e-5);
    assert.ok(res.value < 1e-10);
  });

  it('Nelder-Mead treats NaN as +Infinity', () => {
    const res = nelderMead((v) => (v[0] < 0 ? NaN : (v[0] - 2) ** 2), [1]);
    closeAbs(res.x[0], 2, 1e-5);
  });
});

describe('ltv days', () => {
  it('converts calendar days', () => {
    assert.equal(dayNumber('1970-01-01'), 0);
    assert.equal(dayNumber('1997-09-30') - dayNumber('1997-01-01'), 272);
    assert.equal(dayString(dayNumber('2024-02-29')), '2024-02-29');
    assert.equal(dayString(addMonthsToDay(dayNumber('2024-01-31'), 1)), '2024-02-29');
    assert.equal(dayString(addMonthsToDay(dayNumber('2024-01-31'), 2)), '2024-03-31');
    assert.throws(() => dayNumber('2023-02-29'), RangeError);
    assert.throws(() => dayNumber('1997-9-30'), RangeError);
  });
});
