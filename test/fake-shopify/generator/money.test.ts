import { describe, expect, it } from "vitest";
import { allocate, formatCents, parseCents } from "./money";
import { Rng } from "./rng";

describe("money in cents", () => {
  it("formats and parses two-decimal strings without drift", () => {
    for (const cents of [0, 1, 9, 10, 99, 100, 105, 1999, 123456789]) {
      expect(parseCents(formatCents(cents))).toBe(cents);
    }
    expect(formatCents(1005)).toBe("10.05");
  });

  it("splits an amount exactly, never giving a share more than its weight", () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 500; trial++) {
      const weights = Array.from({ length: rng.int(1, 6) }, () => rng.int(1, 50_000));
      const total = rng.int(0, weights.reduce((s, w) => s + w, 0));
      const shares = allocate(total, weights);
      expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
      shares.forEach((share, i) => expect(share).toBeLessThanOrEqual(weights[i]));
    }
  });
});
