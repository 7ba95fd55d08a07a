import type { PrismaClient } from "@prisma/client";
import { orderSummary } from "../../app/orders/record";
import { orderFromRest } from "../../app/orders/rest";
import { type CustomerHistory, type OrderSummary, shopDay } from "../../app/scoring";
import { recordInstall } from "../../app/shops.server";
import { parseLosslessJson } from "../../app/sync/lossless-json";
import { type CustomerRecord, type OrderRecord } from "../../app/sync/records";
import { upsertCustomers, upsertOrders } from "../../app/sync/store.server";
import type { FakeCustomer, FakeOrder, FakeStoreData } from "../fake-shopify/store/model";
import { ShopStore } from "../fake-shopify/store/shop-store";
import { stringifyRaw } from "../fake-shopify/util/raw-json";
import { orderPayload } from "../fake-shopify/webhook-payloads";

// Loads a generated store straight into Patron's tables through the sync store, for
// tests and benchmarks of what comes after sync (scoring, write-back, admin pages).

export function customerRecord(c: FakeCustomer): CustomerRecord {
  return {
    id: BigInt(c.id),
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    tags: c.tags,
    emailMarketing: c.emailMarketingState,
    smsMarketing: c.smsMarketingState,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

const stores = new WeakMap<FakeStoreData, ShopStore>();

/**
 * A generated order as sync stores it: its orders/create payload through the app's own
 * REST mapper (app/orders/rest.ts), with the unit cost and compare-at price the worker
 * would read from the variant. So seeded stores obey the same money rules as synced ones.
 */
export function orderRecord(o: FakeOrder, shop: FakeStoreData | ShopStore): OrderRecord {
  let store = shop instanceof ShopStore ? shop : stores.get(shop);
  if (!store) {
    store = new ShopStore(shop as FakeStoreData);
    stores.set(shop as FakeStoreData, store);
  }
  const record = orderFromRest(parseLosslessJson(stringifyRaw(orderPayload(store, o))));
  const fake = new Map(o.lineItems.map((l) => [l.id, l]));
  for (const line of record.lines) {
    const source = fake.get(line.id.toString());
    line.unitCost = source?.unitCost ?? null;
    line.compareAtPrice = source?.compareAtPrice ?? null;
  }
  return record;
}

export async function seedStore(db: PrismaClient, store: FakeStoreData, batch = 1000): Promise<number> {
  const shop = await recordInstall(db, { domain: store.shop.domain, scopes: "read_all_orders" });
  await db.shop.update({ where: { id: shop.id }, data: { currency: store.shop.currency, ianaTimezone: store.shop.ianaTimezone ?? null } });
  const customers = store.customers.filter((c) => !c.deletedAt).map(customerRecord);
  for (let i = 0; i < customers.length; i += batch) await upsertCustomers(db, shop.id, customers.slice(i, i + batch));
  for (let i = 0; i < store.orders.length; i += batch) {
    const orders = store.orders.slice(i, i + batch).map((o) => orderRecord(o, store));
    await db.$transaction((tx) => upsertOrders(tx, shop.id, orders));
  }
  return shop.id;
}

/** The same store as scoring input, without the database: for pure scoring tests and benches. */
export function historiesFromStore(store: FakeStoreData): CustomerHistory[] {
  const byCustomer = new Map<string, OrderSummary[]>();
  for (const o of store.orders) {
    if (!o.customerId) continue;
    const r = orderRecord(o, store);
    if (r.test) continue;
    const list = byCustomer.get(o.customerId) ?? [];
    list.push(orderSummary(r, shopDay(r.processedAt, store.shop.ianaTimezone)));
    byCustomer.set(o.customerId, list);
  }
  return store.customers
    .filter((c) => !c.deletedAt)
    .map((c) => ({
      customerId: c.id,
      createdAt: new Date(c.createdAt),
      acceptsMarketing: c.emailMarketingState === "SUBSCRIBED",
      orders: (byCustomer.get(c.id) ?? []).sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime()),
    }));
}
