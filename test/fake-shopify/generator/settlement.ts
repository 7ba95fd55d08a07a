import type { FakeLineItem, FakeOrder, FakeRefund, FakeRefundLineItem } from "../store/model";
import type { Behaviour } from "./behaviour";
import { DAY_MS, HOUR_MS, isoSeconds } from "./calendar";
import type { IdSequence } from "./ids";
import { formatCents } from "./money";
import type { Rng } from "./rng";

export interface SoldLine {
  readonly line: FakeLineItem;
  readonly netCents: number;
  /** This line's share of the order's tax (inside `netCents` when taxes are included). */
  readonly taxCents: number;
  /** A return may pick it alone (gift cards and zero-priced gifts are only refunded with the whole order). */
  readonly refundable: boolean;
}

export interface OrderTotals {
  readonly lines: readonly SoldLine[];
  readonly shippingCents: number;
  readonly shippingTaxCents: number;
  readonly taxCents: number;
  readonly taxRate: number;
  readonly taxesIncluded: boolean;
}

export interface Settlement {
  readonly financialStatus: FakeOrder["financialStatus"];
  readonly cancelledAt: string | null;
  readonly cancelReason: string | null;
  readonly closedAt: string | null;
  readonly refunds: FakeRefund[];
  readonly updatedMs: number;
}

export interface RefundIds {
  readonly refund: IdSequence;
  readonly refundLineItem: IdSequence;
}

const CANCEL_REASONS = ["CUSTOMER", "CUSTOMER", "INVENTORY", "DECLINED", "FRAUD", "OTHER"];
const RETURN_NOTES = ["Customer return", "Wrong size", "Damaged in transit", "Changed mind", null];

function paidCents(totals: OrderTotals): number {
  return totals.lines.reduce((s, l) => s + l.netCents, 0) + totals.shippingCents + (totals.taxesIncluded ? 0 : totals.taxCents);
}

/** Tax inside a tax-inclusive amount: round(gross × r / (1 + r)), half up. */
export const includedTaxCents = (grossCents: number, rate: number): number => Math.round((grossCents * rate) / (1 + rate));

function fullRefund(
  totals: OrderTotals,
  atMs: number,
  restockType: FakeRefundLineItem["restockType"],
  note: string | null,
  ids: RefundIds,
): FakeRefund {
  return {
    id: ids.refund.next(),
    createdAt: isoSeconds(atMs),
    note,
    refundLineItems: totals.lines.map(({ line, netCents, taxCents }) => ({
      id: ids.refundLineItem.next(),
      lineItemId: line.id,
      quantity: line.quantity,
      restockType,
      subtotal: formatCents(netCents),
      totalTax: formatCents(taxCents),
    })),
    totalRefunded: formatCents(paidCents(totals)),
    shipping:
      totals.shippingCents > 0 || totals.shippingTaxCents > 0
        ? { amount: formatCents(totals.shippingCents), tax: formatCents(totals.shippingTaxCents) }
        : null,
  };
}

/**
 * Some of one line comes back; the refund is its share of what was paid, tax included.
 * Tax-exclusive: the tax is round(subtotal × rate) on top. Tax-inclusive: the subtotal
 * already holds round(subtotal × r / (1 + r)) of tax.
 */
function partialRefund(totals: OrderTotals, atMs: number, rng: Rng, ids: RefundIds): FakeRefund {
  const candidates = totals.lines.filter((l) => l.refundable);
  const { line, netCents } = rng.pick(candidates);
  const quantity = rng.int(1, line.quantity);
  const subtotal = Math.floor((netCents * quantity) / line.quantity);
  const tax = totals.taxesIncluded ? includedTaxCents(subtotal, totals.taxRate) : Math.min(totals.taxCents, Math.round(subtotal * totals.taxRate));
  return {
    id: ids.refund.next(),
    createdAt: isoSeconds(atMs),
    note: rng.pick(RETURN_NOTES),
    refundLineItems: [
      {
        id: ids.refundLineItem.next(),
        lineItemId: line.id,
        quantity,
        restockType: rng.chance(0.85) ? "RETURN" : "NO_RESTOCK",
        subtotal: formatCents(subtotal),
        totalTax: formatCents(tax),
      },
    ],
    totalRefunded: formatCents(totals.taxesIncluded ? subtotal : subtotal + tax),
  };
}

function isWholeOrder(totals: OrderTotals): boolean {
  return totals.lines.length === 1 && totals.lines[0].line.quantity === 1;
}

/** Payment, fulfilment, cancellation and returns, none of them after asOf. */
export function settle(
  totals: OrderTotals,
  createdMs: number,
  asOfMs: number,
  behaviour: Behaviour,
  rng: Rng,
  ids: RefundIds,
): Settlement {
  if (createdMs > asOfMs - 3 * DAY_MS && rng.chance(0.15)) {
    return { financialStatus: "AUTHORIZED", cancelledAt: null, cancelReason: null, closedAt: null, refunds: [], updatedMs: createdMs };
  }

  const cancelMs = Math.floor((createdMs + rng.float(0.5, 48) * HOUR_MS) / 1000) * 1000;
  if (rng.chance(behaviour.cancelProb) && cancelMs < asOfMs) {
    const reason = rng.pick(CANCEL_REASONS);
    const voided = reason === "DECLINED" || reason === "FRAUD" || rng.chance(0.4);
    return {
      financialStatus: voided ? "VOIDED" : "REFUNDED",
      cancelledAt: isoSeconds(cancelMs),
      cancelReason: reason,
      closedAt: isoSeconds(cancelMs),
      refunds: voided ? [] : [fullRefund(totals, cancelMs, "CANCEL", "Order cancelled", ids)],
      updatedMs: cancelMs,
    };
  }

  const closedMs = Math.floor((createdMs + rng.float(1, 5) * DAY_MS) / 1000) * 1000;
  const closedAt = closedMs < asOfMs ? isoSeconds(closedMs) : null;
  const refundMs = Math.floor((createdMs + rng.float(6, 40) * DAY_MS) / 1000) * 1000;
  if (!rng.chance(behaviour.refundProb) || refundMs >= asOfMs) {
    return { financialStatus: "PAID", cancelledAt: null, cancelReason: null, closedAt, refunds: [], updatedMs: closedAt ? closedMs : createdMs };
  }
  const whole = isWholeOrder(totals) || rng.chance(0.35) || !totals.lines.some((l) => l.refundable);
  const refund = whole ? fullRefund(totals, refundMs, "RETURN", rng.pick(RETURN_NOTES), ids) : partialRefund(totals, refundMs, rng, ids);
  const everything = whole || refund.totalRefunded === formatCents(paidCents(totals));
  return {
    financialStatus: everything ? "REFUNDED" : "PARTIALLY_REFUNDED",
    cancelledAt: null,
    cancelReason: null,
    closedAt,
    refunds: [refund],
    updatedMs: refundMs,
  };
}
