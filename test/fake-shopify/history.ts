// A generated shop's history as the webhooks Shopify would have sent while it happened:
// each customer's customers/create, each order's orders/create as it was at checkout,
// then its edits, refunds and cancellation with the order as it stood at that moment.
import { randomUUID } from "node:crypto";
import type { FakeOrder } from "./store/model";
import type { ShopStore } from "./store/shop-store";
import type { RawJson } from "./util/raw-json";
import { orderTotals } from "./store/order-math";
import { customerPayload, orderEditedPayload, orderPayload, refundPayload } from "./webhook-payloads";

export interface HistoryEvent {
  at: string;
  topic: string;
  payload: RawJson;
  eventId: string;
}

const ms = (iso: string): number => Date.parse(iso);

/**
 * The order as it stood at `at`: refunds made after it left out, a later edit undone
 * (its added lines gone, removed units back), a later cancellation not yet there, and
 * the financial status it had then.
 */
export function orderAsOf(order: FakeOrder, at: string): FakeOrder {
  const t = ms(at);
  const refunds = order.refunds.filter((r) => ms(r.createdAt) <= t);
  const edited = order.editedAt != null && ms(order.editedAt) <= t;
  const cancelled = order.cancelledAt !== null && ms(order.cancelledAt) <= t;
  const lineItems = edited
    ? order.lineItems
    : order.lineItems.filter((l) => !l.addedAt).map((l) => (l.removedQuantity ? { ...l, removedQuantity: 0 } : l));
  const snapshot: FakeOrder = {
    ...order,
    lineItems,
    refunds,
    cancelledAt: cancelled ? order.cancelledAt : null,
    cancelReason: cancelled ? order.cancelReason : null,
    closedAt: order.closedAt !== null && ms(order.closedAt) <= t ? order.closedAt : null,
    editedAt: edited ? order.editedAt : null,
    updatedAt: ms(order.updatedAt) <= t ? order.updatedAt : at,
  };
  if (!cancelled && order.financialStatus === "VOIDED") snapshot.financialStatus = "AUTHORIZED";
  else if (!cancelled && refunds.length < order.refunds.length) {
    const totals = orderTotals(snapshot);
    snapshot.financialStatus = totals.refunded === 0n ? "PAID" : totals.refunded >= totals.total ? "REFUNDED" : "PARTIALLY_REFUNDED";
  }
  return snapshot;
}

/**
 * Every webhook the shop's history would have produced, oldest first. Events at one
 * instant share an Event-Id and come as Shopify sends them: refunds/create,
 * orders/cancelled, orders/edited, then one orders/updated.
 */
export function storeHistory(store: ShopStore, apiVersion: string): HistoryEvent[] {
  const events: { at: string; rank: number; build: () => Omit<HistoryEvent, "at" | "eventId">[] }[] = [];
  for (const c of store.data.customers) {
    if (c.deletedAt) continue;
    events.push({ at: c.createdAt, rank: 0, build: () => [{ topic: "customers/create", payload: customerPayload(store, c) }] });
  }
  for (const order of store.data.orders) {
    events.push({
      at: order.createdAt,
      rank: 1,
      build: () => {
        const o = orderAsOf(order, order.createdAt);
        const paid = o.financialStatus === "PAID";
        return [
          { topic: "orders/create", payload: orderPayload(store, o, apiVersion) },
          ...(paid ? [{ topic: "orders/paid", payload: orderPayload(store, o, apiVersion) }] : []),
        ];
      },
    });
    const moments = new Set<string>([
      ...order.refunds.map((r) => r.createdAt),
      ...(order.cancelledAt ? [order.cancelledAt] : []),
      ...(order.editedAt ? [order.editedAt] : []),
    ]);
    for (const at of moments) {
      events.push({
        at,
        rank: 2,
        build: () => {
          const o = orderAsOf(order, at);
          const out: Omit<HistoryEvent, "at" | "eventId">[] = [];
          for (const r of o.refunds) if (r.createdAt === at) out.push({ topic: "refunds/create", payload: refundPayload(store, o, r, apiVersion) });
          if (o.cancelledAt === at) out.push({ topic: "orders/cancelled", payload: orderPayload(store, o, apiVersion) });
          if (o.editedAt === at) out.push({ topic: "orders/edited", payload: orderEditedPayload(store, o) });
          out.push({ topic: "orders/updated", payload: orderPayload(store, o, apiVersion) });
          return out;
        },
      });
    }
  }
  events.sort((a, b) => ms(a.at) - ms(b.at) || a.rank - b.rank);
  return events.flatMap((e) => {
    const eventId = randomUUID();
    return e.build().map((x) => ({ ...x, at: e.at, eventId }));
  });
}
