import { createHash } from "node:crypto";
import type { FakeStoreData, Plan } from "./model";

/** A shop with no customers, orders or products; its id is derived from the domain. */
export function emptyStore(domain: string, plan: Plan = "standard", now = new Date().toISOString()): FakeStoreData {
  const digest = createHash("sha256").update(domain).digest();
  const id = (60_000_000_000n + (digest.readBigUInt64BE(0) % 9_000_000_000n)).toString();
  const name = domain.replace(/\.myshopify\.com$/, "").replace(/-/g, " ");
  return {
    shop: { domain, id, name, email: `owner@${domain}`, currency: "USD", plan, createdAt: now },
    products: [],
    customers: [],
    orders: [],
    truth: { archetypeByCustomerId: new Map(), seed: 0, asOf: now },
  };
}
