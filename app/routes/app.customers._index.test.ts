import { translate } from "../i18n/i18n";
import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { adminFormPost, adminRequest, installTestShop, thrownResponse } from "../../test/support/admin-request";
import { seedStore } from "../../test/support/seed-store";
import prisma from "../db.server";
import { env } from "../env.server";
import { rescoreShop } from "../scores/rescore.server";
import { action, loader } from "./app.customers._index";

const SHOP_A = "lists-a.myshopify.com";
const SHOP_B = "lists-b.myshopify.com";

interface Expected {
  id: bigint;
  group: string;
  valueScore: number;
  clv: number;
  marginRate: number;
  last: number;
  vip: boolean;
  orders: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

let all: Expected[] = [];
let shopBIds = new Set<string>();

async function seed(domain: string, seedNo: number, customers: number) {
  await installTestShop(domain);
  const store = generateStore({ seed: seedNo, shopDomain: domain, customers });
  const shopId = await seedStore(prisma, store);
  await rescoreShop(prisma, shopId, "manual", new Date(store.truth.asOf));
  return shopId;
}

async function expectedFor(shopId: number): Promise<Expected[]> {
  const scores = await prisma.customerScore.findMany({ where: { shopId }, include: { customer: true } });
  return scores.map((s) => ({
    id: s.customerId,
    group: s.group,
    valueScore: s.valueScore,
    clv: Number(s.predictedClv),
    marginRate: s.marginRate,
    last: s.lastOrderAt?.getTime() ?? -Infinity,
    vip: s.vip,
    orders: s.orders,
    email: s.customer.email,
    firstName: s.customer.firstName,
    lastName: s.customer.lastName,
  }));
}

function sorted(rows: Expected[], key: (r: Expected) => number, dir: "asc" | "desc") {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => sign * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((r) => r.id.toString());
}

type Page = Awaited<ReturnType<typeof loader>>["page"];

async function load(query: string, shop = SHOP_A): Promise<Page> {
  const data = await loader({ request: await adminRequest(shop, `/app/customers?${query}`), params: {}, context: {} });
  return data.page;
}

/** Follows the next-page cursors to the end, as the Next button does. */
async function walk(query: string, limit = 17): Promise<string[]> {
  const ids: string[] = [];
  let after = "";
  for (let pages = 0; pages < 500; pages++) {
    const page = await load(`${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ""}`);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.next) return ids;
    after = page.next;
  }
  throw new Error("too many pages");
}

describe("customer list loader", () => {
  beforeAll(async () => {
    const a = await seed(SHOP_A, 21, 260);
    const b = await seed(SHOP_B, 22, 120);
    // The generator reuses customer ids across stores: shop B's customers are told apart by email.
    await prisma.$executeRaw`UPDATE "Customer" SET email = 'shop-b-' || id || '@b.example' WHERE "shopId" = ${b}`;
    all = await expectedFor(a);
    shopBIds = new Set((await expectedFor(b)).map((r) => r.id.toString()));
  }, 120_000);

  it("answers 401 to a request without a session token", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app/customers`, { headers: { Authorization: "Bearer", Accept: "application/json" } });
    expect((await thrownResponse(loader({ request, params: {}, context: {} }))).status).toBe(401);
  });

  it("lists valued customers by value score by default, page by page, and only the shop's own", async () => {
    const valued = all.filter((r) => r.group === "valued");
    expect(valued.length).toBeGreaterThan(5);
    const ids = await walk("", 4);
    expect(ids).toEqual(sorted(valued, (r) => r.valueScore, "desc"));
    const everyone = await load("group=all&limit=250");
    expect(everyone.rows.some((r) => r.email?.endsWith("@b.example"))).toBe(false);
    expect((await load("group=all&q=shop-b-")).rows).toEqual([]);
  });

  it.each([
    ["clv", "asc", (r: Expected) => r.clv],
    ["margin", "desc", (r: Expected) => r.marginRate],
    ["last_order", "desc", (r: Expected) => r.last],
    ["last_order", "asc", (r: Expected) => r.last],
    ["value", "asc", (r: Expected) => r.valueScore],
  ] as const)("keyset-pages every customer sorted by %s %s without gaps or repeats", async (sort, dir, key) => {
    const ids = await walk(`group=all&sort=${sort}&dir=${dir}`);
    expect(ids).toEqual(sorted(all, key, dir));
  });

  it("filters by VIP, minimum orders and last-order dates", async () => {
    const from = "2025-06-01";
    const to = "2026-03-31";
    const inRange = (r: Expected) => r.last >= Date.parse(`${from}T00:00:00Z`) && r.last < Date.parse(`${to}T00:00:00Z`) + 86_400_000;
    const want = all.filter((r) => r.orders >= 3 && inRange(r));
    expect(want.length).toBeGreaterThan(0);
    expect(await walk(`group=all&sort=clv&dir=desc&minOrders=3&lastFrom=${from}&lastTo=${to}`)).toEqual(sorted(want, (r) => r.clv, "desc"));

    const vips = all.filter((r) => r.vip);
    expect(vips.length).toBeGreaterThan(0);
    expect(await walk("group=all&vip=1")).toEqual(sorted(vips, (r) => r.valueScore, "desc"));
  });

  it("searches by email, first name or last name prefix, case-insensitively", async () => {
    const someone = all.find((r) => r.email && r.lastName && r.firstName)!;
    const byEmail = someone.email!.slice(0, 4).toUpperCase();
    const matches = (r: Expected, q: string) =>
      [r.email, `${r.firstName ?? ""} ${r.lastName ?? ""}`, r.lastName].some((v) => v?.toLowerCase().startsWith(q.toLowerCase()));
    expect(await walk(`group=all&q=${encodeURIComponent(byEmail)}`)).toEqual(sorted(all.filter((r) => matches(r, byEmail)), (r) => r.valueScore, "desc"));
    const byLast = someone.lastName!.slice(0, 3);
    const ids = await walk(`group=all&q=${encodeURIComponent(byLast)}`);
    expect(ids).toContain(someone.id.toString());
    expect(ids).toEqual(sorted(all.filter((r) => matches(r, byLast)), (r) => r.valueScore, "desc"));
    expect(await walk("group=all&q=zzzz-nobody")).toEqual([]);
  });

  it("goes back a page with the previous cursor", async () => {
    const first = await load("group=all&limit=10");
    expect(first.previous).toBeNull();
    const second = await load(`group=all&limit=10&after=${encodeURIComponent(first.next!)}`);
    const third = await load(`group=all&limit=10&after=${encodeURIComponent(second.next!)}`);
    const back = await load(`group=all&limit=10&before=${encodeURIComponent(third.previous!)}`);
    expect(back.rows.map((r) => r.id)).toEqual(second.rows.map((r) => r.id));
    const backToFirst = await load(`group=all&limit=10&before=${encodeURIComponent(second.previous!)}`);
    expect(backToFirst.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(backToFirst.previous).toBeNull();
  });

  it("shows another shop only its own customers", async () => {
    const page = await load("group=all&limit=250", SHOP_B);
    expect(page.rows.length).toBe(shopBIds.size);
    expect(page.rows.every((r) => shopBIds.has(r.id) && r.email?.endsWith("@b.example"))).toBe(true);
  });

  it("answers 400 to a bad parameter or a cursor from another sort", async () => {
    expect((await thrownResponse(load("group=everyone"))).status).toBe(400);
    const page = await load("group=all&sort=value&limit=5");
    expect((await thrownResponse(load(`group=all&sort=clv&after=${encodeURIComponent(page.next!)}`))).status).toBe(400);
    expect((await thrownResponse(load("group=all&after=garbage"))).status).toBe(400);
  });

  it("answers 400, never 500, to tampered cursors, impossible dates, control characters and ids beyond 64 bits", async () => {
    const cursor = (parts: unknown[]) => encodeURIComponent(Buffer.from(JSON.stringify(parts)).toString("base64url"));
    const probes = [
      `group=all&sort=value&after=${cursor(["value", "not-a-number", "1"])}`,
      `group=all&sort=value&after=${cursor(["value", "1e400", "1"])}`,
      `group=all&sort=clv&after=${cursor(["clv", "12.5; DROP", "1"])}`,
      `group=all&sort=last_order&after=${cursor(["last_order", "2026-02-30 10:00:00", "1"])}`,
      `group=all&sort=value&after=${cursor(["value", "50", "99999999999999999999"])}`,
      `group=all&sort=value&after=${cursor(["value", "50", "9223372036854775808"])}`,
      "group=all&lastFrom=2026-02-30",
      "group=all&lastTo=2026-13-01",
      "group=all&q=%00",
      "group=all&q=ab%00cd",
      "group=all&minOrders=1e3",
    ];
    for (const query of probes) expect((await thrownResponse(load(query))).status, query).toBe(400);
    // A genuine cursor of each sort still pages.
    for (const sort of ["value", "clv", "margin", "last_order"]) {
      const first = await load(`group=all&sort=${sort}&limit=3`);
      const next = await load(`group=all&sort=${sort}&limit=3&after=${encodeURIComponent(first.next!)}`);
      expect(next.rows.length, sort).toBeGreaterThan(0);
    }
  });

  it("answers 400 to a session token whose dest is not a shop", async () => {
    const { getJwt } = await import("@shopify/shopify-api/test-helpers");
    for (const dest of ["https://evil.example.com", "not a url", "javascript:alert(1)"]) {
      const { token } = await getJwt(SHOP_A, env().SHOPIFY_API_KEY, env().SHOPIFY_API_SECRET, { dest });
      const request = new Request(new URL("/app/customers", env().SHOPIFY_APP_URL), { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
      expect((await thrownResponse(loader({ request, params: {}, context: {} }))).status, dest.slice(0, 30)).toBe(400);
    }
  });

  it("names what is wrong with a bulk VIP request, and refuses an oversized form with 413", async () => {
    const vip = async (ids: string[]) => {
      const request = await adminFormPost(SHOP_A, "/app/customers", { intent: "vip-on", ids });
      const result = await action({ request, params: {}, context: {} });
      return result.ok ? result : { ok: false, error: translate("en", result.error) };
    };
    const many = Array.from({ length: 10_000 }, (_, i) => String(7_000_000_000_000 + i));
    expect(await vip(many)).toEqual({ ok: false, error: "Choose at most 250 customers at a time." });
    expect(await vip(["99999999999999999999"])).toEqual({ ok: false, error: "Customer ids must be numeric Shopify ids." });
    expect(await vip([])).toEqual({ ok: false, error: "Choose at least one customer." });
    const huge = await adminFormPost(SHOP_A, "/app/customers", { intent: "vip-on", ids: "1".repeat(300 * 1024) });
    expect((await thrownResponse(action({ request: huge, params: {}, context: {} }))).status).toBe(413);
  });
});
