import { describe, expect, it } from "vitest";
import { assignArm, assignmentPoint, splitAudience } from "./control-group";

describe("control-group assignment", () => {
  it("puts a customer in the same arm every time", () => {
    for (let i = 0; i < 50; i++) {
      const id = String(7_000_000_000_000 + i);
      expect(assignArm("campaign-a", id, 0.1)).toBe(assignArm("campaign-a", id, 0.1));
    }
  });

  it("holds out the requested share within tolerance", () => {
    const customers = Array.from({ length: 20_000 }, (_, i) => ({ customerId: String(9_007_199_254_740_993n + BigInt(i)) }));
    for (const share of [0.1, 0.25, 0.5]) {
      const { control, treatment } = splitAudience("f1d4c8a0-campaign", customers, share);
      expect(control.length + treatment.length).toBe(customers.length);
      // Binomial sd at n = 20,000 is at most 0.0036: 4 sd.
      expect(Math.abs(control.length / customers.length - share)).toBeLessThan(0.015);
    }
  });

  it("draws an independent hold-out for each campaign", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => String(i + 1));
    const a = new Set(splitAudience("campaign-a", ids.map((customerId) => ({ customerId })), 0.1).control.map((c) => c.customerId));
    const b = splitAudience("campaign-b", ids.map((customerId) => ({ customerId })), 0.1).control.filter((c) => a.has(c.customerId));
    // Independent draws overlap in about 1% of customers, not 10%.
    expect(b.length).toBeLessThan(60);
  });

  it("holds out nobody at 0% and never more than half", () => {
    expect(assignArm("c", "1", 0)).toBe("treatment");
    const ids = Array.from({ length: 4000 }, (_, i) => ({ customerId: String(i) }));
    expect(splitAudience("c", ids, 0.9).control.length / ids.length).toBeLessThan(0.53);
    expect(assignmentPoint("c", "1")).toBeGreaterThanOrEqual(0);
    expect(assignmentPoint("c", "1")).toBeLessThan(1);
  });
});
