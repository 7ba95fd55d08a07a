import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { VARIANT_COSTS_QUERY, type VariantCostsResult } from "../shopify/operations/variant-costs";
import type { OrderRecord } from "./records";
import { shopifyId } from "./records";

const PAGE = 100;

/**
 * REST order payloads carry neither the unit cost, the compare-at price nor the product
 * type: read them from the variants (and their products) now, which is as close to "at the time of the order" as a
 * webhook allows. Lines whose variant is gone keep null (cost unknown).
 */
export async function enrichWithVariantCosts(admin: AdminGraphql, orders: OrderRecord[]): Promise<void> {
  const ids = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.variantId)).filter((v): v is bigint => v !== null))];
  const known = new Map<bigint, { compareAtPrice: string | null; unitCost: string | null; productType: string | null; vendor: string | null }>();
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = ids.slice(i, i + PAGE);
    const result = await admin.request<VariantCostsResult>(
      VARIANT_COSTS_QUERY,
      { ids: page.map((id) => `gid://shopify/ProductVariant/${id}`) },
      { expectedCost: page.length * 3 + 1 },
    );
    for (const node of result.nodes) {
      if (!node) continue;
      known.set(shopifyId(node.id, "variant"), {
        compareAtPrice: node.compareAtPrice,
        unitCost: node.inventoryItem?.unitCost?.amount ?? null,
        productType: node.product?.productType || null,
        vendor: node.product?.vendor || null,
      });
    }
  }
  for (const order of orders) {
    for (const line of order.lines) {
      const variant = line.variantId === null ? undefined : known.get(line.variantId);
      if (!variant) continue;
      line.compareAtPrice ??= variant.compareAtPrice;
      line.unitCost ??= variant.unitCost;
      line.productType ??= variant.productType;
      line.vendor ??= variant.vendor;
    }
  }
}
