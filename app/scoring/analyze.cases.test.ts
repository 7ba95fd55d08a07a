import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseOrdersExport, parseProductsExport } from "../orders/export";
import { analyze } from "./analyze";
import { computeFeatures } from "./features";
import type { AnalysisReport, CustomerLine } from "./report";

// The orders-export cases of ../shared/cases, each run the way its CASE.md says
// (`npm run analyze -- --orders … --as-of 2024-06-30 --json`), checked against its right value.

// CI clones the repository beside `shared/`, so the cases live at ../shared relative to the repo root.
const casesDir = fileURLToPath(new URL("../../../shared/cases/", import.meta.url));
const file = (path: string) => createReadStream(`${casesDir}${path}`);
const AS_OF = new Date("2024-06-30T23:59:59Z");

async function run(dir: string, products = false): Promise<AnalysisReport> {
  const outcome = await analyze(file(`${dir}/orders_export.csv`), products ? file(`${dir}/products_export.csv`) : null, {
    asOf: AS_OF,
    preset: "balanced",
    defaultMarginRate: 0.5,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.report;
}

const customer = (report: AnalysisReport, id: string): CustomerLine => {
  const line = report.customers.find((c) => c.customer === id);
  if (!line) throw new Error(`${id} not in the report`);
  return line;
};

describe("the shared orders-export cases, through analyze", () => {
  it("01: days are the shop's days: a same-evening top-up is one purchase, and an evening order is on its own day", async () => {
    const report = await run("01-shop-day-vs-utc-day");
    const maya = customer(report, "maya.rosen@example.net");
    expect(maya.orders).toBe(2);
    expect(maya.pAlive).toBe(1);
    expect(maya.reasons).toContain("no repeat purchase yet");
    expect(report.model.repeatCustomers).toBe(1);
    const ines = customer(report, "ines.okafor@example.net");
    expect(ines).toMatchObject({ orders: 1, group: "new" });
    expect(ines.revenue).toBeCloseTo(32, 9);
    expect(ines.reasons[0]).toBe("first order 0 days ago");
  });

  it("01: --as-of leaves out every order and customer first seen after the shop's day", async () => {
    const outcome = await analyze(file("01-shop-day-vs-utc-day/orders_export.csv"), null, {
      asOf: new Date("2024-06-29T23:59:59Z"),
      preset: "balanced",
      defaultMarginRate: 0.5,
    });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.customers.map((c) => c.customer)).not.toContain("ines.okafor@example.net");
  });

  it("02: a refund of goods with tax and shipping takes only the goods off product revenue", async () => {
    const report = await run("02-refund-includes-tax-and-shipping");
    const lena = customer(report, "lena.kovac@example.org");
    const ravi = customer(report, "ravi.menon@example.org");
    expect(lena.revenue).toBeCloseTo(100, 9);
    expect(ravi.revenue).toBeCloseTo(100, 9);
    const parsed = await parseOrdersExport(file("02-refund-includes-tax-and-shipping/orders_export.csv"));
    if (!parsed.ok) throw new Error("unreadable");
    const rate = (id: string) =>
      computeFeatures(parsed.value.histories.find((h) => h.customerId === id)!, { asOf: AS_OF, defaultMarginRate: 0.5 }).refundRate;
    expect(rate("lena.kovac@example.org")).toBeCloseTo(0.5, 9);
    expect(rate("ravi.menon@example.org")).toBeCloseTo(50 / 150, 9);
  });

  it("03: phone-only customers are customers, keyed by their phone; only orders with neither are left out", async () => {
    const report = await run("03-cod-phone-only-customers");
    expect(report.input).toMatchObject({ customers: 3, orders: 7, ordersWithoutContact: 1 });
    const phone = customer(report, "+447700900101");
    expect(phone.orders).toBe(4);
    expect(phone.revenue).toBeCloseTo(132, 9);
    const parsed = await parseOrdersExport(file("03-cod-phone-only-customers/orders_export.csv"));
    if (!parsed.ok) throw new Error("unreadable");
    const features = computeFeatures(parsed.value.histories.find((h) => h.customerId === "+447700900101")!, {
      asOf: AS_OF,
      defaultMarginRate: 0.5,
    });
    expect(features).toMatchObject({ purchaseDays: 4, x: 3 });
  });

  it("04: prices that include VAT count without it, so margin is on net sales", async () => {
    const report = await run("04-vat-inclusive-prices", true);
    const clara = customer(report, "clara.fontaine@example.fr");
    const jonas = customer(report, "jonas.weber@example.de");
    expect(clara.revenue).toBeCloseTo(55, 9);
    expect(clara.marginRate).toBeCloseTo(30 / 55, 9);
    expect(jonas.revenue).toBeCloseTo(35, 9);
    expect(jonas.marginRate).toBeCloseTo(18 / 35, 9);
    const products = await parseProductsExport(file("04-vat-inclusive-prices/products_export.csv"));
    expect(products.ok && products.value.get("TOWEL-LN")).toMatchObject({ unitCost: 8, giftCard: false });
  });

  it("12: a customer whose repeat purchases all came back is expected to spend little, not the population mean", async () => {
    const report = await run("12-gamma-gamma-zero-spend-repeats");
    expect(report.model.ggParams).toEqual({ p: 6, q: 4, gamma: 41.25 });
    const rhea = customer(report, "rhea.sol@example.com");
    const spend = rhea.predictedClv / (rhea.expectedPurchases * rhea.marginRate);
    expect(spend).toBeCloseTo((6 * 41.25) / 21, 6);
    expect(rhea.predictedClv).toBeCloseTo(16.2, 1);
    expect(rhea.group).not.toBe("rising");
    const repeat = report.customers.filter((c) => c.customer !== "vic.ortiz@example.com");
    expect(Math.min(...repeat.map((c) => c.predictedClv))).toBe(rhea.predictedClv);
  });
});
