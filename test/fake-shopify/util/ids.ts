export type GidType =
  | "Customer"
  | "Order"
  | "LineItem"
  | "Product"
  | "ProductVariant"
  | "InventoryItem"
  | "Refund"
  | "RefundLineItem"
  | "OrderTransaction"
  | "ShippingLine"
  | "RefundShippingLine"
  | "OrderAdjustment"
  | "Metafield"
  | "MetafieldDefinition"
  | "Segment"
  | "DiscountCodeNode"
  | "DiscountRedeemCode"
  | "BulkOperation"
  | "Shop"
  | "AppInstallation";

export function gid(type: GidType, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: string;
}

export function parseGid(value: string): ParsedGid | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  return match ? { type: match[1], id: match[2] } : null;
}

/** Numeric ids are compared as bigints: Shopify's exceed 2^53. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
