import type { PrismaClient } from "@prisma/client";
import { addMoney } from "../../app/orders/money";
import { countedLine, orderSummary, productRefund } from "../../app/orders/record";
import { type CustomerHistory, type OrderSummary, shopDay } from "../../app/scoring";
import { recordInstall } from "../../app/shops.server";
import { type CustomerRecord, type OrderRecord } from "../../app/sync/records";
import { upsertCustomers, upsertOrders } from "../../app/sync/store.server";
import type { FakeCustomer, FakeOrder, FakeProduct, FakeStoreData } from "../fake-shopify/store/model";
import { currentQuantity, orderTotals, refundedQuantity, refundTransactions } from "../fake-shopify/store/order-math";
import { formatMoney } from "../fake-shopify/util/money";

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

/**
 * A generated order as sync stores it, built with the order record's own rules
 * (app/orders/record.ts: countedLine, productRefund) from the fake's model, with the unit
 * cost and compare-at price the worker reads from the variant. Going through a webhook
 * payload and the REST mapper instead is exact too, but ten times slower for a big store;
 * the mappers themselves are held to the same figures by the three-way sync test.
 */
export function orderRecord(o: FakeOrder, products: ReadonlyMap<string, FakeProduct> = new Map()): OrderRecord {
  const taxesIncluded = o.taxesIncluded === true;
  const lines = o.lineItems
    .filter((l) => l.giftCard !== true)
    .map((l) => ({
      id: BigInt(l.id),
      productId: l.productId ? BigInt(l.productId) : null,
      variantId: l.variantId ? BigInt(l.variantId) : null,
      title: l.title,
      sku: l.sku,
      price: l.originalUnitPrice,
      compareAtPrice: l.compareAtPrice,
      unitCost: l.unitCost,
      productType: (l.productId && products.get(l.productId)?.productType) || null,
      vendor: (l.productId && products.get(l.productId)?.vendor) || null,
      ...countedLine(
        {
          quantity: l.quantity,
          currentQuantity: currentQuantity(o, l),
          refundedQuantity: refundedQuantity(o, l.id),
          price: l.originalUnitPrice,
          discount: addMoney(l.discountAllocations.map((a) => a.amount)),
          tax: addMoney((l.taxLines ?? []).map((t) => t.price)),
          giftCard: false,
        },
        taxesIncluded,
      ),
    }));
  const giftCards = new Set(o.lineItems.filter((l) => l.giftCard === true).map((l) => l.id));
  const refunds = o.refunds.map((r) => {
    const goods = r.refundLineItems.filter((x) => !giftCards.has(x.lineItemId));
    return {
      id: BigInt(r.id),
      processedAt: new Date(r.createdAt),
      amount: productRefund(
        goods.map((x) => ({ subtotal: x.subtotal, tax: x.totalTax ?? "0.00" })),
        refundTransactions(o, r).length > 0,
        taxesIncluded,
      ),
      returnedQuantity: r.refundLineItems.filter((x) => x.restockType === "RETURN").reduce((sum, x) => sum + x.quantity, 0),
    };
  });
  const totals = orderTotals(o);
  return {
    id: BigInt(o.id),
    customerId: o.customerId ? BigInt(o.customerId) : null,
    name: o.name,
    currency: o.currency,
    financialStatus: o.financialStatus.toLowerCase(),
    processedAt: new Date(o.processedAt),
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
    cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
    test: o.test === true,
    taxesIncluded,
    subtotal: formatMoney(totals.subtotal),
    totalPrice: formatMoney(totals.total),
    totalDiscounts: addMoney(lines.map((l) => l.discountAllocated)),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: o.discountCodes,
    hasAutomaticDiscount: o.discountApplications.some((a) => a.type === "AUTOMATIC"),
    sourceName: o.sourceName || null,
    lines,
    refunds,
  };
}

/** The store's products by id: what a line's product type and vendor are read from. */
export function productsById(store: Pick<FakeStoreData, "products">): Map<string, FakeProduct> {
  return new Map(store.products.map((p) => [p.id, p]));
}

export async function seedStore(db: PrismaClient, store: FakeStoreData, batch = 1000): Promise<number> {
  const shop = await recordInstall(db, { domain: store.shop.domain, scopes: "read_all_orders" });
  await db.shop.update({ where: { id: shop.id }, data: { currency: store.shop.currency, ianaTimezone: store.shop.ianaTimezone ?? null } });
  const customers = store.customers.filter((c) => !c.deletedAt).map(customerRecord);
  const products = productsById(store);
  for (let i = 0; i < customers.length; i += batch) await upsertCustomers(db, shop.id, customers.slice(i, i + batch));
  for (let i = 0; i < store.orders.length; i += batch) {
    const orders = store.orders.slice(i, i + batch).map((o) => orderRecord(o, products));
    // A busy database can take more than the default 5 s over a batch of 1,000 orders.
    await db.$transaction((tx) => upsertOrders(tx, shop.id, orders), { timeout: 60_000 });
  }
  return shop.id;
}

/** The same store as scoring input, without the database: for pure scoring tests and benches. */
export function historiesFromStore(store: FakeStoreData): CustomerHistory[] {
  const byCustomer = new Map<string, OrderSummary[]>();
  const products = productsById(store);
  for (const o of store.orders) {
    if (!o.customerId) continue;
    const r = orderRecord(o, products);
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
