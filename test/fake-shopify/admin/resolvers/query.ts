import { abbreviationAt, offsetAt, offsetMinutes } from "../../util/timezone";
import { GraphQLError } from "graphql";
import type { AdminContext } from "../context";
import type { ConnectionArgs } from "../../util/connection";
import { gid, parseGid } from "../../util/ids";
import { customerList, orderList, orderVisible, productList, type ListArgs } from "../lists";
import { rootConnection } from "../views/connection";
import { customerView } from "../views/customer";
import { orderView } from "../views/order";
import { productView, variantView } from "../views/product";
import { segmentView, segmentMembersConnection, segmentMembership } from "./segments";
import { discountNodeByCode, discountNodeView } from "./discounts";
import { bulkOperationView, bulkOperationsConnection, currentBulkOperation } from "./bulk";
import { metafieldDefinitionsConnection } from "./metafields";
import { guarded } from "../scopes";

const PLAN_NAMES = { standard: "Basic", advanced: "Advanced", plus: "Shopify Plus", enterprise: "Commerce Components" } as const;

/** Shopify answers a malformed global id with a top-level error, not null. */
export function requireGid(value: string, expected?: string): { type: string; id: string } {
  const parsed = parseGid(value);
  if (!parsed || (expected && parsed.type !== expected)) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" } });
  return parsed;
}

export function nodeById(ctx: AdminContext, id: string): object | null {
  const { type, id: raw } = requireGid(id);
  const store = ctx.store;
  switch (type) {
    case "Customer": {
      const c = store.customersById.get(raw);
      return c && !c.deletedAt ? customerView(ctx, c) : null;
    }
    case "Order": {
      const o = store.ordersById.get(raw);
      return o && orderVisible(ctx, o) ? orderView(ctx, o) : null;
    }
    case "Product": {
      const p = store.productsById.get(raw);
      return p ? productView(ctx, p) : null;
    }
    case "ProductVariant": {
      const v = store.variantsById.get(raw);
      return v ? variantView(ctx, v) : null;
    }
    case "Segment": {
      const s = store.segments.find((seg) => seg.id === raw);
      return s ? segmentView(s) : null;
    }
    case "DiscountCodeNode": {
      const d = store.discounts.find((disc) => disc.id === raw);
      return d ? discountNodeView(ctx, d) : null;
    }
    case "BulkOperation": {
      const op = store.bulkOperations.find((b) => b.id === raw);
      return op ? bulkOperationView(op) : null;
    }
    default:
      return null;
  }
}

type Args = ConnectionArgs & ListArgs;

export const queryResolvers = guarded({
  shop: (_: unknown, ctx: AdminContext) => {
    const shop = ctx.store.data.shop;
    return {
      __typename: "Shop",
      id: gid("Shop", shop.id),
      name: shop.name,
      email: shop.email,
      currencyCode: shop.currency,
      myshopifyDomain: shop.domain,
      url: `https://${shop.domain}`,
      createdAt: shop.createdAt,
      ianaTimezone: shop.ianaTimezone ?? "UTC",
      timezoneAbbreviation: abbreviationAt(ctx.services.clock.now(), shop.ianaTimezone ?? "UTC"),
      timezoneOffset: offsetAt(ctx.services.clock.now(), shop.ianaTimezone ?? "UTC"),
      timezoneOffsetMinutes: offsetMinutes(ctx.services.clock.now(), shop.ianaTimezone ?? "UTC"),
      taxesIncluded: shop.taxesIncluded ?? false,
      plan: {
        displayName: PLAN_NAMES[ctx.store.plan],
        publicDisplayName: PLAN_NAMES[ctx.store.plan],
        partnerDevelopment: false,
        shopifyPlus: ctx.store.plan === "plus" || ctx.store.plan === "enterprise",
      },
    };
  },
  node: (args: { id: string }, ctx: AdminContext) => nodeById(ctx, args.id),
  nodes: (args: { ids: string[] }, ctx: AdminContext) => args.ids.map((id) => nodeById(ctx, id)),
  customer: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "Customer"), nodeById(ctx, args.id)),
  order: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "Order"), nodeById(ctx, args.id)),
  product: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "Product"), nodeById(ctx, args.id)),
  productVariant: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "ProductVariant"), nodeById(ctx, args.id)),
  customers: (args: Args, ctx: AdminContext) => rootConnection(ctx, "customers", args, () => customerList(ctx, args), (c) => customerView(ctx, c)),
  orders: (args: Args, ctx: AdminContext) => rootConnection(ctx, "orders", args, () => orderList(ctx, args), (o) => orderView(ctx, o)),
  products: (args: Args, ctx: AdminContext) => rootConnection(ctx, "products", args, () => productList(ctx, args), (p) => productView(ctx, p)),
  segment: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "Segment"), nodeById(ctx, args.id)),
  segments: (args: Args, ctx: AdminContext) =>
    rootConnection(ctx, "segments", args, () => {
      const list = [...ctx.store.segments];
      return { list, indexOf: (k: string) => list.findIndex((s) => s.id === k) };
    }, segmentView),
  customerSegmentMembers: (args: ConnectionArgs & { segmentId?: string | null; query?: string | null }, ctx: AdminContext) =>
    segmentMembersConnection(ctx, args),
  customerSegmentMembership: (args: { segmentIds: string[]; customerId: string }, ctx: AdminContext) => segmentMembership(ctx, args),
  codeDiscountNode: (args: { id: string }, ctx: AdminContext) => (requireGid(args.id, "DiscountCodeNode"), nodeById(ctx, args.id)),
  codeDiscountNodeByCode: (args: { code: string }, ctx: AdminContext) => discountNodeByCode(ctx, args.code),
  metafieldDefinitions: (args: ConnectionArgs & { ownerType: string; namespace?: string | null; key?: string | null }, ctx: AdminContext) =>
    metafieldDefinitionsConnection(ctx, args),
  currentBulkOperation: (args: { type: "QUERY" | "MUTATION" }, ctx: AdminContext) => currentBulkOperation(ctx, args.type),
  bulkOperations: (args: Args, ctx: AdminContext) => bulkOperationsConnection(ctx, args),
});
