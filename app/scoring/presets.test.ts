import { describe, expect, it } from "vitest";
import { PRESET_NAMES, PRESETS, parseOverrides, resolveConfig, scoringConfigSchema } from "./presets";

describe("scoring presets", () => {
  it("ships a valid configuration for every business model", () => {
    for (const name of PRESET_NAMES) {
      expect(scoringConfigSchema.safeParse(PRESETS[name]).success).toBe(true);
      expect(PRESETS[name].preset).toBe(name);
    }
  });

  it("weighs discounts against value more for luxury than for discount retail", () => {
    expect(PRESETS.luxury.valueWeights.lowDiscount).toBeGreaterThan(PRESETS.discount_retail.valueWeights.lowDiscount);
    expect(PRESETS.luxury.thresholds.maxValuedDiscountShare).toBeLessThan(
      PRESETS.discount_retail.thresholds.maxValuedDiscountShare,
    );
  });

  it("asks for established loyalty in line with each business model's purchase rhythm", () => {
    const t = (name: keyof typeof PRESETS) => PRESETS[name].thresholds;
    // few, large purchases: fewer orders show loyalty, and silence lasts longer before a customer is lapsed
    expect(t("luxury").minValuedOrders).toBeLessThan(t("balanced").minValuedOrders);
    expect(t("b2b").minValuedOrders).toBeLessThan(t("balanced").minValuedOrders);
    expect(t("luxury").lostAfterDays).toBeGreaterThan(t("balanced").lostAfterDays);
    expect(t("b2b").lostAfterDays).toBeGreaterThan(t("luxury").lostAfterDays);
    // frequent, cheap purchases: more of them before valued or volume
    expect(t("discount_retail").minValuedOrders).toBeGreaterThan(t("balanced").minValuedOrders);
    expect(t("discount_retail").minVolumeOrders).toBeGreaterThan(t("balanced").minVolumeOrders);
    // renewals: established sooner, a missed cycle and a lapse noticed sooner
    expect(t("subscription").establishedDays).toBeLessThan(t("balanced").establishedDays);
    expect(t("subscription").overdueGapMultiple).toBeLessThan(t("balanced").overdueGapMultiple);
    expect(t("subscription").lostAfterDays).toBeLessThan(t("balanced").lostAfterDays);
    for (const name of PRESET_NAMES) {
      // a customer can be new, then rising, before they can be established
      expect(t(name).newWindowDays).toBeLessThan(t(name).establishedDays);
    }
  });

  it("merges partial overrides on top of a preset and leaves the preset untouched", () => {
    const result = resolveConfig("luxury", { thresholds: { valuedEnter: 70 }, vip: { mode: "top_n" } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.thresholds.valuedEnter).toBe(70);
    expect(result.config.thresholds.maxValuedDiscountShare).toBe(0.3);
    expect(result.config.vip).toEqual({ mode: "top_n", value: 10 });
    expect(PRESETS.luxury.thresholds.valuedEnter).toBe(60);
  });

  it("rejects unknown keys, out-of-range values and inconsistent thresholds with readable issues", () => {
    const unknownKey = parseOverrides({ thresholds: { valuedEntry: 70 } });
    expect(unknownKey.ok).toBe(false);
    if (!unknownKey.ok) expect(unknownKey.issues[0]).toMatch(/^thresholds/);

    const outOfRange = resolveConfig("balanced", { thresholds: { atRiskPAlive: 1.5 } });
    expect(outOfRange).toMatchObject({ ok: false, issues: [expect.stringMatching(/^thresholds\.atRiskPAlive: /)] });

    const inconsistent = resolveConfig("balanced", { thresholds: { risingEnter: 80 } });
    expect(inconsistent).toMatchObject({ ok: false, issues: ["thresholds.risingEnter: must be below valuedEnter"] });

    const noWeights = resolveConfig("balanced", {
      volumeWeights: { frequency: 0, discount: 0, lowMargin: 0, priceSensitivity: 0 },
    });
    expect(noWeights.ok).toBe(false);

    const badPercent = resolveConfig("balanced", { vip: { mode: "top_percent", value: 150 } });
    expect(badPercent).toMatchObject({ ok: false, issues: ["vip.value: a percentage must be at most 100"] });
  });

  it("treats missing overrides as the preset itself", () => {
    expect(resolveConfig("b2b")).toEqual({ ok: true, config: PRESETS.b2b });
  });
});
