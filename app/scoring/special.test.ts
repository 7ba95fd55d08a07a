import { describe, expect, it } from "vitest";
import { digamma, hyp2f1, lgamma, logSumExp, scaledHyp2f1 } from "./special";

describe("special functions", () => {
  it("lgamma matches factorials and Γ(1/2) across the Lanczos/Stirling switch", () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgamma(20)).toBeCloseTo(Math.log(121645100408832000), 11);
    expect(lgamma(14.999) - lgamma(15.001)).toBeCloseTo(-0.002 * digamma(15), 8);
  });

  it("digamma satisfies ψ(x+1) = ψ(x) + 1/x and ψ(1) = −γ", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 13);
    expect(digamma(3.3) - digamma(2.3)).toBeCloseTo(1 / 2.3, 13);
  });

  it("logSumExp does not overflow", () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp(-Infinity, 3)).toBe(3);
  });

  it("2F1 agrees with closed forms, including close to z = 1 through Euler's transformation", () => {
    // 2F1(1,1;2;z) = −ln(1−z)/z
    for (const z of [0.1, 0.5, 0.9, 0.999]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 9);
    }
    // 2F1(a,b;b;z) = (1−z)^(−a), with a + b − c > 0 so the transformed series is used
    expect(hyp2f1(3.5, 2, 2, 0.995)).toBeCloseTo(Math.pow(0.005, -3.5), -2);
    expect(scaledHyp2f1(3.5, 3.5, 2, 2, 0.995)).toBeCloseTo(1, 12);
  });
});
