import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { isMessage } from "../i18n/message";
import { scoreShop } from "./index";
import { AS_OF, archetypeShop } from "./testFactories";

// Reasons are stored as message keys and values; each merchant reads them in their language.

describe("reasons in the merchant's language", () => {
  const result = scoreShop(archetypeShop(10), { asOf: AS_OF, defaultMarginRate: 0.5 });
  const byId = new Map(result.customers.map((c) => [c.customerId, c]));
  const all = result.customers.flatMap((c) => c.reasons);

  it("are messages that survive a round trip through JSON, as the database stores them", () => {
    for (const r of all) {
      const stored = JSON.parse(JSON.stringify(r.message));
      expect(isMessage(stored)).toBe(true);
      expect(translate("zh-CN", stored)).toBe(translate("zh-CN", r.message));
    }
  });

  it("render in English and in Simplified Chinese with every placeholder filled", () => {
    expect(all.length).toBeGreaterThan(100);
    for (const r of all) {
      const en = translate("en", r.message);
      const zh = translate("zh-CN", r.message);
      expect(en, r.message.key).not.toMatch(/\{\{|\}\}|reasons\.|units\.|groups\./);
      expect(zh, r.message.key).not.toMatch(/\{\{|\}\}|reasons\.|units\.|groups\./);
      expect(zh, `${r.message.key} is not Chinese: ${zh}`).toMatch(/\p{Script=Han}/u);
      expect(zh).not.toBe(en);
    }
  });

  it("say the same facts in both languages", () => {
    const atRisk = byId.get("at_risk-0")!.reasons[0];
    expect(translate("en", atRisk.message)).toMatch(/^probability still active (\d+)%: 120 days since the last order, usually every 30 days$/);
    const active = /active (\d+)%/.exec(translate("en", atRisk.message))![1];
    expect(translate("zh-CN", atRisk.message)).toBe(`仍活跃的概率为 ${active}%：距上次下单已 120 天，通常每 30 天下单一次`);
    const volume = byId.get("volume-0")!.reasons.map((r) => translate("zh-CN", r.message));
    expect(volume).toContain("100% 的订单使用了折扣（折扣码 100%）");
    const rising = byId.get("rising-0")!.reasons[0];
    expect(translate("zh-CN", rising.message)).toBe("购买更频繁（近期订单间隔缩短 80%）；近期订单金额比早期高 25%；成为客户已 7 个月");
  });

  it("use the plural form each language needs", () => {
    expect(translate("en", { key: "units.days", values: { count: 1 } })).toBe("1 day");
    expect(translate("en", { key: "units.days", values: { count: 1200 } })).toBe("1,200 days");
    expect(translate("zh-CN", { key: "units.days", values: { count: 1 } })).toBe("1 天");
  });
});
