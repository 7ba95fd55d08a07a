import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTestShop, storeOfflineSession } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { stringifyRaw } from "../../test/fake-shopify/util/raw-json";
import { orderPayload } from "../../test/fake-shopify/webhook-payloads";
import { orderFromRest } from "../orders/rest";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { unauthenticated } from "../shopify.server";
import { enrichWithVariantCosts } from "./enrich.server";
import { parseLosslessJson } from "./lossless-json";

// A REST order payload names each line's vendor but not its product type (Shopify's REST
// line items have no product_type): the worker reads it from the product, as it reads costs.

const SHOP = "enrich.myshopify.com";
let fake: FakeShopify;
let restoreFetch: () => void;

describe("enriching webhook orders from their variants", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [{ shopDomain: SHOP, customers: 30, seed: 5 }]);
    restoreFetch = routeShopifyToFake(fake.url);
    await installTestShop(SHOP);
    await storeOfflineSession(SHOP, fake.control.issueToken(SHOP));
  });

  afterAll(async () => {
    restoreFetch?.();
    await fake?.close();
  });

  it("fills each line's product type, cost and compare-at price, keeping the vendor the payload sent", async () => {
    const store = fake.shops.get(SHOP)!;
    const order = store.data.orders.find((o) => !o.test && o.lineItems.length >= 2 && o.lineItems.every((l) => !l.giftCard))!;
    const payload = parseLosslessJson(stringifyRaw(orderPayload(store, order))) as { line_items: { product_type?: unknown }[] };
    expect(payload.line_items[0].product_type).toBeUndefined();
    const record = orderFromRest(payload);
    expect(record.sourceName).toBe(order.sourceName);
    expect(record.lines.every((l) => l.productType === null)).toBe(true);

    const { admin } = await unauthenticated.admin(SHOP);
    await enrichWithVariantCosts(throttledAdmin(admin.graphql, { shop: SHOP }), [record]);

    const products = new Map(store.data.products.map((p) => [p.id, p]));
    expect(record.lines.map((l) => [l.productType, l.vendor, l.unitCost])).toEqual(
      order.lineItems.map((l) => {
        const product = products.get(l.productId!)!;
        return [product.productType, product.vendor, l.unitCost];
      }),
    );
  });
});
