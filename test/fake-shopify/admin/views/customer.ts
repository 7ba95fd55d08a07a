import type { FakeCustomer } from "../../store/model";
import { resolveNamespace, type AdminContext } from "../context";
import type { ConnectionArgs } from "../../util/connection";
import { gid } from "../../util/ids";
import { customerSpendCents, displayName } from "../../store/order-math";
import { predictedSpendTier, rfmGroup } from "../../store/rfm";
import { orderList, type ListArgs } from "../lists";
import { listConnection } from "./connection";
import { metafieldView } from "./metafield";
import { moneyV2 } from "./money";
import { orderView } from "./order";
import { paginate } from "../../util/connection";

export function customerView(ctx: AdminContext, c: FakeCustomer): object {
  const orders = (): ReturnType<AdminContext["store"]["ordersOf"]> => ctx.store.ordersOf(c.id);
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: displayName(c),
    email: c.email,
    phone: c.phone,
    defaultEmailAddress: c.email ? { emailAddress: c.email, marketingState: c.emailMarketingState } : null,
    defaultPhoneNumber: c.phone ? { phoneNumber: c.phone, marketingState: c.smsMarketingState } : null,
    tags: c.tags,
    note: c.note,
    amountSpent: () => moneyV2(customerSpendCents(orders()), ctx.store.data.shop.currency),
    numberOfOrders: () => String(orders().length),
    emailMarketingConsent: c.email
      ? { marketingState: c.emailMarketingState, marketingOptInLevel: c.emailMarketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null, consentUpdatedAt: c.updatedAt }
      : null,
    smsMarketingConsent: c.phone
      ? { marketingState: c.smsMarketingState, marketingOptInLevel: c.smsMarketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : "UNKNOWN", consentUpdatedAt: c.updatedAt }
      : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    statistics: () => ({
      rfmGroup: rfmGroup(orders(), ctx.services.clock.now()),
      predictedSpendTier: predictedSpendTier(orders(), ctx.services.clock.now()),
    }),
    lastOrder: () => {
      const list = orderList(ctx, { sortKey: "PROCESSED_AT" }, c.id).list;
      const last = list.at(-1);
      return last ? orderView(ctx, last) : null;
    },
    metafield: (args: { namespace?: string | null; key: string }) => {
      const namespace = resolveNamespace(args.namespace);
      const found = c.metafields.find((m) => m.namespace === namespace && m.key === args.key);
      return found ? metafieldView(ctx, found, "CUSTOMER") : null;
    },
    metafields: (args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null }) => {
      const namespace = args.namespace == null ? null : resolveNamespace(args.namespace);
      const keys = args.keys ? new Set(args.keys) : null;
      const list = c.metafields.filter(
        (m) => (namespace === null || m.namespace === namespace) && (keys === null || keys.has(`${m.namespace}.${m.key}`)),
      );
      return listConnection(list, args, (m) => m.id, (m) => metafieldView(ctx, m, "CUSTOMER"));
    },
    orders: (args: ConnectionArgs & ListArgs) => {
      const sorted = orderList(ctx, { query: args.query, sortKey: args.sortKey ?? "ID" }, c.id);
      return paginate(sorted.list, args, (o) => o.id, (o) => orderView(ctx, o), sorted.indexOf);
    },
  };
}
