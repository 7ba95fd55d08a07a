import { beforeAll, describe, expect, it, vi } from "vitest";
import { adminFormPost, adminRequest, installTestShop, thrownResponse } from "../../test/support/admin-request";
import prisma from "../db.server";
import { env } from "../env.server";
import { QueueUnavailableError } from "../queue/queues.server";
import type * as Jobs from "../scores/jobs.server";
import { requestRescore } from "../scores/jobs.server";
import { PRESETS } from "../scoring/presets";
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
    expect(!result.ok && result.errors).toMatchObject({
      defaultMarginRate: expect.any(String),
      tagPrefix: expect.stringMatching(/end with ':'/),
      "overrides.valueWeights.loyalty": "Enter a number",
      "overrides.vip.mode": expect.any(String),
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toEqual(before);
  });

  it("checks rules across fields: rising must stay below valued, a percentage at most 100", async () => {
    const result = await save({ ...base, "overrides.thresholds.valuedEnter": "50", "overrides.thresholds.risingEnter": "55", "overrides.vip.mode": "top_percent", "overrides.vip.value": "150" });
    expect(!result.ok && result.errors).toMatchObject({
      "overrides.thresholds.risingEnter": "must be below valuedEnter",
      "overrides.vip.value": "a percentage must be at most 100",
    });
  });

  it("saves anyway when Redis is down and says the nightly rescore will apply it", async () => {
    vi.mocked(requestRescore).mockRejectedValueOnce(new QueueUnavailableError("Redis did not accept rescore-shop within 1500 ms"));
    const result = await save({ ...base, preset: "b2b" });
    expect(result).toEqual({ ok: true, rescore: "nightly" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toMatchObject({ preset: "b2b" });
  });
});
