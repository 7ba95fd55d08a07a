const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(x) for x > 0 (reflection below 0.5). Stirling's series for large x keeps full precision there. */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  if (x >= 15) {
    const inv = 1 / x;
    const inv2 = inv * inv;
    const series =
      inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function digamma(x: number): number {
  let acc = 0;
  let v = x;
  while (v < 12) {
    acc -= 1 / v;
    v += 1;
  }
  const inv = 1 / v;
  const inv2 = inv * inv;
  return (
    acc +
    Math.log(v) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

const HYP2F1_MAX_TERMS = 200_000;

function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
  }
  return sum;
}

/**
 * Gauss 2F1(a, b; c; z) for 0 <= z < 1. The direct series has terms ~ n^(a+b-c-1) z^n, so when
 * a+b-c > 0 it converges slowly near z = 1; Euler's transformation
 * 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) turns the exponent into c-a-b-1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  if (a + b - c > 0) return Math.pow(1 - z, c - a - b) * hyp2f1Series(c - a, c - b, c, z);
  return hyp2f1Series(a, b, c, z);
}

/** Same as hyp2f1 but returns (1-z)^k · 2F1(a,b;c;z), folding the Euler prefactor in log space. */
export function scaledHyp2f1(k: number, a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  const log1mz = Math.log1p(-z);
  if (a + b - c > 0) return Math.exp((k + c - a - b) * log1mz) * hyp2f1Series(c - a, c - b, c, z);
  return Math.exp(k * log1mz) * hyp2f1Series(a, b, c, z);
}
