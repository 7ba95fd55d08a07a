import { beforeAll, describe, expect, it, vi } from "vitest";
import { adminFormPost, adminRequest, installTestShop, thrownResponse } from "../../test/support/admin-request";
import { renderRoute } from "../../test/support/render-route";
import prisma from "../db.server";
import { env } from "../env.server";
import { translate } from "../i18n/i18n";
import { QueueUnavailableError } from "../queue/queues.server";
import type * as Jobs from "../scores/jobs.server";
import { requestRescore } from "../scores/jobs.server";
import { PRESETS } from "../scoring/presets";
import * as route from "./app.settings";
import { action, loader } from "./app.settings";

vi.mock("../scores/jobs.server", async (importOriginal) => {
  const original = await importOriginal<typeof Jobs>();
  return { ...original, requestRescore: vi.fn(original.requestRescore) };
});

const SHOP = "settings-a.myshopify.com";
let shopId: number;

const base = { preset: "luxury", defaultMarginRate: "35", tagPrefix: "vip-club:", autoTagging: "on", metafields: "off", flowTrigger: "on" };
const save = async (fields: Record<string, string>) => action({ request: await adminFormPost(SHOP, "/app/settings", fields), params: {}, context: {} });

describe("settings page", () => {
  beforeAll(async () => {
    shopId = await installTestShop(SHOP);
  });

  it("answers 401 without a session token", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app/settings`, { headers: { Authorization: "Bearer", Accept: "application/json" } });
    expect((await thrownResponse(loader({ request, params: {}, context: {} }))).status).toBe(401);
  });

  it("shows the defaults and the balanced preset's effective values for a new shop", async () => {
    const view = await loader({ request: await adminRequest(SHOP, "/app/settings"), params: {}, context: {} });
    expect(view.settings).toMatchObject({ preset: "balanced", defaultMarginRate: 0.4, tagPrefix: "patron:", autoTagging: true });
    expect(view.effective.thresholds.valuedEnter).toBe(PRESETS.balanced.thresholds.valuedEnter);
    expect(view.effective.vip).toEqual(PRESETS.balanced.vip);
  });

  it("saves a preset with overrides and automatic VIP, and asks for a rescore", async () => {
    const result = await save({ ...base, "overrides.thresholds.valuedEnter": "70", "overrides.vip.mode": "top_n", "overrides.vip.value": "25", "overrides.valueWeights.margin": "" });
    expect(result).toEqual({ ok: true, rescore: "queued" });
    expect(vi.mocked(requestRescore)).toHaveBeenLastCalledWith(shopId, "settings");
    const view = await loader({ request: await adminRequest(SHOP, "/app/settings"), params: {}, context: {} });
    expect(view.settings).toMatchObject({
      preset: "luxury",
      defaultMarginRate: 0.35,
      tagPrefix: "vip-club:",
      metafields: false,
      overrides: { thresholds: { valuedEnter: 70 }, vip: { mode: "top_n", value: 25 } },
    });
    expect(view.effective.valueWeights.margin).toBe(PRESETS.luxury.valueWeights.margin);
    expect(view.effective.vip).toEqual({ mode: "top_n", value: 25 });
  });

  it("refuses invalid values with an error per field and saves nothing", async () => {
    const before = (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings;
    const result = await save({
      ...base,
      defaultMarginRate: "140",
      tagPrefix: "no colon",
      "overrides.valueWeights.loyalty": "abc",
      "overrides.vip.mode": "everyone",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      defaultMarginRate: { key: "settings.errors.marginRange" },
      tagPrefix: { key: "settings.errors.tagPrefix" },
      "overrides.valueWeights.loyalty": { key: "settings.errors.number" },
      "overrides.vip.mode": { key: "settings.errors.choice" },
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toEqual(before);
  });

  it("checks rules across fields: rising must stay below valued, a percentage at most 100", async () => {
    const result = await save({ ...base, "overrides.thresholds.valuedEnter": "50", "overrides.thresholds.risingEnter": "55", "overrides.vip.mode": "top_percent", "overrides.vip.value": "150" });
    expect(!result.ok && result.errors).toEqual({
      "overrides.thresholds.risingEnter": { key: "settings.errors.risingBelowValued" },
      "overrides.vip.value": { key: "settings.errors.percentAtMost100" },
    });
  });

  it("words range errors from the schema's bounds, in the merchant's language", async () => {
    const result = await save({ ...base, "overrides.thresholds.hysteresis": "45", "overrides.thresholds.minValuedOrders": "2.5", tagPrefix: "" });
    expect(!result.ok && result.errors).toEqual({
      "overrides.thresholds.hysteresis": { key: "settings.errors.atMost", values: { max: 30 } },
      "overrides.thresholds.minValuedOrders": { key: "settings.errors.wholeNumber" },
      tagPrefix: { key: "settings.errors.tooShort", values: { count: 1 } },
    });
    const errors = !result.ok ? result.errors : {};
    expect(translate("en", errors["overrides.thresholds.hysteresis"])).toBe("At most 30");
    expect(translate("zh-CN", errors["overrides.thresholds.hysteresis"])).toBe("不能大于 30");
    expect(translate("zh-CN", errors.tagPrefix)).toBe("至少需要 1 个字符");
  });

  it("saves anyway when Redis is down and says the nightly rescore will apply it", async () => {
    vi.mocked(requestRescore).mockRejectedValueOnce(new QueueUnavailableError("Redis did not accept rescore-shop within 1500 ms"));
    const result = await save({ ...base, preset: "b2b" });
    expect(result).toEqual({ ok: true, rescore: "nightly" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toMatchObject({ preset: "b2b" });
  });

  describe("rendered in the merchant's language", () => {
    const english = /Business model|Value score weights|Default margin rate|Tag prefix|Automatic VIP|Preset:|Save<|Blank fields/;

    it("shows every label, help text and option in Simplified Chinese when admin's locale is zh-CN", async () => {
      const html = await renderRoute(route, await adminRequest(SHOP, "/app/settings?locale=zh-CN"));
      for (const text of ["经营模式", "默认毛利率", "价值分权重", "忠诚度（复购）", "分组门槛", "缓冲区间", "写入 Shopify", "标签前缀", "为客户添加分组标签和 VIP 标签", "保存"]) expect(html).toContain(text);
      expect(html).toContain("奢侈品 / 高端：重视毛利和原价购买");
      expect(html).toContain("前 N 位高价值客户");
      expect(html).toMatch(/预设值：\d+/);
      expect(html).not.toMatch(english);
    });

    it("names each refused field and its error in Chinese after a save, its language kept in the cookie", async () => {
      const request = await adminFormPost(SHOP, "/app/settings", { ...base, "overrides.valueWeights.loyalty": "abc", "overrides.thresholds.hysteresis": "45" });
      request.headers.set("Cookie", "patron_locale=zh-CN");
      const html = await renderRoute(route, request);
      expect(html).toContain("设置未保存");
      expect(html).toContain("忠诚度（复购）：请输入数字");
      expect(html).toContain("缓冲区间：不能大于 30");
      expect(html).not.toMatch(/Enter a number|At most|The settings were not saved/);
    });

    it("stays in English for an English admin", async () => {
      const html = await renderRoute(route, await adminRequest(SHOP, "/app/settings?locale=en"));
      expect(html).toContain("Business model");
      expect(html).toContain("Luxury / premium: margin and full-price buying");
      expect(html).not.toMatch(/\p{Script=Han}/u);
    });
  });
});
