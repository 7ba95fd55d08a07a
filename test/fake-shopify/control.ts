import { randomUUID } from "node:crypto";
import type { FakeCustomer, FakeDiscountApplication, FakeLineItem, FakeOrder, FakeRefund, MarketingState, Plan } from "./store/model";
import type { ShopStore } from "./store/shop-store";
import type { WebhookDispatcher } from "./webhooks";
import type { Clock } from "./util/clock";
import type { RawJson } from "./util/raw-json";
import { formatMoney, toCents } from "./util/money";
import { currentQuantity, lineDiscountedUnitCents, orderTotals } from "./store/order-math";
import {
  customerDeletePayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderEditedPayload,
  orderPayload,
  refundPayload,
  shopPayload,
  shopRedactPayload,
} from "./webhook-payloads";

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PlaceOrderInput {
  customerId?: string | null;
  email?: string | null;
  lineItems: { variantId: string; quantity: number }[];
  discountCode?: string | null;
  /** Applies the code at this percentage when no discount with the code exists in the shop. */
  discountPercentage?: number | null;
  financialStatus?: "PAID" | "PENDING";
  shippingPrice?: string;
  tags?: string[];
  /** A test order (`test: true`, bogus gateway unless `paymentGatewayNames` says otherwise). */
  test?: boolean;
  phone?: string | null;
  paymentGatewayNames?: string[];
}

export interface RefundInput {
  lineItems: { lineItemId: string; quantity: number; restockType?: "RETURN" | "CANCEL" | "NO_RESTOCK" }[];
  note?: string | null;
}

/** An order edit: units taken off existing lines, new lines added at the variants' prices. */
export interface EditOrderInput {
  removeLineItems?: { lineItemId: string; quantity: number }[];
  addLineItems?: { variantId: string; quantity: number }[];
}

export interface CustomerPatch {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  emailMarketingState?: MarketingState;
  smsMarketingState?: MarketingState;
}

const SHOP_REDACT_DELAY_MS = 48 * 3_600_000;
const ALWAYS_SENT = new Set(["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"]);

function nextOrderNumber(store: ShopStore): number {
  const last = store.data.orders.at(-1);
  return last ? Number(last.name.replace(/\D/g, "")) + 1 : 1001;
}

/** A new line of `quantity` units of the variant at its current price, cost and compare-at price; 404 or 400 for a bad input. */
function newLine(store: ShopStore, variantId: string, quantity: number): FakeLineItem {
  const variant = store.variantsById.get(variantId);
  if (!variant) throw new ControlError(404, `No variant ${variantId}`);
  if (!Number.isInteger(quantity) || quantity < 1) throw new ControlError(400, "Quantity must be a positive integer");
  const product = store.productsById.get(variant.productId);
  return {
    id: store.newId(),
    productId: variant.productId,
    variantId,
    title: product?.title ?? variant.title,
    sku: variant.sku,
    quantity,
    originalUnitPrice: variant.price,
    compareAtPrice: variant.compareAtPrice,
    unitCost: variant.unitCost,
    discountAllocations: [],
  };
}

/** What a merchant or buyer does in the shop, with the webhooks Shopify sends for it. */
export class ShopActions {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly webhooks: WebhookDispatcher,
    private readonly clock: Clock,
    private readonly timeScale: number,
    private readonly revokeTokens: (shop: string) => void,
  ) {}

  /** An uninstalled app gets no webhooks from the shop, except the uninstall and privacy topics. */
  private emit(store: ShopStore, topic: string, payload: RawJson, eventId?: string): void {
    if (store.installed || ALWAYS_SENT.has(topic)) this.webhooks.emit(store.domain, topic, payload, eventId);
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  private customer(store: ShopStore, id: string): FakeCustomer {
    const c = store.customersById.get(id);
    if (!c || c.deletedAt) throw new ControlError(404, `No customer ${id} in ${store.domain}`);
    return c;
  }

  private order(store: ShopStore, id: string): FakeOrder {
    const o = store.ordersById.get(id);
    if (!o) throw new ControlError(404, `No order ${id} in ${store.domain}`);
    return o;
  }

  placeOrder(store: ShopStore, input: PlaceOrderInput): FakeOrder {
    if (!input.lineItems?.length) throw new ControlError(400, "An order needs at least one line item");
    const customer = input.customerId ? this.customer(store, input.customerId) : undefined;
    const now = this.now();
    const lines: FakeLineItem[] = input.lineItems.map(({ variantId, quantity }) => newLine(store, variantId, quantity));
    const applications: FakeDiscountApplication[] = [];
    const codes: string[] = [];
    if (input.discountCode) {
      const code = input.discountCode;
      const discount = store.discounts.find((d) => d.codes.some((c) => c.code.toLowerCase() === code.toLowerCase()));
      const percentage = discount?.value?.kind === "percentage" ? discount.value.percentage * 100 : (input.discountPercentage ?? null);
      const amount = discount?.value?.kind === "amount" ? toCents(discount.value.amount) : null;
      if (percentage === null && amount === null) throw new ControlError(400, `No discount with code ${code}; pass discountPercentage to apply one anyway`);
      applications.push({
        type: "DISCOUNT_CODE",
        code,
        title: null,
        valueType: percentage !== null ? "PERCENTAGE" : "FIXED_AMOUNT",
        value: percentage !== null ? percentage.toFixed(1) : formatMoney(amount ?? 0n),
        allocationMethod: "ACROSS",
        targetType: "LINE_ITEM",
      });
      codes.push(code);
      const gross = lines.map((l) => toCents(l.originalUnitPrice) * BigInt(l.quantity));
      const total = gross.reduce((a, b) => a + b, 0n);
      const off = percentage !== null ? (total * BigInt(Math.round(percentage * 100))) / 10_000n : amount! > total ? total : amount!;
      let left = off;
      lines.forEach((line, i) => {
        const share = i === lines.length - 1 ? left : total === 0n ? 0n : (off * gross[i]) / total;
        left -= share;
        if (share > 0n) line.discountAllocations.push({ amount: formatMoney(share), discountApplicationIndex: 0 });
      });
    }
    const order: FakeOrder = {
      id: store.newId(),
      name: `#${nextOrderNumber(store)}`,
      customerId: customer?.id ?? null,
      email: input.email ?? customer?.email ?? null,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      currency: store.data.shop.currency,
      financialStatus: input.financialStatus ?? "PAID",
      sourceName: "web",
      lineItems: lines,
      shippingPrice: input.shippingPrice ?? "0.00",
      totalTax: "0.00",
      discountCodes: codes,
      discountApplications: applications,
      refunds: [],
      tags: input.tags ?? [],
      ...(input.test ? { test: true, paymentGatewayNames: input.paymentGatewayNames ?? ["bogus"] } : {}),
      ...(!input.test && input.paymentGatewayNames ? { paymentGatewayNames: input.paymentGatewayNames } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
    };
    store.addOrder(order);
    const eventId = randomUUID();
    this.emit(store, "orders/create", orderPayload(store, order), eventId);
    if (order.financialStatus === "PAID") this.emit(store, "orders/paid", orderPayload(store, order), eventId);
    if (customer) {
      customer.updatedAt = now;
      this.emit(store, "customers/update", customerPayload(store, customer), eventId);
    }
    return order;
  }

  refund(store: ShopStore, orderId: string, input: RefundInput): FakeRefund {
    const order = this.order(store, orderId);
    const now = this.now();
    const refund: FakeRefund = {
      id: store.newId(),
      createdAt: now,
      note: input.note ?? null,
      refundLineItems: input.lineItems.map((item) => {
        const line = order.lineItems.find((l) => l.id === item.lineItemId);
        if (!line) throw new ControlError(404, `No line item ${item.lineItemId} on order ${orderId}`);
        if (item.quantity < 1 || item.quantity > currentQuantity(order, line)) throw new ControlError(400, "Refund quantity exceeds what is left on the line");
        return { id: store.newId(), lineItemId: line.id, quantity: item.quantity, restockType: item.restockType ?? "RETURN", subtotal: formatMoney(lineDiscountedUnitCents(line) * BigInt(item.quantity)) };
      }),
      totalRefunded: "0.00",
    };
    refund.totalRefunded = formatMoney(refund.refundLineItems.reduce((sum, r) => sum + toCents(r.subtotal), 0n));
    order.refunds.push(refund);
    order.financialStatus = orderTotals(order).currentTotal <= 0n ? "REFUNDED" : "PARTIALLY_REFUNDED";
    order.updatedAt = now;
    store.touch("orders");
    const eventId = randomUUID();
    this.emit(store, "refunds/create", refundPayload(store, order, refund, this.webhooks.apiVersion), eventId);
    this.emit(store, "orders/updated", orderPayload(store, order), eventId);
    return refund;
  }

  /**
   * Commits an order edit and fires orders/edited and orders/updated. Removed units keep
   * their line's `quantity` and leave `currentQuantity` and the totals; no money moves
   * (refund any balance with `refund`).
   */
  editOrder(store: ShopStore, orderId: string, input: EditOrderInput): FakeOrder {
    const order = this.order(store, orderId);
    if (order.cancelledAt) throw new ControlError(409, `Order ${orderId} is cancelled`);
    const removals = input.removeLineItems ?? [];
    const additions = input.addLineItems ?? [];
    if (removals.length === 0 && additions.length === 0) throw new ControlError(400, "An edit needs removeLineItems or addLineItems");
    for (const r of removals) {
      const line = order.lineItems.find((l) => l.id === r.lineItemId);
      if (!line) throw new ControlError(404, `No line item ${r.lineItemId} on order ${orderId}`);
      if (!Number.isInteger(r.quantity) || r.quantity < 1 || r.quantity > currentQuantity(order, line)) throw new ControlError(400, "Removal quantity exceeds what is left on the line");
    }
    const now = this.now();
    const added: FakeLineItem[] = additions.map(({ variantId, quantity }) => {
      const line = newLine(store, variantId, quantity);
      const giftCard = line.productId !== null && store.productsById.get(line.productId)?.giftCard;
      return { ...line, ...(giftCard ? { giftCard: true } : {}), addedAt: now };
    });
    for (const r of removals) {
      const line = order.lineItems.find((l) => l.id === r.lineItemId)!;
      line.removedQuantity = (line.removedQuantity ?? 0) + r.quantity;
    }
    order.lineItems.push(...added);
    order.editedAt = now;
    order.updatedAt = now;
    store.touch("orders");
    const eventId = randomUUID();
    this.emit(store, "orders/edited", orderEditedPayload(store, order), eventId);
    this.emit(store, "orders/updated", orderPayload(store, order, this.webhooks.apiVersion), eventId);
    return order;
  }

  cancel(store: ShopStore, orderId: string, reason: FakeOrder["cancelReason"] = "CUSTOMER"): FakeOrder {
    const order = this.order(store, orderId);
    if (order.cancelledAt) throw new ControlError(409, `Order ${orderId} is already cancelled`);
    const now = this.now();
    order.cancelledAt = now;
    order.cancelReason = reason ?? "OTHER";
    order.closedAt = now;
    order.updatedAt = now;
    store.touch("orders");
    const eventId = randomUUID();
    this.emit(store, "orders/cancelled", orderPayload(store, order), eventId);
    this.emit(store, "orders/updated", orderPayload(store, order), eventId);
    return order;
  }

  orderUpdated(store: ShopStore, orderId: string): void {
    const order = this.order(store, orderId);
    this.emit(store, "orders/updated", orderPayload(store, order));
  }

  customerUpdated(store: ShopStore, customerId: string): void {
    this.emit(store, "customers/update", customerPayload(store, this.customer(store, customerId)));
  }

  createCustomer(store: ShopStore, patch: CustomerPatch): FakeCustomer {
    const now = this.now();
    const customer: FakeCustomer = {
      id: store.newId(),
      firstName: patch.firstName ?? "",
      lastName: patch.lastName ?? "",
      email: patch.email ?? null,
      phone: patch.phone ?? null,
      tags: patch.tags ?? [],
      note: patch.note ?? null,
      createdAt: now,
      updatedAt: now,
      emailMarketingState: patch.emailMarketingState ?? "NOT_SUBSCRIBED",
      smsMarketingState: patch.smsMarketingState ?? "NOT_SUBSCRIBED",
      metafields: [],
      deletedAt: null,
    };
    store.addCustomer(customer);
    this.emit(store, "customers/create", customerPayload(store, customer));
    return customer;
  }

  updateCustomer(store: ShopStore, id: string, patch: CustomerPatch): FakeCustomer {
    const customer = this.customer(store, id);
    Object.assign(customer, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    customer.updatedAt = this.now();
    store.touch("customers");
    this.customerUpdated(store, id);
    return customer;
  }

  deleteCustomer(store: ShopStore, id: string): void {
    const customer = this.customer(store, id);
    customer.deletedAt = this.now();
    store.touch("customers");
    this.emit(store, "customers/delete", customerDeletePayload(customer));
  }

  dataRequest(store: ShopStore, customerId: string): void {
    this.emit(store, "customers/data_request", customersDataRequestPayload(store, this.customer(store, customerId), store.newId()));
  }

  redactCustomer(store: ShopStore, customerId: string): void {
    const customer = store.customersById.get(customerId);
    if (!customer) throw new ControlError(404, `No customer ${customerId}`);
    this.emit(store, "customers/redact", customersRedactPayload(store, customer));
  }

  redactShop(store: ShopStore): void {
    this.emit(store, "shop/redact", shopRedactPayload(store));
  }

  /** Uninstalling revokes every token at once; shop/redact follows 48 hours later (scaled). */
  uninstall(store: ShopStore): void {
    if (!store.installed) throw new ControlError(409, `${store.domain} has no installation`);
    store.installed = false;
    this.revokeTokens(store.domain);
    this.emit(store, "app/uninstalled", shopPayload(store));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!store.installed) this.redactShop(store);
    }, SHOP_REDACT_DELAY_MS * this.timeScale);
    this.timers.add(timer);
  }

  setPlan(store: ShopStore, plan: Plan): void {
    store.data.shop.plan = plan;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
