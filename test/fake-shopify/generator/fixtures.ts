import { createHash } from "node:crypto";
import type { FakeOrder, FakeStoreData } from "../store/model";
import { generateStore, type GenerateOptions } from "./generate";
import { parseCents } from "./money";

export function smallStore(overrides: Partial<GenerateOptions> = {}): FakeStoreData {
  return generateStore({ seed: 42, shopDomain: "test-store.myshopify.com", customers: 600, ...overrides });
}

export function storeHash(store: FakeStoreData): string {
  const json = JSON.stringify(store, (_key, value: unknown) => (value instanceof Map ? [...value.entries()] : value));
  return createHash("sha256").update(json).digest("hex");
}

export function lineNetCents(order: FakeOrder): number[] {
  return order.lineItems.map(
    (l) => parseCents(l.originalUnitPrice) * l.quantity - l.discountAllocations.reduce((s, a) => s + parseCents(a.amount), 0),
  );
}

export function paidCents(order: FakeOrder): number {
  return lineNetCents(order).reduce((s, x) => s + x, 0) + parseCents(order.shippingPrice) + parseCents(order.totalTax);
}
