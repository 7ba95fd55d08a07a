export type Objective = (x: Float64Array) => number;
/** Writes ∇f(x) into `grad` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export type OptimizeStatus = "converged" | "max_iterations" | "line_search_failed" | "non_finite";

export interface OptimizeResult {
  x: Float64Array;
  value: number;
  status: OptimizeStatus;
  iterations: number;
  evaluations: number;
}

export interface BfgsOptions {
  maxIterations?: number;
  /** Stop when the largest gradient component is below gradientTolerance · max(1, |f|). */
  gradientTolerance?: number;
}

export function numericGradient(f: Objective): ObjectiveWithGradient {
  return (x, grad) => {
    const probe = Float64Array.from(x);
    for (let i = 0; i < x.length; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[i]));
      probe[i] = x[i] + h;
      const up = f(probe);
      probe[i] = x[i] - h;
      const down = f(probe);
      probe[i] = x[i];
      grad[i] = (up - down) / (2 * h);
    }
    return f(x);
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** BFGS on the inverse Hessian with a backtracking (Armijo) line search. */
export function minimizeBfgs(
  fg: ObjectiveWithGradient,
  start: ArrayLike<number>,
  options: BfgsOptions = {},
): OptimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-10;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, value: f, status: "non_finite", iterations: 0, evaluations };

  const H = new Float64Array(n * n);
  const resetH = (scale: number) => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1 / Math.max(1, maxAbs(g)));
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let stalls = 0;

  for (let iter = 1; iter <= maxIterations; iter++) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f))) {
      return { x, value: f, status: "converged", iterations: iter - 1, evaluations };
    }
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      d[i] = v;
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      resetH(1 / Math.max(1, maxAbs(g)));
      for (let i = 0; i < n; i++) d[i] = -H[i * n + i] * g[i];
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // Minimiser of the quadratic through f, the slope and fNew, kept within [0.1, 0.5] of the step.
      const interpolated = Number.isFinite(fNew) ? (-slope * step * step) / (2 * (fNew - f - slope * step)) : 0;
      step = Math.min(0.5 * step, Math.max(0.1 * step, interpolated));
    }
    if (!accepted) {
      return { x, value: f, status: "line_search_failed", iterations: iter, evaluations };
    }
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (iter === 1 && sy > 0) resetH(sy / dot(y, y));
    if (sy > 1e-300) {
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] +=
            rho * ((1 + rho * yHy) * s[i] * s[j] - Hy[i] * s[j] - s[i] * Hy[j]);
        }
      }
    }
    const improvement = f - fNew;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    stalls = improvement <= 1e-15 * Math.max(1, Math.abs(f)) ? stalls + 1 : 0;
    if (stalls >= 3) return { x, value: f, status: "converged", iterations: iter, evaluations };
  }
  return { x, value: f, status: "max_iterations", iterations: maxIterations, evaluations };
}

export interface NelderMeadOptions {
  maxIterations?: number;
  tolerance?: number;
  initialStep?: number;
}

/** Nelder–Mead with the standard coefficients (reflect 1, expand 2, contract ½, shrink ½). */
export function minimizeNelderMead(
  f: Objective,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): OptimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 5000 * n;
  const tol = options.tolerance ?? 1e-12;
  const step = options.initialStep ?? 0.5;
  const points: Float64Array[] = [];
  const values: number[] = [];
  let evaluations = 0;
  const evaluate = (p: Float64Array) => {
    evaluations++;
    const v = f(p);
    return Number.isFinite(v) ? v : Infinity;
  };
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(start);
    if (i > 0) p[i - 1] += step;
    points.push(p);
    values.push(evaluate(p));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, towards: Float64Array, coef: number) => {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = from[i] + coef * (towards[i] - from[i]);
    return p;
  };
  for (let iter = 1; iter <= maxIterations; iter++) {
    order.sort((i, j) => values[i] - values[j] || i - j);
    const best = order[0];
    const worst = order[n];
    const secondWorst = order[n - 1];
    const spread = Math.abs(values[worst] - values[best]);
    let size = 0;
    for (let k = 1; k <= n; k++) {
      for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(points[order[k]][i] - points[best][i]));
    }
    if (spread <= tol * Math.max(1, Math.abs(values[best])) && size <= 1e-9) {
      return { x: points[best], value: values[best], status: "converged", iterations: iter, evaluations };
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) centroid[i] += points[order[k]][i] / n;
    }
    const reflected = trial(centroid, points[worst], -1);
    const fr = evaluate(reflected);
    if (fr < values[best]) {
      const expanded = trial(centroid, points[worst], -2);
      const fe = evaluate(expanded);
      if (fe < fr) {
        points[worst] = expanded;
        values[worst] = fe;
      } else {
        points[worst] = reflected;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[secondWorst]) {
      points[worst] = reflected;
      values[worst] = fr;
      continue;
    }
    const outside = fr < values[worst];
    const contracted = trial(centroid, outside ? reflected : points[worst], 0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[worst])) {
      points[worst] = contracted;
      values[worst] = fc;
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const idx = order[k];
      points[idx] = trial(points[best], points[idx], 0.5);
      values[idx] = evaluate(points[idx]);
    }
  }
  order.sort((i, j) => values[i] - values[j] || i - j);
  return {
    x: points[order[0]],
    value: values[order[0]],
    status: "max_iterations",
    iterations: maxIterations,
    evaluations,
  };
}
