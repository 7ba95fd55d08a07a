// Shopify admin's CSV exports of a fake store: Orders › Export (the 79-column file, one
// row per line item) and Products › Export (with Cost per item). Headers are copied from
// real exports (../shared/cases/*/orders_export.csv, products_export.csv).
import { stringify } from "csv-stringify/sync";
import type { FakeCustomer, FakeOrder, FakeProduct, FakeStoreData } from "./store/model";
import { editedQuantity, gatewaysOf, lineDiscountCents, orderTotals } from "./store/order-math";
import { formatMoney, toCents } from "./util/money";
import { exportTimestamp } from "./util/timezone";

export const ORDERS_EXPORT_COLUMNS = [
  "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency",
  "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at",
  "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku",
  "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
  "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip", "Billing Province",
  "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street", "Shipping Address1", "Shipping Address2",
  "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone",
  "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
  "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount",
  "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value",
  "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
  "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
] as const;

export const PRODUCTS_EXPORT_COLUMNS = [
  "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published", "Option1 Name",
  "Option1 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Policy",
  "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price", "Variant Requires Shipping",
  "Variant Taxable", "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
  "Variant Weight Unit", "Cost per item", "Status",
] as const;

type OrderColumn = (typeof ORDERS_EXPORT_COLUMNS)[number];
type Row = Partial<Record<OrderColumn, string>>;

const GATEWAY_NAMES: Record<string, string> = {
  shopify_payments: "Shopify Payments",
  gift_card: "Gift Card",
  manual: "Manual",
  // The test gateway keeps its handle, which is how an export tells test orders apart.
  bogus: "bogus",
};

const money = (cents: bigint): string => formatMoney(cents);
const percentText = (rate: number): string => `${Number((rate * 100).toFixed(4))}%`;

interface Lookups {
  customers: Map<string, FakeCustomer>;
  vendors: Map<string, string>;
  names: Map<string, string>;
}

function lookups(store: FakeStoreData): Lookups {
  const names = new Map<string, string>();
  for (const p of store.products) {
    for (const v of p.variants) names.set(v.id, v.title !== "Default Title" ? `${p.title} - ${v.title}` : p.title);
  }
  return {
    customers: new Map(store.customers.map((c) => [c.id, c])),
    vendors: new Map(store.products.map((p) => [p.id, p.vendor])),
    names,
  };
}

function orderRows(store: FakeStoreData, order: FakeOrder, l: Lookups): Row[] {
  const zone = store.shop.ianaTimezone ?? "UTC";
  const at = (iso: string | null): string => (iso === null ? "" : exportTimestamp(iso, zone));
  const t = orderTotals(order);
  const customer = order.customerId ? l.customers.get(order.customerId) : undefined;
  const phone = order.phone ?? customer?.phone ?? "";
  const paid = order.financialStatus === "PAID" || order.financialStatus === "PARTIALLY_REFUNDED" || order.financialStatus === "REFUNDED";
  const fulfilled = order.closedAt !== null && order.cancelledAt === null;
  const tax = order.lineItems.flatMap((x) => x.taxLines ?? [])[0];
  const shared: Row = {
    Name: order.name,
    Email: order.email ?? "",
    "Created at": at(order.createdAt),
    Phone: phone,
  };
  return order.lineItems.map((line, i) => {
    const lineRow: Row = {
      ...shared,
      "Lineitem quantity": String(editedQuantity(line)),
      "Lineitem name": (line.variantId && l.names.get(line.variantId)) || line.title,
      "Lineitem price": money(toCents(line.originalUnitPrice)),
      "Lineitem compare at price": line.compareAtPrice === null ? "" : money(toCents(line.compareAtPrice)),
      "Lineitem sku": line.sku ?? "",
      "Lineitem requires shipping": line.giftCard ? "false" : "true",
      "Lineitem taxable": line.giftCard ? "false" : "true",
      "Lineitem fulfillment status": fulfilled ? "fulfilled" : "pending",
      Vendor: (line.productId && l.vendors.get(line.productId)) || "",
      "Lineitem discount": money(lineDiscountCents(line)),
    };
    if (i > 0) return lineRow;
    return {
      ...lineRow,
      "Financial Status": order.financialStatus.toLowerCase(),
      "Paid at": paid ? at(order.processedAt) : "",
      "Fulfillment Status": fulfilled ? "fulfilled" : "unfulfilled",
      "Fulfilled at": fulfilled ? at(order.closedAt) : "",
      "Accepts Marketing": customer?.emailMarketingState === "SUBSCRIBED" ? "yes" : "no",
      Currency: order.currency,
      Subtotal: money(t.subtotal),
      Shipping: money(t.shipping),
      Taxes: money(t.tax),
      Total: money(t.total),
      "Discount Code": order.discountCodes.join(", "),
      "Discount Amount": money(t.totalDiscounts),
      "Shipping Method": order.lineItems.some((x) => !x.giftCard) ? "Standard" : "",
      "Billing Phone": phone,
      "Shipping Phone": phone,
      "Cancelled at": at(order.cancelledAt),
      "Payment Method": gatewaysOf(order).map((g) => GATEWAY_NAMES[g] ?? g).join(" + "),
      "Refunded Amount": money(t.refunded),
      "Outstanding Balance": "0.00",
      Id: order.id,
      Tags: order.tags.join(", "),
      "Risk Level": "Low",
      Source: order.sourceName,
      "Tax 1 Name": tax && t.tax > 0n ? `${tax.title} ${percentText(tax.rate)}` : "",
      "Tax 1 Value": tax && t.tax > 0n ? money(t.tax) : "",
      "Payment ID": `${order.name}.1`,
      "Payment References": `${order.name}.1`,
    };
  });
}

/**
 * The orders export: one row per line item (removed lines with quantity 0), order-level
 * columns on the first row, timestamps in the shop's zone with its offset, amounts in
 * shop money. Test orders are included, as Shopify's export does; their Payment Method is
 * "bogus". Rows come in order-number order.
 */
export function ordersExportCsv(store: FakeStoreData): string {
  const l = lookups(store);
  const rows = store.orders.flatMap((o) => orderRows(store, o, l));
  return stringify(rows, { header: true, columns: [...ORDERS_EXPORT_COLUMNS], record_delimiter: "unix" });
}

const handleOf = (p: FakeProduct): string =>
  p.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * The products export: one row per variant, product columns on the first; `Cost per
 * item` is the variant's current unit cost (empty when the merchant never entered one).
 */
export function productsExportCsv(store: FakeStoreData): string {
  const rows = store.products.flatMap((p) =>
    p.variants.map((v, i) => {
      const options = p.variants.length > 1 || v.title !== "Default Title";
      return {
        Handle: handleOf(p),
        Title: i === 0 ? p.title : "",
        "Body (HTML)": "",
        Vendor: i === 0 ? p.vendor : "",
        "Product Category": "",
        Type: i === 0 ? p.productType : "",
        Tags: "",
        Published: i === 0 ? "true" : "",
        "Option1 Name": i === 0 ? (options ? "Option" : "Title") : "",
        "Option1 Value": v.title,
        "Variant SKU": v.sku,
        "Variant Grams": "0",
        "Variant Inventory Tracker": p.giftCard ? "" : "shopify",
        "Variant Inventory Policy": "deny",
        "Variant Fulfillment Service": "manual",
        "Variant Price": money(toCents(v.price)),
        "Variant Compare At Price": v.compareAtPrice === null ? "" : money(toCents(v.compareAtPrice)),
        "Variant Requires Shipping": p.giftCard ? "false" : "true",
        "Variant Taxable": p.giftCard ? "false" : "true",
        "Variant Barcode": "",
        "Image Src": "",
        "Image Position": "",
        "Image Alt Text": "",
        "Gift Card": p.giftCard ? "true" : "false",
        "Variant Weight Unit": "kg",
        "Cost per item": v.unitCost === null ? "" : money(toCents(v.unitCost)),
        Status: i === 0 ? "active" : "",
      };
    }),
  );
  return stringify(rows, { header: true, columns: [...PRODUCTS_EXPORT_COLUMNS], record_delimiter: "unix" });
}
