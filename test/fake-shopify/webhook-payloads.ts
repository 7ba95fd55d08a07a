// REST-shaped webhook bodies: money as two-place strings, numeric ids as raw JSON
// numbers (RawNumber keeps digits beyond 2^53), plus admin_graphql_api_id.
import type { FakeCustomer, FakeLineItem, FakeOrder, FakeRefund } from "./store/model";
import type { ShopStore } from "./store/shop-store";
import type { BulkOperationRecord } from "./store/records";
import { gid } from "./util/ids";
import { formatMoney, toCents } from "./util/money";
import { rawId, rawIdOrNull, type RawJson } from "./util/raw-json";
import { lineDiscountCents, orderTotals, refundedQuantity, customerSpendCents } from "./store/order-math";

const moneySet = (cents: bigint, currency: string): RawJson => ({
  shop_money: { amount: formatMoney(cents), currency_code: currency },
  presentment_money: { amount: formatMoney(cents), currency_code: currency },
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
    created_at: c.createdAt,
    updated_at: c.updatedAt,
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
  const variant = line.variantId ? store.variantsById.get(line.variantId) : undefined;
  const product = line.productId ? store.productsById.get(line.productId) : undefined;
  const discount = lineDiscountCents(line);
  return {
    id: rawId(line.id),
    admin_graphql_api_id: gid("LineItem", line.id),
    current_quantity: Math.max(0, line.quantity - refundedQuantity(order, line.id)),
    fulfillable_quantity: line.quantity,
    fulfillment_service: "manual",
    fulfillment_status: null,
    gift_card: false,
    grams: 0,
    name: variant ? `${line.title} - ${variant.title}` : line.title,
    price: formatMoney(toCents(line.originalUnitPrice)),
    price_set: moneySet(toCents(line.originalUnitPrice), currency),
    product_exists: Boolean(product),
    product_id: rawIdOrNull(line.productId),
    properties: [],
    quantity: line.quantity,
    requires_shipping: true,
    sku: line.sku,
    taxable: true,
    title: line.title,
    total_discount: formatMoney(discount),
    total_discount_set: moneySet(discount, currency),
    variant_id: rawIdOrNull(line.variantId),
    variant_inventory_management: "shopify",
    variant_title: variant?.title ?? null,
    vendor: product?.vendor ?? null,
    tax_lines: [],
    duties: [],
    discount_allocations: line.discountAllocations.map((a) => ({
      amount: formatMoney(toCents(a.amount)),
      amount_set: moneySet(toCents(a.amount), currency),
      discount_application_index: a.discountApplicationIndex,
    })),
  };
}

export function refundPayload(store: ShopStore, order: FakeOrder, refund: FakeRefund): RawJson {
  const currency = order.currency;
  return {
    id: rawId(refund.id),
    admin_graphql_api_id: gid("Refund", refund.id),
    created_at: refund.createdAt,
    note: refund.note,
    order_id: rawId(order.id),
    processed_at: refund.createdAt,
    restock: refund.refundLineItems.some((r) => r.restockType !== "NO_RESTOCK"),
    total_duties_set: moneySet(0n, currency),
    user_id: null,
    order_adjustments: [],
    transactions: [
      {
        id: rawId(refund.id),
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.id}`,
        amount: formatMoney(toCents(refund.totalRefunded)),
        currency,
        kind: "refund",
        status: "success",
        order_id: rawId(order.id),
        created_at: refund.createdAt,
      },
    ],
    refund_line_items: refund.refundLineItems.map((rli) => {
      const line = order.lineItems.find((l) => l.id === rli.lineItemId);
      return {
        id: rawId(rli.id),
        line_item_id: rawId(rli.lineItemId),
        location_id: null,
        quantity: rli.quantity,
        restock_type: rli.restockType.toLowerCase(),
        subtotal: formatMoney(toCents(rli.subtotal)),
        subtotal_set: moneySet(toCents(rli.subtotal), currency),
        total_tax: "0.00",
        total_tax_set: moneySet(0n, currency),
        line_item: line ? lineItemPayload(store, order, line) : null,
      };
    }),
    duties: [],
  };
}

export function orderPayload(store: ShopStore, order: FakeOrder): RawJson {
  const currency = order.currency;
  const t = orderTotals(order);
  const customer = order.customerId ? store.customersById.get(order.customerId) : undefined;
  const orderNumber = Number(order.name.replace(/\D/g, "")) || 0;
  return {
    id: rawId(order.id),
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: order.cancelledAt,
    closed_at: order.closedAt,
    confirmed: true,
    contact_email: order.email,
    created_at: order.createdAt,
    currency,
    current_subtotal_price: formatMoney(t.currentSubtotal),
    current_subtotal_price_set: moneySet(t.currentSubtotal, currency),
    current_total_discounts: formatMoney(t.totalDiscounts),
    current_total_discounts_set: moneySet(t.totalDiscounts, currency),
    current_total_price: formatMoney(t.currentTotal),
    current_total_price_set: moneySet(t.currentTotal, currency),
    current_total_tax: formatMoney(t.tax),
    current_total_tax_set: moneySet(t.tax, currency),
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
    name: order.name,
    note: null,
    number: orderNumber - 1000,
    order_number: orderNumber,
    presentment_currency: currency,
    processed_at: order.processedAt,
    source_name: order.sourceName,
    subtotal_price: formatMoney(t.subtotal),
    subtotal_price_set: moneySet(t.subtotal, currency),
    tags: order.tags.join(", "),
    taxes_included: false,
    test: false,
    total_discounts: formatMoney(t.totalDiscounts),
    total_discounts_set: moneySet(t.totalDiscounts, currency),
    total_line_items_price: formatMoney(t.lineItemsTotal),
    total_line_items_price_set: moneySet(t.lineItemsTotal, currency),
    total_price: formatMoney(t.total),
    total_price_set: moneySet(t.total, currency),
    total_shipping_price_set: moneySet(t.shipping, currency),
    total_tax: formatMoney(t.tax),
    total_tax_set: moneySet(t.tax, currency),
    total_weight: 0,
    updated_at: order.updatedAt,
    user_id: null,
    customer: customer && !customer.deletedAt ? customerPayload(store, customer) : null,
    line_items: order.lineItems.map((l) => lineItemPayload(store, order, l)),
    refunds: order.refunds.map((r) => refundPayload(store, order, r)),
    shipping_lines: [{ id: rawId(order.id), code: "Standard", price: formatMoney(t.shipping), price_set: moneySet(t.shipping, currency), title: "Standard", discount_allocations: [] }],
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
    iana_timezone: "UTC",
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
