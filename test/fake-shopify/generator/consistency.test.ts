import { describe, expect, it } from "vitest";
import type { FakeOrder } from "../store/model";
import { lineNetCents, paidCents, smallStore, storeHash } from "./fixtures";
import { streamStore } from "./generate";
import { includedTaxCents } from "./settlement";
import { lineTaxCents, orderTotals, refundTransactions, saleTransactions } from "../store/order-math";
import { FIRST_ORDER_NUMBER } from "./ids";
import { parseCents } from "./money";

const store = smallStore({ customers: 800, seed: 3 });
const TWO_POW_53 = 2n ** 53n;
const MONEY = /^\d+\.\d{2}$/;
const asOfMs = Date.parse(store.truth.asOf);

function allMoney(order: FakeOrder): string[] {
  return [
    order.shippingPrice,
    order.totalTax,
    ...order.lineItems.flatMap((l) => [l.originalUnitPrice, l.compareAtPrice, l.unitCost, ...l.discountAllocations.map((a) => a.amount)]),
    ...order.refunds.flatMap((r) => [r.totalRefunded, ...r.refundLineItems.map((x) => x.subtotal)]),
  ].filter((m): m is string => m !== null);
}

function expectUnique(ids: readonly string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
}

describe("generated store consistency", () => {
  it("gives every resource a unique numeric-string id", () => {
    const lineIds = store.orders.flatMap((o) => o.lineItems.map((l) => l.id));
    const refunds = store.orders.flatMap((o) => o.refunds);
    for (const ids of [
      store.orders.map((o) => o.id),
      lineIds,
      refunds.map((r) => r.id),
      refunds.flatMap((r) => r.refundLineItems.map((x) => x.id)),
      store.customers.map((c) => c.id),
      store.products.map((p) => p.id),
      store.products.flatMap((p) => p.variants.map((v) => v.id)),
    ]) {
      expectUnique(ids);
      ids.forEach((id) => expect(id).toMatch(/^\d+$/));
    }
  });

  it("puts order and line item ids above 2^53, where a JS number would corrupt them", () => {
    const ids = store.orders.flatMap((o) => [o.id, ...o.lineItems.map((l) => l.id)]);
    ids.forEach((id) => expect(BigInt(id) > TWO_POW_53).toBe(true));
    expect(ids.some((id) => String(Number(id)) !== id)).toBe(true);
    const roundTripped = JSON.parse(JSON.stringify(store.orders.slice(0, 50))) as FakeOrder[];
    expect(roundTripped.map((o) => o.id)).toEqual(store.orders.slice(0, 50).map((o) => o.id));
  });

  it("names and numbers orders in createdAt order", () => {
    store.orders.forEach((order, i) => {
      expect(order.name).toBe(`#${FIRST_ORDER_NUMBER + i}`);
      if (i === 0) return;
      const previous = store.orders[i - 1];
      expect(order.createdAt >= previous.createdAt).toBe(true);
      expect(BigInt(order.id) > BigInt(previous.id)).toBe(true);
    });
  });

  it("keeps every event between its order's creation and asOf, and after the customer's creation", () => {
    const customers = new Map(store.customers.map((c) => [c.id, c]));
    for (const order of store.orders) {
      const created = Date.parse(order.createdAt);
      expect(created).toBeLessThan(asOfMs);
      expect(order.processedAt).toBe(order.createdAt);
      for (const at of [order.updatedAt, order.cancelledAt, order.closedAt, ...order.refunds.map((r) => r.createdAt)]) {
        if (at === null) continue;
        expect(Date.parse(at)).toBeGreaterThanOrEqual(created);
        expect(Date.parse(at)).toBeLessThanOrEqual(asOfMs);
      }
      expect(order.updatedAt >= order.refunds.reduce((m, r) => (r.createdAt > m ? r.createdAt : m), order.createdAt)).toBe(true);
      if (order.customerId === null) continue;
      const customer = customers.get(order.customerId);
      expect(customer).toBeDefined();
      expect(Date.parse(customer?.createdAt ?? "")).toBeLessThanOrEqual(created);
      expect(order.email).toBe(customer?.email);
    }
    for (const c of store.customers) expect(c.updatedAt >= c.createdAt).toBe(true);
  });

  it("writes money as two-decimal strings", () => {
    store.orders.forEach((o) => allMoney(o).forEach((m) => expect(m).toMatch(MONEY)));
    store.products.flatMap((p) => p.variants).forEach((v) => {
      expect(v.price).toMatch(MONEY);
      if (v.unitCost !== null) expect(v.unitCost).toMatch(MONEY);
    });
  });

  it("allocates each discount across lines exactly as its application says", () => {
    for (const order of store.orders) {
      const gross = order.lineItems.map((l) => parseCents(l.originalUnitPrice) * l.quantity);
      const taken = gross.map(() => 0);
      order.discountApplications.forEach((app, index) => {
        const shares = order.lineItems.map((l) =>
          l.discountAllocations.filter((a) => a.discountApplicationIndex === index).reduce((s, a) => s + parseCents(a.amount), 0),
        );
        const total = shares.reduce((s, x) => s + x, 0);
        const base = gross.map((g, i) => g - taken[i]);
        const value = Number(app.value);
        if (app.targetType === "SHIPPING_LINE") {
          expect(total).toBe(0);
          expect(order.shippingPrice).toBe("0.00");
        } else if (app.valueType === "FIXED_AMOUNT") {
          expect(total).toBe(Math.min(Math.round(value * 100), base.reduce((s, x) => s + x, 0)));
        } else if (app.allocationMethod === "EACH") {
          shares.forEach((share, i) => expect(share).toBe(Math.round((base[i] * value) / 100)));
        } else {
          expect(total).toBe(Math.round((base.reduce((s, x) => s + x, 0) * value) / 100));
        }
        shares.forEach((share, i) => (taken[i] += share));
      });
      taken.forEach((t, i) => expect(t).toBeLessThanOrEqual(gross[i]));
      const codes = order.discountApplications.filter((a) => a.type === "DISCOUNT_CODE").map((a) => a.code);
      expect(order.discountCodes).toEqual(codes);
      order.lineItems.forEach((l) => l.discountAllocations.forEach((a) => expect(a.discountApplicationIndex).toBeLessThan(order.discountApplications.length)));
    }
  });

  it("never refunds more than was paid, per line or per order", () => {
    for (const order of store.orders) {
      const net = lineNetCents(order);
      const paid = paidCents(order);
      const refunded = order.refunds.reduce((s, r) => s + parseCents(r.totalRefunded), 0);
      const quantityBack = new Map<string, number>();
      for (const refund of order.refunds) {
        const subtotals = refund.refundLineItems.reduce((s, x) => s + parseCents(x.subtotal), 0);
        expect(parseCents(refund.totalRefunded)).toBeGreaterThanOrEqual(subtotals);
        for (const item of refund.refundLineItems) {
          const index = order.lineItems.findIndex((l) => l.id === item.lineItemId);
          expect(index).toBeGreaterThanOrEqual(0);
          expect(parseCents(item.subtotal)).toBeLessThanOrEqual(net[index]);
          quantityBack.set(item.lineItemId, (quantityBack.get(item.lineItemId) ?? 0) + item.quantity);
        }
      }
      for (const [lineId, quantity] of quantityBack) {
        expect(quantity).toBeLessThanOrEqual(order.lineItems.find((l) => l.id === lineId)?.quantity ?? 0);
      }
      expect(refunded).toBeLessThanOrEqual(paid);
      if (order.financialStatus === "REFUNDED") expect(refunded).toBe(paid);
      if (order.financialStatus === "PARTIALLY_REFUNDED") expect(refunded).toBeLessThan(paid);
      if (order.financialStatus === "VOIDED") {
        expect(order.cancelledAt).not.toBeNull();
        expect(order.refunds).toHaveLength(0);
      }
      if (order.cancelledAt !== null) expect(["VOIDED", "REFUNDED"]).toContain(order.financialStatus);
    }
  });

  it("includes the realistic rough edges consumers must handle", () => {
    const orders = store.orders;
    const statuses = new Set(orders.map((o) => o.financialStatus));
    for (const status of ["PAID", "PARTIALLY_REFUNDED", "REFUNDED", "VOIDED"]) expect(statuses).toContain(status);
    expect(orders.some((o) => o.customerId === null)).toBe(true);
    expect(orders.some((o) => o.refunds.some((r) => r.refundLineItems.some((x) => x.restockType === "RETURN")))).toBe(true);
    expect(orders.some((o) => o.lineItems.some((l) => l.unitCost === null))).toBe(true);
    expect(orders.some((o) => o.lineItems.some((l) => l.compareAtPrice !== null))).toBe(true);
    expect(orders.some((o) => o.discountCodes.length > 1)).toBe(true);
    expect(orders.some((o) => o.discountApplications.some((a) => a.type === "AUTOMATIC"))).toBe(true);
    const codes = new Set(orders.flatMap((o) => o.discountCodes));
    for (const code of ["WELCOME10", "SALE20", "BFCM30", "FREESHIP", "TAKE5"]) expect(codes).toContain(code);
  });

  it("builds a catalogue with varied margins and some unknown costs", () => {
    const variants = store.products.flatMap((p) => p.variants);
    expect(store.products.length).toBeGreaterThanOrEqual(50);
    expect(store.products.length).toBeLessThanOrEqual(300);
    const margins = variants
      .filter((v) => v.unitCost !== null)
      .map((v) => 1 - parseCents(v.unitCost ?? "0") / parseCents(v.price));
    expect(Math.min(...margins)).toBeGreaterThanOrEqual(0.14);
    expect(Math.max(...margins)).toBeLessThanOrEqual(0.76);
    expect(Math.min(...margins)).toBeLessThan(0.2);
    expect(Math.max(...margins)).toBeGreaterThan(0.7);
    expect(variants.some((v) => v.unitCost === null)).toBe(true);
    variants.filter((v) => v.compareAtPrice !== null).forEach((v) => expect(parseCents(v.compareAtPrice ?? "0")).toBeGreaterThan(parseCents(v.price)));
  });
});

describe("a store with real stores' shapes, consistency", () => {
  const shaped = smallStore({ customers: 400, seed: 5, shapes: true });
  const cents = (m: string | undefined): bigint => BigInt(parseCents(m ?? "0.00"));

  it("is as deterministic as a plain store, stream and all", () => {
    expect(storeHash(smallStore({ customers: 400, seed: 5, shapes: true }))).toBe(storeHash(shaped));
    const stream = streamStore({ seed: 5, shopDomain: "test-store.myshopify.com", customers: 400, shapes: true });
    expect(JSON.stringify([...stream.orders()])).toBe(JSON.stringify(shaped.orders));
  });

  it("keeps every id unique, lines added by edits included, and orders in createdAt order", () => {
    for (const ids of [shaped.orders.map((o) => o.id), shaped.orders.flatMap((o) => o.lineItems.map((l) => l.id)), shaped.products.flatMap((p) => p.variants.map((v) => v.id))]) {
      expect(new Set(ids).size).toBe(ids.length);
    }
    shaped.orders.forEach((o, i) => i > 0 && expect(o.createdAt >= shaped.orders[i - 1].createdAt).toBe(true));
    shaped.orders.forEach((o) => expect(Date.parse(o.createdAt)).toBeLessThan(Date.parse(shaped.truth.asOf)));
  });

  it("adds up: line and shipping taxes make the order's tax, included tax stays inside the total, money out never exceeds money in", () => {
    for (const order of shaped.orders) {
      const t = orderTotals(order);
      const lineTax = order.lineItems.reduce((s, l) => s + lineTaxCents(l), 0n);
      expect(lineTax).toBeLessThanOrEqual(t.tax);
      if (order.taxesIncluded) {
        expect(t.total).toBe(t.subtotal + t.shipping);
        for (const l of order.lineItems) {
          const net = cents(l.originalUnitPrice) * BigInt(l.quantity) - l.discountAllocations.reduce((s, a) => s + cents(a.amount), 0n);
          const expected = l.giftCard ? 0 : includedTaxCents(Number(net), 0.16);
          expect(Number(l.taxLines?.reduce((s, x) => s + cents(x.price), 0n) ?? 0n)).toBe(expected);
        }
      } else expect(t.total).toBe(t.subtotal + t.shipping + t.tax);
      for (const l of order.lineItems.filter((x) => x.giftCard)) expect(l.taxLines ?? []).toEqual([]);
      const sales = saleTransactions(order).reduce((s, x) => s + cents(x.amount), 0n);
      if (order.transactions) expect(sales).toBe(t.total);
      for (const refund of order.refunds) {
        expect(refundTransactions(order, refund).reduce((s, x) => s + cents(x.amount), 0n)).toBe(cents(refund.totalRefunded));
      }
      expect(t.refunded).toBeLessThanOrEqual(t.total);
      if (order.test) expect(order.paymentGatewayNames).toEqual(["bogus"]);
      if (order.presentmentCurrency) expect(Number(order.presentmentRate)).toBeGreaterThan(0);
    }
  });

  it("edits by swapping a line for a same-priced sibling before any refund, moving no money", () => {
    const edited = shaped.orders.filter((o) => o.editedAt);
    expect(edited.length).toBeGreaterThan(0);
    for (const order of edited) {
      const removed = order.lineItems.filter((l) => l.removedQuantity);
      const added = order.lineItems.filter((l) => l.addedAt);
      expect(removed).toHaveLength(1);
      expect(added).toHaveLength(1);
      expect(removed[0].removedQuantity).toBe(removed[0].quantity);
      expect([added[0].originalUnitPrice, added[0].quantity, added[0].productId]).toEqual([removed[0].originalUnitPrice, removed[0].quantity, removed[0].productId]);
      expect(added[0].variantId).not.toBe(removed[0].variantId);
      for (const r of order.refunds) expect(r.createdAt > (order.editedAt ?? "")).toBe(true);
      expect(Date.parse(order.editedAt ?? "")).toBeGreaterThan(Date.parse(order.createdAt));
    }
  });
});
