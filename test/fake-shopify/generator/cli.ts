import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { StoreSummary } from "./summary";
import { generateStore, summarize } from "./index";
import { ordersExportCsv, productsExportCsv } from "../exports";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "2000" },
    seed: { type: "string", default: "42" },
    shop: { type: "string", default: "demo-store.myshopify.com" },
    years: { type: "string" },
    orders: { type: "string" },
    json: { type: "boolean", default: false },
    // Mix in the issue-11 shapes (tax-inclusive prices, time zone, gift cards, test orders, edits…).
    shapes: { type: "boolean", default: false },
    "orders-csv": { type: "string" },
    "products-csv": { type: "string" },
    truth: { type: "string" },
  },
});

function render(s: StoreSummary, elapsedMs: number): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const money = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
  const rows = Object.entries(s.byArchetype).map(([name, a]) =>
    [
      name.padEnd(11),
      String(a.customers).padStart(6),
      String(a.orders).padStart(8),
      a.ordersPerCustomer.toFixed(1).padStart(6),
      a.averageOrderValue.toFixed(0).padStart(5),
      money(a.spendPerCustomer.p50).padStart(7),
      money(a.spendPerCustomer.p90).padStart(7),
      pct(a.discountedOrderShare).padStart(7),
      pct(a.grossMargin).padStart(7),
      pct(a.refundedOrderShare).padStart(7),
      pct(a.emailSubscribedShare).padStart(7),
      a.meanGapDays.toFixed(0).padStart(5),
      a.meanDaysSinceFirstOrder.toFixed(0).padStart(6),
      a.meanDaysSinceLastOrder.toFixed(0).padStart(6),
    ].join(" "),
  );
  return [
    `${s.shop} as of ${s.asOf}, generated in ${elapsedMs.toFixed(0)} ms`,
    `customers ${s.customers}, products ${s.products} (${s.variants} variants, ${s.variantsWithoutCost} without cost)`,
    `orders ${s.orders.total} (${s.orders.perCustomer} per customer, ${s.orders.guest} guest), cancelled ${s.orders.cancelled}, refunded ${s.orders.refunded}`,
    `last 12 months: ${Object.entries(s.orders.byMonth).slice(-12).map(([m, n]) => `${m.slice(2)}:${n}`).join(" ")}`,
    `revenue gross ${money(s.revenue.gross)}, discounts ${money(s.revenue.discounts)}, net ${money(s.revenue.net)}, refunded ${money(s.revenue.refunded)}`,
    `discounted orders ${pct(s.discountedOrderShare)} (markdown ${s.markdownOrders}, automatic ${s.automaticDiscountOrders}), gross margin ${pct(s.grossMargin)}`,
    `codes ${Object.entries(s.codeUsage).map(([c, n]) => `${c}=${n}`).join(" ")}`,
    "",
    "archetype   custs   orders  ord/c   AOV  sp.p50  sp.p90   disc%  margin   refd%   subs%   gap  tenure recency",
    ...rows,
  ].join("\n");
}

const started = performance.now();
const store = generateStore({
  seed: Number(values.seed),
  shopDomain: values.shop,
  customers: Number(values.customers),
  years: values.years === undefined ? undefined : Number(values.years),
  targetOrders: values.orders === undefined ? undefined : Number(values.orders),
  shapes: values.shapes,
});
const elapsed = performance.now() - started;
const summary = summarize(store, { perCustomer: values.truth !== undefined });
if (values["orders-csv"]) writeFileSync(values["orders-csv"], ordersExportCsv(store));
if (values["products-csv"]) writeFileSync(values["products-csv"], productsExportCsv(store));
if (values.truth) {
  writeFileSync(values.truth, `${JSON.stringify({ shop: store.shop, asOf: store.truth.asOf, customers: summary.customerTruth }, null, 1)}\n`);
  delete summary.customerTruth;
}
console.log(values.json ? JSON.stringify(summary, null, 2) : render(summary, elapsed));
