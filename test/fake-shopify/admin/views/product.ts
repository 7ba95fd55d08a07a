import type { FakeProduct, FakeVariant } from "../../store/model";
import type { AdminContext } from "../context";
import type { ConnectionArgs } from "../../util/connection";
import { gid } from "../../util/ids";
import { formatDecimal, toCents } from "../../util/money";
import { listConnection } from "./connection";
import { moneyV2 } from "./money";

export function variantView(ctx: AdminContext, v: FakeVariant): object {
  const product = ctx.store.productsById.get(v.productId);
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", v.id),
    title: v.title,
    displayName: `${product?.title ?? ""} - ${v.title}`,
    sku: v.sku,
    price: formatDecimal(toCents(v.price)),
    compareAtPrice: v.compareAtPrice === null ? null : formatDecimal(toCents(v.compareAtPrice)),
    product: () => (product ? productView(ctx, product) : null),
    inventoryItem: {
      __typename: "InventoryItem",
      id: gid("InventoryItem", v.inventoryItemId),
      tracked: true,
      sku: v.sku,
      unitCost: v.unitCost === null ? null : moneyV2(toCents(v.unitCost), ctx.store.data.shop.currency),
    },
  };
}

export function productView(ctx: AdminContext, p: FakeProduct): object {
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    title: p.title,
    productType: p.productType,
    vendor: p.vendor,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    isGiftCard: p.giftCard ?? false,
    variants: (args: ConnectionArgs) => listConnection(p.variants, args, (v) => v.id, (v) => variantView(ctx, v)),
  };
}
