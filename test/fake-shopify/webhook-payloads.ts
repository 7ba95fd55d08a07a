// REST-shaped webhook bodies: money as two-place strings, numeric ids as raw JSON
// numbers (RawNumber keeps digits beyond 2^53), plus admin_graphql_api_id.
import type { FakeCustomer, FakeLineItem, FakeOrder, FakeRefund, FakeTaxLine } from "./store/model";
import type { ShopStore } from "./store/shop-store";
import type { BulkOperationRecord } from "./store/records";
import { gid } from "./util/ids";
import { formatMoney, toCents } from "./util/money";
import { rawId, rawIdOrNull, type RawJson } from "./util/raw-json";
import {
  currentQuantity,
  customerSpendCents,
  gatewaysOf,
  lineDiscountCents,
  lineTaxCents,
  orderTotals,
  type Presentment,
  presentmentOf,
  refundTransactions,
  toPresentmentCents,
} from "./store/order-math";
import { restTimestamp } from "./util/timezone";

/** The webhook API version bodies are shaped for when the caller does not say. */
export const DEFAULT_PAYLOAD_API_VERSION = "2026-07";

const moneySet = (cents: bigint, currency: string, presentment?: Presentment): RawJson => ({
  shop_money: { amount: formatMoney(cents), currency_code: currency },
  presentment_money: presentment
    ? { amount: formatMoney(toPresentmentCents(cents, presentment)), currency_code: presentment.currency }
    : { amount: formatMoney(cents), currency_code: currency },
});

/** REST timestamps carry the shop's UTC offset ("2024-03-05T18:40:12-05:00") once the shop has a time zone. */
function shopTime(store: ShopStore, iso: string): string;
function shopTime(store: ShopStore, iso: string | null): string | null;
function shopTime(store: ShopStore, iso: string | null): string | null {
  const zone = store.data.shop.ianaTimezone;
  return iso === null || !zone ? iso : restTimestamp(iso, zone);
}

const taxLinePayload = (t: FakeTaxLine, currency: string, presentment: Presentment): RawJson => ({
  price: formatMoney(toCents(t.price)),
  rate: t.rate,
  title: t.title,
  price_set: moneySet(toCents(t.price), currency, presentment),
  channel_liable: false,
});

const consent = (state: string, at: string): RawJson => ({
  state: state.toLowerCase(),
  opt_in_level: state === "SUBSCRIBED" ? "single_opt_in" : null,
  consent_updated_at: at,
});

export function customerPayload(store: ShopStore, c: FakeCustomer): RawJson {
  const orders = store.ordersOf(c.id);
  return {
    id: rawId(c.id),
    email: c.email,
    created_at: shopTime(store, c.createdAt),
    updated_at: shopTime(store, c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    orders_count: orders.length,
    state: "enabled",
    total_spent: formatMoney(customerSpendCents(orders)),
    last_order_id: rawIdOrNull(orders.at(-1)?.id),
    note: c.note,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    tags: c.tags.join(", "),
    last_order_name: orders.at(-1)?.name ?? null,
    currency: store.data.shop.currency,
    phone: c.phone,
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: c.email ? consent(c.emailMarketingState, c.updatedAt) : null,
    sms_marketing_consent: c.phone ? { ...(consent(c.smsMarketingState, c.updatedAt) as object), consent_collected_from: "OTHER" } : null,
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: null,
  };
}

export const customerDeletePayload = (c: FakeCustomer): RawJson => ({
  id: rawId(c.id),
  phone: null,
  addresses: [],
  tax_exemptions: [],
  email_marketing_consent: null,
  sms_marketing_consent: null,
  admin_graphql_api_id: gid("Customer", c.id),
});

function lineItemPayload(store: ShopStore, order: FakeOrder, line: FakeLineItem): RawJson {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const giftCard = line.giftCard ?? false;
  const variant = line.variantId ? store.variantsById.get(line.variantId) : undefined;
  const product = line.productId ? store.productsById.get(line.productId) : undefined;
  const discount = lineDiscountCents(line);
  return {
    id: rawId(line.id),
    admin_graphql_api_id: gid("LineItem", line.id),
    current_quantity: currentQuantity(order, line),
    fulfillable_quantity: currentQuantity(order, line),
    fulfillment_service: "manual",
    fulfillment_status: null,
    gift_card: giftCard,
    grams: 0,
    name: variant && variant.title !== "Default Title" ? `${line.title} - ${variant.title}` : line.title,
    price: formatMoney(toCents(line.originalUnitPrice)),
    price_set: moneySet(toCents(line.originalUnitPrice), currency, presentment),
    product_exists: Boolean(product),
    product_id: rawIdOrNull(line.productId),
    properties: [],
    quantity: line.quantity,
    requires_shipping: !giftCard,
    sku: line.sku,
    taxable: !giftCard,
    title: line.title,
    total_discount: formatMoney(discount),
    total_discount_set: moneySet(discount, currency, presentment),
    variant_id: rawIdOrNull(line.variantId),
    variant_inventory_management: "shopify",
    variant_title: variant?.title ?? null,
    vendor: product?.vendor ?? null,
    tax_lines: (line.taxLines ?? []).map((t) => taxLinePayload(t, currency, presentment)),
    duties: [],
    discount_allocations: line.discountAllocations.map((a) => ({
      amount: formatMoney(toCents(a.amount)),
      amount_set: moneySet(toCents(a.amount), currency, presentment),
      discount_application_index: a.discountApplicationIndex,
    })),
  };
}

/**
 * Before API 2024-10 a refunded shipping amount is also an order adjustment of kind
 * `shipping_refund`; from 2024-10 adjustments carry no `kind` and shipping is left out
 * (Shopify's changelog "Exposing the order adjustments connection on a Refund").
 * Transactions are in the presentment currency, as the REST Transaction resource says.
 */
export function refundPayload(store: ShopStore, order: FakeOrder, refund: FakeRefund, apiVersion = DEFAULT_PAYLOAD_API_VERSION): RawJson {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const legacyAdjustments = apiVersion < "2024-10";
  const adjustments = [
    ...(legacyAdjustments && refund.shipping && toCents(refund.shipping.amount) !== 0n
      ? [{ id: `${refund.id}1`, kind: "shipping_refund" as const, amount: formatMoney(-toCents(refund.shipping.amount)), taxAmount: formatMoney(-toCents(refund.shipping.tax)), reason: "Shipping refund" }]
      : []),
    ...(refund.orderAdjustments ?? []).filter((a) => legacyAdjustments || a.kind !== "shipping_refund"),
  ];
  return {
    id: rawId(refund.id),
    admin_graphql_api_id: gid("Refund", refund.id),
    created_at: shopTime(store, refund.createdAt),
    note: refund.note,
    order_id: rawId(order.id),
    processed_at: shopTime(store, refund.createdAt),
    restock: refund.refundLineItems.some((r) => r.restockType !== "NO_RESTOCK"),
    total_duties_set: moneySet(0n, currency, presentment),
    user_id: null,
    order_adjustments: adjustments.map((a) => ({
      id: rawId(a.id),
      order_id: rawId(order.id),
      refund_id: rawId(refund.id),
      amount: formatMoney(toCents(a.amount)),
      amount_set: moneySet(toCents(a.amount), currency, presentment),
      tax_amount: formatMoney(toCents(a.taxAmount)),
      tax_amount_set: moneySet(toCents(a.taxAmount), currency, presentment),
      ...(legacyAdjustments ? { kind: a.kind } : {}),
      reason: a.reason,
    })),
    transactions: refundTransactions(order, refund).map((t) => ({
      id: rawId(t.id),
      admin_graphql_api_id: gid("OrderTransaction", t.id),
      amount: formatMoney(toPresentmentCents(toCents(t.amount), presentment)),
      currency: presentment.currency,
      gateway: t.gateway,
      kind: "refund",
      status: "success",
      order_id: rawId(order.id),
      created_at: shopTime(store, t.createdAt),
      processed_at: shopTime(store, t.createdAt),
      test: order.test ?? false,
    })),
    refund_line_items: refund.refundLineItems.map((rli) => {
      const line = order.lineItems.find((l) => l.id === rli.lineItemId);
      return {
        id: rawId(rli.id),
        line_item_id: rawId(rli.lineItemId),
        location_id: null,
        quantity: rli.quantity,
        restock_type: rli.restockType.toLowerCase(),
        subtotal: formatMoney(toCents(rli.subtotal)),
        subtotal_set: moneySet(toCents(rli.subtotal), currency, presentment),
        total_tax: formatMoney(toCents(rli.totalTax ?? "0")),
        total_tax_set: moneySet(toCents(rli.totalTax ?? "0"), currency, presentment),
        line_item: line ? lineItemPayload(store, order, line) : null,
      };
    }),
    duties: [],
  };
}

export function orderPayload(store: ShopStore, order: FakeOrder, apiVersion = DEFAULT_PAYLOAD_API_VERSION): RawJson {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const set = (cents: bigint): RawJson => moneySet(cents, currency, presentment);
  const t = orderTotals(order);
  const lineTax = order.lineItems.reduce((s, l) => s + lineTaxCents(l), 0n);
  const shippingTax = t.tax - lineTax;
  const firstTax = order.lineItems.flatMap((l) => l.taxLines ?? [])[0];
  const gateways = gatewaysOf(order);
  const customer = order.customerId ? store.customersById.get(order.customerId) : undefined;
  const orderNumber = Number(order.name.replace(/\D/g, "")) || 0;
  return {
    id: rawId(order.id),
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: shopTime(store, order.cancelledAt),
    closed_at: shopTime(store, order.closedAt),
    confirmed: true,
    contact_email: order.email,
    created_at: shopTime(store, order.createdAt),
    currency,
    current_subtotal_price: formatMoney(t.currentSubtotal),
    current_subtotal_price_set: set(t.currentSubtotal),
    current_total_discounts: formatMoney(t.totalDiscounts),
    current_total_discounts_set: set(t.totalDiscounts),
    current_total_price: formatMoney(t.currentTotal),
    current_total_price_set: set(t.currentTotal),
    current_total_tax: formatMoney(t.currentTax),
    current_total_tax_set: set(t.currentTax),
    discount_codes: order.discountCodes.map((code) => {
      const app = order.discountApplications.find((a) => a.type === "DISCOUNT_CODE" && a.code === code);
      const index = app ? order.discountApplications.indexOf(app) : -1;
      const amount = order.lineItems.reduce(
        (sum, l) => sum + l.discountAllocations.filter((a) => a.discountApplicationIndex === index).reduce((s, a) => s + toCents(a.amount), 0n),
        0n,
      );
      return { code, amount: formatMoney(amount), type: app?.valueType === "PERCENTAGE" ? "percentage" : "fixed_amount" };
    }),
    discount_applications: order.discountApplications.map((a) => ({
      target_type: a.targetType.toLowerCase(),
      type: a.type.toLowerCase(),
      value: a.valueType === "PERCENTAGE" ? Number(a.value).toFixed(1) : formatMoney(toCents(a.value)),
      value_type: a.valueType.toLowerCase(),
      allocation_method: a.allocationMethod.toLowerCase(),
      target_selection: a.allocationMethod === "ACROSS" ? "all" : "entitled",
      ...(a.type === "DISCOUNT_CODE" ? { code: a.code } : { title: a.title, description: a.title }),
    })),
    email: order.email,
    estimated_taxes: false,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: null,
    gateway: gateways[0],
    name: order.name,
    note: null,
    number: orderNumber - 1000,
    order_number: orderNumber,
    payment_gateway_names: gateways,
    phone: order.phone ?? null,
    presentment_currency: presentment.currency,
    processed_at: shopTime(store, order.processedAt),
    source_name: order.sourceName,
    subtotal_price: formatMoney(t.subtotal),
    subtotal_price_set: set(t.subtotal),
    tags: order.tags.join(", "),
    tax_lines: firstTax && t.tax > 0n ? [taxLinePayload({ title: firstTax.title, rate: firstTax.rate, price: formatMoney(t.tax) }, currency, presentment)] : [],
    taxes_included: order.taxesIncluded ?? false,
    test: order.test ?? false,
    total_discounts: formatMoney(t.totalDiscounts),
    total_discounts_set: set(t.totalDiscounts),
    total_line_items_price: formatMoney(t.lineItemsTotal),
    total_line_items_price_set: set(t.lineItemsTotal),
    total_outstanding: "0.00",
    total_price: formatMoney(t.total),
    total_price_set: set(t.total),
    total_shipping_price_set: set(t.shipping),
    total_tax: formatMoney(t.tax),
    total_tax_set: set(t.tax),
    total_weight: 0,
    updated_at: shopTime(store, order.updatedAt),
    user_id: null,
    customer: customer && !customer.deletedAt ? customerPayload(store, customer) : null,
    line_items: order.lineItems.map((l) => lineItemPayload(store, order, l)),
    refunds: order.refunds.map((r) => refundPayload(store, order, r, apiVersion)),
    shipping_lines: [
      {
        id: rawId(order.id),
        code: "Standard",
        price: formatMoney(t.shipping),
        price_set: set(t.shipping),
        title: "Standard",
        discount_allocations: [],
        tax_lines: firstTax && shippingTax > 0n ? [taxLinePayload({ title: firstTax.title, rate: firstTax.rate, price: formatMoney(shippingTax) }, currency, presentment)] : [],
      },
    ],
    fulfillments: [],
  };
}

export function shopPayload(store: ShopStore): RawJson {
  const shop = store.data.shop;
  return {
    id: rawId(shop.id),
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    plan_name: store.plan === "plus" ? "shopify_plus" : store.plan === "standard" ? "basic" : store.plan,
    currency: shop.currency,
    created_at: shop.createdAt,
    updated_at: shop.createdAt,
    shop_owner: shop.name,
    country_code: "US",
    iana_timezone: shop.ianaTimezone ?? "UTC",
    taxes_included: shop.taxesIncluded ?? false,
  };
}

export const bulkFinishPayload = (op: BulkOperationRecord): RawJson => ({
  admin_graphql_api_id: gid("BulkOperation", op.id),
  completed_at: op.completedAt,
  created_at: op.createdAt,
  error_code: op.errorCode?.toLowerCase() ?? null,
  status: op.status.toLowerCase(),
  type: op.type.toLowerCase(),
});

export const customersDataRequestPayload = (store: ShopStore, c: FakeCustomer, requestId: string): RawJson => ({
  shop_id: rawId(store.data.shop.id),
  shop_domain: store.domain,
  orders_requested: store.ordersOf(c.id).map((o) => rawId(o.id)),
  customer: { id: rawId(c.id), email: c.email, phone: c.phone },
  data_request: { id: rawId(requestId) },
});

export const customersRedactPayload = (store: ShopStore, c: FakeCustomer): RawJson => ({
  shop_id: rawId(store.data.shop.id),
  shop_domain: store.domain,
  customer: { id: rawId(c.id), email: c.email, phone: c.phone },
  orders_to_redact: store.ordersOf(c.id).map((o) => rawId(o.id)),
});

export const shopRedactPayload = (store: ShopStore): RawJson => ({
  shop_id: rawId(store.data.shop.id),
  shop_domain: store.domain,
});

/**
 * orders/edited: the edit itself, not the order (fetch or await orders/updated for that).
 * Lines the edit added are `additions`, units it removed are `removals`, with their deltas.
 */
export function orderEditedPayload(store: ShopStore, order: FakeOrder): RawJson {
  const at = order.editedAt ?? order.updatedAt;
  return {
    order_edit: {
      id: rawId((BigInt(order.id) + 1_000_000_000_000n).toString()),
      app_id: null,
      created_at: shopTime(store, at),
      notify_customer: false,
      order_id: rawId(order.id),
      staff_note: "",
      user_id: null,
      line_items: {
        additions: order.lineItems.filter((l) => l.addedAt === at).map((l) => ({ id: rawId(l.id), delta: l.quantity })),
        removals: order.lineItems.filter((l) => (l.removedQuantity ?? 0) > 0).map((l) => ({ id: rawId(l.id), delta: l.removedQuantity ?? 0 })),
      },
      discounts: { additions: [], removals: [] },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}
