import { describe, expect, it } from "vitest";
import { minimizeBfgs, minimizeNelderMead, numericGradient } from "./optimize";

const rosenbrock = (x: Float64Array) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;

describe("optimisers", () => {
  it("BFGS with numeric gradients finds the Rosenbrock minimum", () => {
    const result = minimizeBfgs(numericGradient(rosenbrock), [-1.2, 1], { gradientTolerance: 1e-9 });
    expect(result.status).toBe("converged");
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });

  it("Nelder–Mead finds the Rosenbrock minimum deterministically", () => {
    const first = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    const second = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(first.status).toBe("converged");
    expect(first.x[0]).toBeCloseTo(1, 5);
    expect(Array.from(second.x)).toEqual(Array.from(first.x));
  });

  it("reports a non-finite start instead of looping", () => {
    const result = minimizeBfgs(numericGradient(() => NaN), [0]);
    expect(result.status).toBe("non_finite");
  });
});
