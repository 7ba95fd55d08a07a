import type { AdminContext } from "../context";
import { nowIso } from "../context";
import type { SegmentRecord } from "../../store/records";
import type { FakeCustomer } from "../../store/model";
import { parseSegmentQuery, segmentMatches, SegmentQueryError } from "../../store/segment-query";
import { gid, parseGid } from "../../util/ids";
import { paginate, type ConnectionArgs } from "../../util/connection";
import { customerSpendCents, displayName } from "../../store/order-math";
import { moneyV2 } from "../views/money";
import type { ShopStore } from "../../store/shop-store";

export const segmentView = (s: SegmentRecord): object => ({
  __typename: "Segment",
  id: gid("Segment", s.id),
  name: s.name,
  query: s.query,
  creationDate: s.creationDate,
  lastEditDate: s.lastEditDate,
});

export function segmentMembers(store: ShopStore, segment: SegmentRecord): FakeCustomer[] {
  const expr = parseSegmentQuery(segment.query);
  return store.liveCustomers().filter((c) => segmentMatches(expr, c.tags));
}

export function segmentCreate(args: { name: string; query: string }, ctx: AdminContext) {
  const name = args.name.trim();
  if (!name) return { segment: null, userErrors: [{ field: ["name"], message: "Name can't be blank" }] };
  if (ctx.store.segments.some((s) => s.name === name)) return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
  try {
    parseSegmentQuery(args.query);
  } catch (error) {
    if (error instanceof SegmentQueryError) return { segment: null, userErrors: [{ field: ["query"], message: error.message }] };
    throw error;
  }
  const now = nowIso(ctx);
  const record: SegmentRecord = { id: ctx.store.newId(), name, query: args.query, creationDate: now, lastEditDate: now };
  ctx.store.segments.push(record);
  ctx.store.touch();
  return { segment: segmentView(record), userErrors: [] };
}

export function segmentMembersConnection(ctx: AdminContext, args: ConnectionArgs & { segmentId?: string | null; query?: string | null }) {
  let members: FakeCustomer[];
  if (args.segmentId) {
    const id = parseGid(args.segmentId)?.id;
    const segment = ctx.store.segments.find((s) => s.id === id);
    members = segment ? segmentMembers(ctx.store, segment) : [];
  } else {
    members = args.query ? ctx.store.liveCustomers().filter((c) => segmentMatches(parseSegmentQuery(args.query ?? ""), c.tags)) : [];
  }
  const currency = ctx.store.data.shop.currency;
  return {
    ...paginate(members, args, (c) => c.id, (c) => ({
      id: gid("Customer", c.id),
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: displayName(c),
      defaultEmailAddress: c.email ? { emailAddress: c.email, marketingState: c.emailMarketingState } : null,
      amountSpent: moneyV2(customerSpendCents(ctx.store.ordersOf(c.id)), currency),
      numberOfOrders: String(ctx.store.ordersOf(c.id).length),
    })),
    totalCount: members.length,
  };
}

export function segmentMembership(ctx: AdminContext, args: { segmentIds: string[]; customerId: string }) {
  const customer = ctx.store.customersById.get(parseGid(args.customerId)?.id ?? "");
  return {
    memberships: args.segmentIds.map((segmentId) => {
      const segment = ctx.store.segments.find((s) => s.id === parseGid(segmentId)?.id);
      const isMember = Boolean(segment && customer && !customer.deletedAt && segmentMatches(parseSegmentQuery(segment.query), customer.tags));
      return { segmentId, isMember };
    }),
  };
}
