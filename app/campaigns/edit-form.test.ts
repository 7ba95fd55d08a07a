import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { nextFreeCode } from "./duplicate.server";
import { planEdit, revertInput, type EditableCampaign } from "./edit-form";

const now = new Date("2026-06-01T12:00:00Z");
const live: EditableCampaign = {
  discount: "percentage",
  value: 10,
  title: "Spring",
  startsAt: new Date("2026-05-01T00:00:00Z"),
  endsAt: new Date("2026-07-01T00:00:00Z"),
  endedAt: null,
  usageLimit: null,
  oncePerCustomer: true,
  combinesOrder: false,
  combinesProduct: false,
  combinesShipping: true,
};
const same = { title: "Spring", value: 10, endsAt: live.endsAt, usageLimit: null, oncePerCustomer: true, combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true } };

describe("planning an edit of a live campaign", () => {
  it("sends Shopify only what changed, with percentages as fractions, and can set it all back", () => {
    const result = planEdit(live, { ...same, value: 15, usageLimit: 100 }, now);
    expect(result).toEqual({ ok: true, plan: { changes: { value: 15, usageLimit: 100 }, shopify: { usageLimit: 100, customerGets: { value: { percentage: 0.15 } } } } });
    if (result.ok) expect(revertInput(live, result.plan)).toEqual({ usageLimit: null, customerGets: { value: { percentage: 0.1 } } });
    expect(planEdit(live, same, now)).toEqual({ ok: true, plan: { changes: {}, shopify: {} } });
  });

  it("refuses an end in the past, a value out of range, and any edit of an ended campaign", () => {
    const english = (result: ReturnType<typeof planEdit>) => (result.ok ? result : { ok: false, errors: Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, v && translate("en", v)])) });
    expect(english(planEdit(live, { ...same, endsAt: new Date("2026-05-31T00:00:00Z") }, now))).toEqual({ ok: false, errors: { endsAt: "The end must be in the future" } });
    expect(english(planEdit(live, { ...same, value: 101 }, now))).toEqual({ ok: false, errors: { value: "A percentage cannot exceed 100" } });
    expect(english(planEdit({ ...live, discount: "free_shipping", value: null }, { ...same, value: 5 }, now))).toEqual({ ok: false, errors: { value: "Free shipping has no value to change." } });
    expect(english(planEdit({ ...live, endedAt: new Date("2026-05-20T00:00:00Z") }, same, now))).toMatchObject({ ok: false, errors: { form: expect.stringMatching(/has ended/) } });
  });
});

describe("duplicate codes", () => {
  it("picks the first free numbered code, replacing the original's number", () => {
    expect(nextFreeCode("spring", new Set())).toBe("SPRING-2");
    expect(nextFreeCode("SPRING-2", new Set(["SPRING-2", "SPRING-3"]))).toBe("SPRING-4");
    expect(nextFreeCode("X".repeat(64), new Set())).toHaveLength(64);
  });
});
