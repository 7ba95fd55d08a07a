import { translate } from "../i18n/i18n";
import { describe, expect, it } from "vitest";
import { guardrails, NON_DISCOUNT_PERKS, projectCost, selectAudience, verdict, type AudienceCustomer, type DiscountTerms } from "./guardrails";

const customer = (id: number, over: Partial<AudienceCustomer> = {}): AudienceCustomer => ({
  customerId: String(id),
  group: "volume",
  vip: false,
  orders: 4,
  revenue: 400,
  marginRate: 0.3,
  expectedPurchases: 5.2,
  ...over,
});

const terms = (over: Partial<DiscountTerms> = {}): DiscountTerms => ({
  kind: "percentage",
  value: 10,
  shippingCostPerOrder: 8,
  windowDays: 70,
  oncePerCustomer: false,
  usageLimit: null,
  ...over,
});

const ctx = { horizonWeeks: 52, fallbackOrderValue: 50, defaultMarginRate: 0.4 };

describe("projected margin cost", () => {
  it("is expected redemptions × average order × depth, with the margin left", () => {
    // 5.2 purchases a year over 10 weeks (70 days / 364) = 1 redemption each.
    const p = projectCost([customer(1), customer(2)], terms(), ctx);
    expect(p.expectedRedemptions).toBe(2);
    expect(p.averageOrderValue).toBe(100);
    expect(p.discountCost).toBe(20);
    expect(p.marginBefore).toBe(60);
    expect(p.marginAfter).toBe(40);
    expect(p.revenue).toBe(180);
    expect(p.marginRateAfter).toBeCloseTo(40 / 180, 3);
    expect(p.lossMakingCustomers).toBe(0);
  });

  it("counts at most one use per customer when the code is once per customer", () => {
    const p = projectCost([customer(1, { expectedPurchases: 52 })], terms({ oncePerCustomer: true }), ctx);
    expect(p.expectedRedemptions).toBeCloseTo(1 - Math.exp(-10), 2);
  });

  it("caps redemptions at the usage limit", () => {
    const p = projectCost([customer(1), customer(2), customer(3), customer(4)], terms({ usageLimit: 2 }), ctx);
    expect(p.expectedRedemptions).toBe(2);
    expect(p.discountCost).toBe(20);
  });

  it("gives a fixed amount up to the order value and free shipping at the shipping cost", () => {
    expect(projectCost([customer(1, { revenue: 120, orders: 4 })], terms({ kind: "fixed_amount", value: 50 }), ctx).discountCost).toBe(30);
    const shipping = projectCost([customer(1)], terms({ kind: "free_shipping", shippingCostPerOrder: 8 }), ctx);
    expect(shipping.discountCost).toBe(8);
    expect(shipping.revenue).toBe(100);
  });

  it("uses the shop's average order and default margin for customers without orders", () => {
    const p = projectCost([customer(1, { orders: 0, revenue: 0 })], terms(), ctx);
    expect(p.averageOrderValue).toBe(50);
    expect(p.marginBefore).toBe(20);
  });

  it("scales a sampled audience", () => {
    expect(projectCost([customer(1)], terms(), { ...ctx, scale: 10 })).toMatchObject({ customers: 10, expectedRedemptions: 10, discountCost: 100 });
  });
});

describe("guardrails", () => {
  const railsFor = (customers: AudienceCustomer[], over: Partial<DiscountTerms> = {}, extra: { audience?: "group" | "customers" | "all"; excludeVolume?: boolean; controlShare?: number } = {}) => {
    const projection = projectCost(customers, terms(over), ctx);
    return guardrails({
      audience: extra.audience ?? "group",
      customers,
      volumeBeforeExclusion: customers.filter((c) => c.group === "volume").length,
      excludeVolume: extra.excludeVolume ?? false,
      controlShare: extra.controlShare ?? 0,
      projection,
      currency: "EUR",
    });
  };

  it("blocks a discount that would push margin negative", () => {
    const rails = railsFor([customer(1), customer(2)], { value: 40 });
    expect(rails.map((r) => r.code)).toContain("margin_negative");
    expect(verdict(rails)).toBe("block");
  });

  it("warns when some customers would buy at a loss but the campaign keeps a margin", () => {
    const rails = railsFor([customer(1, { marginRate: 0.05 }), customer(2, { marginRate: 0.6 })], { value: 20 });
    expect(rails.find((r) => r.code === "loss_making_customers")?.message).toEqual({ key: "guardrails.lossMaking", values: { losing: 1, customers: 2 } });
    expect(verdict(rails)).toBe("warn");
  });

  it("warns about valued and VIP customers and suggests perks that are not discounts", () => {
    const rails = railsFor([customer(1, { group: "valued", marginRate: 0.6 }), customer(2, { group: "occasional", vip: true, marginRate: 0.6 })]);
    const valued = rails.find((r) => r.code === "valued_in_audience");
    expect(valued?.severity).toBe("warning");
    expect(valued?.message && translate("en", valued.message)).toMatch(/^2 valued or VIP customers/);
    expect(valued?.suggestions).toEqual(NON_DISCOUNT_PERKS);
  });

  it("warns about volume customers in a broad promotion unless they are excluded", () => {
    const audience = [customer(1, { group: "occasional", marginRate: 0.6 }), customer(2, { group: "volume", marginRate: 0.6 })];
    expect(railsFor(audience, {}, { audience: "all" }).map((r) => r.code)).toContain("volume_in_broad_promotion");
    const kept = selectAudience(audience, true);
    expect(kept.map((c) => c.customerId)).toEqual(["1"]);
    expect(railsFor(kept, {}, { audience: "all", excludeVolume: true }).map((r) => r.code)).not.toContain("volume_in_broad_promotion");
    expect(verdict(railsFor(kept, {}, { audience: "all", excludeVolume: true }))).toBe("ok");
  });

  it("does not call a volume group campaign a broad promotion", () => {
    expect(railsFor([customer(1, { marginRate: 0.6 })]).map((r) => r.code)).not.toContain("volume_in_broad_promotion");
  });

  it("blocks an empty audience and notes a control group too small to measure", () => {
    expect(verdict(railsFor([]))).toBe("block");
    const rails = railsFor([customer(1, { marginRate: 0.6 })], {}, { controlShare: 0.1 });
    expect(rails.find((r) => r.code === "control_too_small")?.severity).toBe("info");
  });
});
