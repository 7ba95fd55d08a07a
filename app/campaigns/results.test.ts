import { describe, expect, it } from "vitest";
import { computeUplift } from "./results";

const window = { startsAt: new Date("2026-11-01T00:00:00Z"), now: new Date("2026-11-20T00:00:00Z") };

describe("campaign uplift", () => {
  it("compares conversion and revenue per customer between treatment and control", () => {
    const u = computeUplift({ customers: 900, converted: 180, revenue: 27_000 }, { customers: 100, converted: 10, revenue: 1_500 }, window);
    expect(u.state).toBe("measured");
    expect(u.treatment.conversion).toBe(0.2);
    expect(u.control.conversion).toBe(0.1);
    expect(u.conversionUplift).toBe(10);
    expect(u.relativeConversionUplift).toBe(1);
    expect(u.revenuePerCustomerUplift).toBe(15);
    expect(u.incrementalRevenue).toBe(13_500);
    // Pooled p = 0.19; se = sqrt(0.19 × 0.81 × (1/900 + 1/100)) = 0.04135.
    expect(u.z).toBeCloseTo(0.1 / 0.04135, 2);
    expect(u.significant).toBe(true);
  });

  it("reports a difference inside the noise as not significant", () => {
    const u = computeUplift({ customers: 90, converted: 12, revenue: 1_200 }, { customers: 40, converted: 4, revenue: 380 }, window);
    expect(u.state).toBe("measured");
    expect(u.significant).toBe(false);
  });

  it("says there is not enough data with too few customers or conversions", () => {
    expect(computeUplift({ customers: 200, converted: 50, revenue: 1 }, { customers: 12, converted: 2, revenue: 1 }, window)).toMatchObject({
      state: "not_enough_data",
      conversionUplift: null,
      note: { key: "campaigns.uplift.tooFewCustomers", values: { needed: 30 } },
    });
    expect(computeUplift({ customers: 300, converted: 5, revenue: 1 }, { customers: 40, converted: 1, revenue: 1 }, window).state).toBe("not_enough_data");
  });

  it("has no uplift without a control group, or before the campaign starts", () => {
    expect(computeUplift({ customers: 300, converted: 50, revenue: 1 }, { customers: 0, converted: 0, revenue: 0 }, window).state).toBe("no_control");
    expect(computeUplift({ customers: 300, converted: 0, revenue: 0 }, { customers: 40, converted: 0, revenue: 0 }, { ...window, now: new Date("2026-10-01T00:00:00Z") }).state).toBe("not_started");
  });
});
