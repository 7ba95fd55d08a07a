import type { PrismaClient } from "@prisma/client";
import type { CustomerHistory, OrderSummary } from "../../app/scoring";
import { recordInstall } from "../../app/shops.server";
import { addMoney, type CustomerRecord, type OrderRecord } from "../../app/sync/records";
import { upsertCustomers, upsertOrders } from "../../app/sync/store.server";
import type { FakeCustomer, FakeOrder, FakeStoreData } from "../fake-shopify/store/model";

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

export function orderRecord(o: FakeOrder): OrderRecord {
  const lines = o.lineItems.map((l) => ({
    id: BigInt(l.id),
    productId: l.productId ? BigInt(l.productId) : null,
    variantId: l.variantId ? BigInt(l.variantId) : null,
    title: l.title,
    sku: l.sku,
    quantity: l.quantity,
    price: l.originalUnitPrice,
    compareAtPrice: l.compareAtPrice,
    unitCost: l.unitCost,
    discountAllocated: addMoney(l.discountAllocations.map((a) => a.amount)),
  }));
  const subtotal = addMoney(o.lineItems.map((l) => (Number(l.originalUnitPrice) * l.quantity).toFixed(2)));
  const discounts = addMoney(lines.map((l) => l.discountAllocated));
  const refunds = o.refunds.map((r) => ({
    id: BigInt(r.id),
    processedAt: new Date(r.createdAt),
    amount: r.totalRefunded,
    returnedQuantity: r.refundLineItems.filter((x) => x.restockType === "RETURN").reduce((s, x) => s + x.quantity, 0),
  }));
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
    subtotal,
    totalDiscounts: discounts,
    totalPrice: addMoney([subtotal, `-${discounts}`, o.shippingPrice, o.totalTax]),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: o.discountCodes,
    hasAutomaticDiscount: o.discountApplications.some((a) => a.type === "AUTOMATIC"),
    lines,
    refunds,
  };
}

export async function seedStore(db: PrismaClient, store: FakeStoreData, batch = 1000): Promise<number> {
  const shop = await recordInstall(db, { domain: store.shop.domain, scopes: "read_all_orders" });
  const customers = store.customers.filter((c) => !c.deletedAt).map(customerRecord);
  for (let i = 0; i < customers.length; i += batch) await upsertCustomers(db, shop.id, customers.slice(i, i + batch));
  for (let i = 0; i < store.orders.length; i += batch) {
    const orders = store.orders.slice(i, i + batch).map(orderRecord);
    await db.$transaction((tx) => upsertOrders(tx, shop.id, orders));
  }
  return shop.id;
}

/** The same store as scoring input, without the database: for pure scoring tests and benches. */
export function historiesFromStore(store: FakeStoreData): CustomerHistory[] {
  const byCustomer = new Map<string, OrderSummary[]>();
  for (const o of store.orders) {
    if (!o.customerId) continue;
    const r = orderRecord(o);
    const list = byCustomer.get(o.customerId) ?? [];
    list.push({
      id: o.id,
      processedAt: r.processedAt,
      cancelled: r.cancelledAt !== null,
      discountCodes: r.discountCodes,
      hasAutomaticDiscount: r.hasAutomaticDiscount,
      totalDiscounts: Number(r.totalDiscounts),
      refunded: Number(r.totalRefunded),
      returnedQuantity: r.refunds.reduce((s, x) => s + x.returnedQuantity, 0),
      lines: r.lines.map((l) => ({
        quantity: l.quantity,
        unitPrice: Number(l.price),
        compareAtPrice: l.compareAtPrice === null ? null : Number(l.compareAtPrice),
        unitCost: l.unitCost === null ? null : Number(l.unitCost),
        discountAllocated: Number(l.discountAllocated),
      })),
    });
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
