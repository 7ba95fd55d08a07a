import { GraphQLError } from "graphql";
import type { AdminContext } from "./context";

/** A write scope implies its read scope, as Shopify grants them. */
export function hasScope(scopes: ReadonlySet<string>, scope: string): boolean {
  return scopes.has(scope) || (scope.startsWith("read_") && scopes.has(`write_${scope.slice(5)}`));
}

export function requireScope(ctx: AdminContext, field: string, scope: string): void {
  if (hasScope(ctx.scopes, scope)) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
  });
}

// Root fields and the scope Shopify asks for; fields not listed need none.
export const ROOT_FIELD_SCOPES: Record<string, string> = {
  customer: "read_customers",
  customers: "read_customers",
  order: "read_orders",
  orders: "read_orders",
  product: "read_products",
  products: "read_products",
  productVariant: "read_products",
  segment: "read_customers",
  segments: "read_customers",
  customerSegmentMembers: "read_customers",
  customerSegmentMembership: "read_customers",
  codeDiscountNode: "read_discounts",
  codeDiscountNodeByCode: "read_discounts",
  metafieldsSet: "write_customers",
  segmentCreate: "read_customers",
  discountCodeBasicCreate: "write_discounts",
  discountCodeFreeShippingCreate: "write_discounts",
  discountCodeDelete: "write_discounts",
  discountCodeBasicUpdate: "write_discounts",
  discountCodeFreeShippingUpdate: "write_discounts",
  discountCodeDeactivate: "write_discounts",
};

type Resolver = (args: never, ctx: AdminContext) => unknown;

/** Wraps root resolvers so each checks its scope before it runs. */
export function guarded<T extends Record<string, Resolver>>(resolvers: T): T {
  const out: Record<string, Resolver> = {};
  for (const [field, resolve] of Object.entries(resolvers)) {
    const scope = ROOT_FIELD_SCOPES[field];
    out[field] = scope
      ? (args: never, ctx: AdminContext) => {
          requireScope(ctx, field, scope);
          return resolve(args, ctx);
        }
      : resolve;
  }
  return out as T;
}
