import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { admitDelivery, isShopDomain, type KnownShop, nestsDeeperThan, parseTriggeredAt, ROUTE_TOPICS } from "./webhook-guard";

const installed: KnownShop = { id: 1, shopifyId: 42n, uninstalledAt: null };
const uninstalled: KnownShop = { ...installed, uninstalledAt: new Date("2026-11-01T00:00:00Z") };
const admit = (over: Partial<Parameters<typeof admitDelivery>[0]>) =>
  admitDelivery({ route: "orders", topic: "orders/create", shop: "a-shop.myshopify.com", payload: {}, known: installed, ...over });

describe("webhook admission", () => {
  it("takes each route's own topics only, as shopify.app.toml subscribes them", () => {
    const toml = parse(readFileSync("shopify.app.toml", "utf8")) as { webhooks: { subscriptions: { uri: string; topics?: string[]; compliance_topics?: string[] }[] } };
    const byUri = Object.fromEntries(toml.webhooks.subscriptions.map((s) => [s.uri, [...(s.topics ?? []), ...(s.compliance_topics ?? [])].sort()]));
    expect(byUri).toEqual({
      "/webhooks/orders": [...ROUTE_TOPICS.orders].sort(),
      "/webhooks/refunds/create": [...ROUTE_TOPICS.refunds].sort(),
      "/webhooks/customers": [...ROUTE_TOPICS.customers].sort(),
      "/webhooks/app/uninstalled": [...ROUTE_TOPICS.uninstalled].sort(),
      "/webhooks/bulk_operations/finish": [...ROUTE_TOPICS.bulkOperations].sort(),
      "/webhooks/compliance": [...ROUTE_TOPICS.compliance].sort(),
    });
    expect(admit({ topic: "shop/redact" })).toEqual({ accept: false, reason: "topic shop/redact is not taken by the orders route" });
    expect(admit({})).toEqual({ accept: true });
  });

  it("drops deliveries for unknown or uninstalled shops, except the privacy topics after an uninstall", () => {
    expect(admit({ known: null }).accept).toBe(false);
    expect(admit({ known: uninstalled }).accept).toBe(false);
    expect(admit({ route: "compliance", topic: "customers/redact", known: uninstalled }).accept).toBe(true);
  });

  it("takes shop/redact only for a shop that uninstalled", () => {
    expect(admit({ route: "compliance", topic: "shop/redact", known: installed }).accept).toBe(false);
    expect(admit({ route: "compliance", topic: "shop/redact", known: uninstalled }).accept).toBe(true);
  });

  it("drops a payload that names another shop than the header, by domain or by id", () => {
    const compliance = { route: "compliance" as const, topic: "customers/redact" };
    expect(admit({ ...compliance, payload: { shop_domain: "other.myshopify.com", shop_id: 42 } }).accept).toBe(false);
    expect(admit({ ...compliance, payload: { shop_domain: "a-shop.myshopify.com", shop_id: 43 } }).accept).toBe(false);
    expect(admit({ ...compliance, payload: { shop_domain: "a-shop.myshopify.com", shop_id: 42 } }).accept).toBe(true);
    expect(admit({ route: "uninstalled", topic: "app/uninstalled", payload: { myshopify_domain: "other.myshopify.com" } }).accept).toBe(false);
  });

  it("knows a Shopify shop domain from anything else", () => {
    expect(isShopDomain("a-shop.myshopify.com")).toBe(true);
    for (const bad of ["evil.example.com", "A-Shop.myshopify.com", `${"a".repeat(61)}.myshopify.com`, "a.myshopify.com.evil.com", "-a.myshopify.com", ""]) {
      expect(isShopDomain(bad), bad).toBe(false);
    }
    expect(isShopDomain("a-shop.shops.example.com", "shops.example.com")).toBe(true);
    expect(isShopDomain("a.b.shops.example.com", "shops.example.com")).toBe(false);
  });

  it("reads nesting depth without parsing, skipping brackets inside strings", () => {
    expect(nestsDeeperThan(`${"[".repeat(65)}${"]".repeat(65)}`, 64)).toBe(true);
    expect(nestsDeeperThan(`{"a":[{"b":"[[[[[[[[[[\\\\\\"[[["}]}`, 3)).toBe(false);
  });

  it("reads X-Shopify-Triggered-At as an ISO 8601 instant or nothing", () => {
    expect(parseTriggeredAt(undefined)).toBeNull();
    expect(parseTriggeredAt("2026-11-30T05:00:00.123Z")).toEqual(new Date("2026-11-30T05:00:00.123Z"));
    expect(parseTriggeredAt("2026-11-30T05:00:00-05:00")).toEqual(new Date("2026-11-30T10:00:00Z"));
    expect(parseTriggeredAt("yesterday")).toBe("invalid");
    expect(parseTriggeredAt("2026-13-45T99:00:00Z")).toBe("invalid");
  });
});
