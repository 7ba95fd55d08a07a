import { translate } from "../i18n/i18n";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import { adminFormPost, adminRequest, installTestShop, thrownResponse } from "../../test/support/admin-request";
import { installShop, startFake } from "../../test/support/app-harness";
import { seedStore } from "../../test/support/seed-store";
import prisma from "../db.server";
import { env } from "../env.server";
import { rescoreShop } from "../scores/rescore.server";
import { loader as exportLoader } from "./app.customers.export";
import { action, loader } from "./app.customers.$id";
import { action as listAction } from "./app.customers._index";

const SHOP = "detail-a.myshopify.com";
const OTHER = "detail-b.myshopify.com";

let fake: FakeShopify;
let restoreFetch: () => void;
let shopId: number;

const call = async (shop: string, id: string) => loader({ request: await adminRequest(shop, `/app/customers/${id}`), params: { id }, context: {} });
const vip = async (id: string, on: boolean) => action({ request: await adminFormPost(SHOP, `/app/customers/${id}`, { vip: on ? "on" : "off" }), params: { id }, context: {} });

describe("customer page, VIP actions and CSV export", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [{ shopDomain: SHOP, customers: 60, seed: 31 }]);
    restoreFetch = routeShopifyToFake(fake.url);
    await installShop(fake, SHOP);
    const data = fake.control.shop(SHOP).data;
    shopId = await seedStore(prisma, data);
    await prisma.shop.update({ where: { id: shopId }, data: { settings: { metafields: false, flowTrigger: false } } });
    await rescoreShop(prisma, shopId, "manual", new Date(data.truth.asOf));
    await installTestShop(OTHER);
  }, 120_000);

  afterAll(async () => {
    restoreFetch?.();
    await fake?.close();
  });

  it("answers 401 without a session token", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app/customers/1`, { headers: { Authorization: "Bearer", Accept: "application/json" } });
    expect((await thrownResponse(loader({ request, params: { id: "1" }, context: {} }))).status).toBe(401);
  });

  it("shows the group, scores with their reasons, orders and group history", async () => {
    const score = await prisma.customerScore.findFirstOrThrow({ where: { shopId, orders: { gte: 2 } }, orderBy: { orders: "desc" } });
    const id = score.customerId.toString();
    const detail = await call(SHOP, id);
    expect(detail.score).toMatchObject({ group: score.group, valueScore: score.valueScore, predictedClv: score.predictedClv.toFixed(2) });
    expect(detail.score!.reasons.length).toBeGreaterThan(0);
    for (const r of detail.score!.reasons) {
      expect(r).toMatchObject({ message: { key: expect.stringMatching(/^reasons\./) }, direction: expect.stringMatching(/up|down|neutral/), impact: expect.any(Number) });
      expect(translate("en", r.message)).toMatch(/\w/);
    }
    expect(detail.orders.length).toBe(Math.min(100, await prisma.order.count({ where: { shopId, customerId: score.customerId } })));
    const times = detail.orders.map((o) => Date.parse(o.processedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(detail.groupHistory[0]).toMatchObject({ from: null, to: score.group, reconstructed: false });
  });

  it("answers 404 for a customer of another shop, or an id that cannot be one", async () => {
    const someone = await prisma.customerScore.findFirstOrThrow({ where: { shopId } });
    expect((await thrownResponse(call(OTHER, someone.customerId.toString()))).status).toBe(404);
    expect((await thrownResponse(call(SHOP, "not-an-id"))).status).toBe(404);
    const other = action({ request: await adminFormPost(OTHER, `/app/customers/${someone.customerId}`, { vip: "on" }), params: { id: someone.customerId.toString() }, context: {} });
    expect((await thrownResponse(other)).status).toBe(404);
    expect(await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: someone.customerId } } })).toMatchObject({ vipManual: false });
  }, 30_000);

  it("makes a customer VIP, tags them in Shopify at once, and takes it back", async () => {
    const score = await prisma.customerScore.findFirstOrThrow({ where: { shopId, vip: false } });
    const id = score.customerId.toString();
    const on = await vip(id, true);
    expect(on).toMatchObject({ updated: [id], vip: true, written: true, error: null });
    expect(await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: score.customerId } } })).toMatchObject({ vipManual: true });
    expect(await prisma.customerScore.findUniqueOrThrow({ where: { shopId_customerId: { shopId, customerId: score.customerId } } })).toMatchObject({ vip: true, vipSource: "manual" });
    expect(fake.control.customerTags(SHOP)[id]).toContain("patron:vip");

    const off = await vip(id, false);
    expect(off).toMatchObject({ vip: false, written: true });
    expect(fake.control.customerTags(SHOP)[id] ?? []).not.toContain("patron:vip");
    expect((await call(SHOP, id)).vipManual).toBe(false);
  });

  it("keeps the VIP flag and reports the error when Shopify refuses the tag", async () => {
    // Known to Patron but not to Shopify (e.g. deleted there since the last sync).
    const ghost = 9_100_000_000_001n;
    const fit = await prisma.modelFit.findFirstOrThrow({ where: { shopId } });
    await prisma.customer.create({ data: { shopId, id: ghost, firstName: "Ghost" } });
    await prisma.customerScore.create({
      data: { shopId, customerId: ghost, group: "occasional", valueScore: 10, volumeScore: 10, expectedPurchases: 0, predictedClv: "0", orders: 0, revenue: "0", grossMargin: "0", marginRate: 0.4, marginEstimated: true, discountShare: 0, reasons: [], modelFitId: fit.id, scoredAt: new Date() },
    });
    const outcome = await vip(ghost.toString(), true);
    expect(outcome).toMatchObject({ vip: true, written: false, error: expect.stringMatching(/refused/) });
    expect(await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: ghost } } })).toMatchObject({ vipManual: true });
    expect(await prisma.customerWriteState.findUnique({ where: { shopId_customerId: { shopId, customerId: ghost } } })).toBeNull();
  });

  it("applies bulk VIP from the list to the selected customers of this shop only", async () => {
    const picks = await prisma.customerScore.findMany({ where: { shopId, vip: false }, take: 3 });
    const ids = picks.map((p) => p.customerId.toString());
    const result = await listAction({ request: await adminFormPost(SHOP, "/app/customers", { intent: "vip-on", ids }), params: {}, context: {} });
    expect(result).toMatchObject({ ok: true, vip: true, written: true });
    const tags = fake.control.customerTags(SHOP);
    for (const id of ids) expect(tags[id]).toContain("patron:vip");
    const foreign = await listAction({ request: await adminFormPost(OTHER, "/app/customers", { intent: "vip-on", ids }), params: {}, context: {} });
    expect(foreign).toMatchObject({ ok: true, updated: [] });
  });

  it("exports the filtered list as CSV with a header and one row per customer", async () => {
    const response = await exportLoader({ request: await adminRequest(SHOP, "/app/customers/export?group=all&sort=clv&dir=desc"), params: {}, context: {} });
    expect(response.headers.get("Content-Type")).toMatch(/text\/csv/);
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="patron-customers-all-/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("customer_id,first_name,last_name,email,group,vip,vip_source,value_score,volume_score,predicted_clv,margin_rate,margin_estimated,discount_share,orders,last_order_at");
    const scores = await prisma.customerScore.findMany({ where: { shopId }, orderBy: [{ predictedClv: "desc" }, { customerId: "desc" }] });
    expect(lines.length - 1).toBe(scores.length);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(scores.map((s) => s.customerId.toString()));
    const first = lines[1].split(",");
    expect(first[9]).toBe(scores[0].predictedClv.toFixed(2));

    const valued = await exportLoader({ request: await adminRequest(SHOP, "/app/customers/export?group=valued&vip=1"), params: {}, context: {} });
    const valuedRows = (await valued.text()).trimEnd().split("\r\n").slice(1);
    expect(valuedRows.every((l) => l.split(",")[4] === "valued" && l.split(",")[5] === "true")).toBe(true);

    const anonymous = new Request(`${env().SHOPIFY_APP_URL}/app/customers/export`, { headers: { Authorization: "Bearer", Accept: "application/json" } });
    expect((await thrownResponse(exportLoader({ request: anonymous, params: {}, context: {} }))).status).toBe(401);
  });
});
