import { generateStore } from "./test/fake-shopify/generator";
import { ordersExportCsv } from "./test/fake-shopify/exports";
import { parse } from "csv-parse/sync";
const store = generateStore({ seed: 23, shopDomain: "three-way.myshopify.com", customers: 250, shapes: true });
const rows = parse(ordersExportCsv(store), { columns: true }) as Record<string, string>[];
const o = store.orders.find((o) => o.customerId === "7000000000000" && o.taxesIncluded && Number(o.shippingPrice) > 0)!;
console.log(JSON.stringify({ ship: o.shippingPrice, tax: o.totalTax, lines: o.lineItems.map((l) => [l.quantity, l.originalUnitPrice, l.taxLines]) }));
for (const r of rows.filter((r) => r.Name === o.name)) console.log(Object.entries(r).filter(([k, v]) => v !== "" && /Sub|Ship|Tax|Total|Line|Refund|Discount/.test(k)).map(([k, v]) => `${k}=${v}`).join(" | "));
