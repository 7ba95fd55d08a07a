import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeExportError, parseOrdersExport, parseProductsExport, parseShopifyDate } from "./export";

const fixture = (name: string) => createReadStream(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

/** Feeds text in small chunks that split lines and quoted cells, as a network stream would. */
function* chunks(text: string, size = 7): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const HEADER = "Name,Email,Created at,Lineitem quantity,Lineitem price,Discount Amount,Cancelled at\n";

describe("Shopify orders export", () => {
  it("reads each line's product type from the products export by handle, its vendor and the order's source", async () => {
    const products = await parseProductsExport(
      chunks(
        "Handle,Title,Vendor,Type,Variant SKU,Cost per item\n" +
          "tee,Tee,Acme,Basics,TEE-S,4.00\n" +
          "tee,,,,TEE-M,4.00\n" +
          "mug,Mug,,,MUG,\n",
      ),
    );
    expect(products.ok).toBe(true);
    if (!products.ok) return;
    const orders = await parseOrdersExport(
      chunks(
        "Name,Email,Created at,Lineitem quantity,Lineitem price,Lineitem sku,Vendor,Source\n" +
          "#1,a@example.com,2024-01-02 10:00:00 +0000,1,10.00,TEE-M,,pos\n" +
          "#1,a@example.com,,1,10.00,MUG,Other Maker,\n",
      ),
      products.value,
    );
    expect(orders.ok).toBe(true);
    if (!orders.ok) return;
    const [order] = orders.value.histories[0].orders;
    expect(order.sourceName).toBe("pos");
    expect(order.lines.map((l) => [l.productType, l.vendor])).toEqual([
      ["Basics", "Acme"],
      [null, "Other Maker"],
    ]);
  });

  it("groups line rows into orders and orders into customers by email", async () => {
    const products = await parseProductsExport(fixture("products_export.csv"));
    expect(products.ok).toBe(true);
    if (!products.ok) return;
    const result = await parseOrdersExport(fixture("orders_export.csv"), products.value);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { histories, stats } = result.value;
    expect(stats).toMatchObject({ rows: 29, orders: 26, customers: 6, ordersWithoutContact: 1, lines: 29, linesWithCost: 27 });
    expect(stats.currencies).toEqual(["USD"]);
    const byEmail = new Map(histories.map((h) => [h.customerId, h]));
    expect([...byEmail.keys()].sort()).toEqual([
      "ada@example.com",
      "bob@example.com",
      "cleo@example.com",
      "dan@example.com",
      "eve@example.com",
      "fay@example.com",
    ]);
    const ada = byEmail.get("ada@example.com")!;
    expect(ada.orders).toHaveLength(7);
    expect(ada.acceptsMarketing).toBe(true);
    expect(ada.orders[1].lines).toEqual([
      { quantity: 1, unitPrice: 48, compareAtPrice: null, unitCost: 14, discountAllocated: 0, taxIncluded: 0, productType: null, vendor: "Patron Test Shop" },
      { quantity: 2, unitPrice: 12, compareAtPrice: null, unitCost: null, discountAllocated: 0, taxIncluded: 0, productType: null, vendor: null },
    ]);
    expect(ada.orders[0].sourceName).toBe("web");
    expect(ada.orders[0].processedAt.toISOString()).toBe("2024-05-02T14:15:00.000Z");
    const bob = byEmail.get("bob@example.com")!.orders[0];
    expect(bob).toMatchObject({ discountCodes: ["SAVE20"], totalDiscounts: 8, hasAutomaticDiscount: false });
    expect(bob.lines[0].discountAllocated).toBe(8);
    expect(byEmail.get("cleo@example.com")!.orders[0].lines[0].compareAtPrice).toBe(30);
    const fay = byEmail.get("fay@example.com")!.orders;
    expect(fay.map((o) => [o.cancelled, o.refunded, o.hasAutomaticDiscount])).toEqual([
      [false, 48, false],
      [true, 0, false],
      [false, 0, true],
    ]);
  });

  it("reads a stream chunk by chunk, even when chunks split quoted cells", async () => {
    const text = `${HEADER}#1,"Ann@Example.com ",2025-01-01T10:00:00Z,2,"1,250.00",,\n#1,ann@example.com,2025-01-01T10:00:00Z,1,5,,\n`;
    const result = await parseOrdersExport(chunks(text));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.histories[0].customerId).toBe("ann@example.com");
    expect(result.value.histories[0].orders[0].lines.map((l) => l.unitPrice)).toEqual([1250, 5]);
  });

  it("names the row and column of an unparsable number without echoing the cell", async () => {
    const result = await parseOrdersExport(fixture("orders_bad_price.csv"));
    expect(result).toEqual({
      ok: false,
      error: { file: "orders", row: 3, column: "Lineitem price", message: "not a number" },
    });
    if (!result.ok) {
      expect(describeExportError(result.error)).toBe('orders export, row 3, column "Lineitem price": not a number');
    }
  });

  it("reports a missing required column against the header row", async () => {
    const result = await parseOrdersExport(fixture("orders_missing_column.csv"));
    expect(result).toEqual({
      ok: false,
      error: { file: "orders", row: 1, column: "Lineitem price", message: 'missing required column "Lineitem price"' },
    });
  });

  it("rejects unparsable and impossible dates, and empty files", async () => {
    const bad = await parseOrdersExport(chunks(`${HEADER}#1,a@example.com,2025-02-30 10:00:00 -0500,1,5,,\n`));
    expect(bad).toMatchObject({ ok: false, error: { row: 2, column: "Created at", message: "not a date" } });
    const cancelled = await parseOrdersExport(chunks(`${HEADER}#1,a@example.com,2025-02-03,1,5,,yesterday\n`));
    expect(cancelled).toMatchObject({ ok: false, error: { row: 2, column: "Cancelled at" } });
    expect(await parseOrdersExport(chunks(""))).toMatchObject({ ok: false, error: { row: 1, message: "empty file" } });
  });

  it("reports malformed CSV by its code, not by its content", async () => {
    const result = await parseOrdersExport(chunks(`${HEADER}#1,"secret@example.com,2025-01-01,1,5,,\n`));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/^malformed CSV \(CSV_[A-Z_]+\)$/);
      expect(describeExportError(result.error)).not.toContain("@");
    }
  });

  it("rejects a products export with an unparsable cost", async () => {
    const result = await parseProductsExport(chunks("Handle,Variant SKU,Cost per item\nmug,MUG,abc\n"));
    expect(result).toEqual({
      ok: false,
      error: { file: "products", row: 2, column: "Cost per item", message: "not a number" },
    });
  });

  it("parses Shopify's date format with its UTC offset", () => {
    expect(parseShopifyDate("2024-03-05 14:22:10 -0500", "Created at").toISOString()).toBe("2024-03-05T19:22:10.000Z");
    expect(parseShopifyDate("2024-03-05T14:22:10+05:30", "Created at").toISOString()).toBe("2024-03-05T08:52:10.000Z");
    expect(parseShopifyDate("2024-03-05", "Created at").toISOString()).toBe("2024-03-05T00:00:00.000Z");
  });
});
