import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLosslessJson } from "../sync/lossless-json";
import { PayloadError } from "../sync/records";
import { customerFromRest, orderFromRest, refundFromRest } from "./rest";

const orderJson = readFileSync(new URL("../sync/fixtures/orders-create.json", import.meta.url), "utf8");

describe("REST webhook payloads", () => {
  it("keeps ids above 2^53 exact, from the raw digits", () => {
    const payload = parseLosslessJson(orderJson) as { line_items: { variant_id: unknown }[] };
    expect(payload.line_items[0].variant_id).toBe("9007199254900001");
    expect(JSON.parse(orderJson).line_items[0].variant_id).not.toBe(9007199254900001n.toString());
    const order = orderFromRest(payload);
    expect(order.id).toBe(9007199254741993n);
    expect(order.lines.map((l) => l.id)).toEqual([9007199254800001n, 9007199254800002n]);
    expect(order.lines[0].variantId).toBe(9007199254900001n);
  });

  it("maps an order: money as decimal strings, discounts, refunds and their returned quantity", () => {
    const order = orderFromRest(parseLosslessJson(orderJson));
    expect(order).toMatchObject({
      customerId: 7000000000123n,
      name: "#1042",
      subtotal: "243.00",
      totalDiscounts: "27.00",
      totalRefunded: "81.00",
      discountCodes: ["SALE10"],
      hasAutomaticDiscount: true,
      cancelledAt: null,
    });
    expect(order.createdAt.toISOString()).toBe("2026-10-01T14:00:00.000Z");
    expect(order.lines[0]).toMatchObject({ quantity: 2, price: "90.00", discountAllocated: "18.00", unitCost: null });
    expect(order.lines[1].variantId).toBeNull();
    expect(order.refunds).toEqual([
      { id: 9007199254860001n, processedAt: new Date("2026-10-03T13:30:00Z"), amount: "81.00", returnedQuantity: 1 },
    ]);
  });

  it("counts a refund with no money transaction (restock only) as a return, not as lost revenue", () => {
    const refund = refundFromRest({
      id: 5,
      order_id: 9007199254741993n.toString(),
      created_at: "2026-10-05T00:00:00Z",
      refund_line_items: [
        { line_item_id: 1, quantity: 2, restock_type: "return", subtotal: "10.10" },
        { line_item_id: 2, quantity: 1, restock_type: "no_restock", subtotal: "5.05" },
      ],
      transactions: [],
    });
    expect(refund).toMatchObject({ orderId: 9007199254741993n, amount: "0.00", returnedQuantity: 2 });
  });

  it("takes a refund's goods in shop money, without their tax when prices include it, and never its shipping", () => {
    const payload = {
      id: 6,
      order_id: "42",
      created_at: "2026-10-05T00:00:00Z",
      refund_line_items: [
        {
          line_item_id: 1,
          quantity: 1,
          restock_type: "return",
          subtotal: "120.00",
          subtotal_set: { shop_money: { amount: "100.00" }, presentment_money: { amount: "120.00" } },
          total_tax: "24.00",
          total_tax_set: { shop_money: { amount: "20.00" }, presentment_money: { amount: "24.00" } },
        },
      ],
      order_adjustments: [{ kind: "shipping_refund", amount: "-10.00" }],
      transactions: [{ kind: "refund", status: "success", amount: "132.00" }],
    };
    expect(refundFromRest(payload).amount).toBe("100.00");
    expect(refundFromRest(payload, true).amount).toBe("80.00");
  });

  it("maps a customer with tags and marketing consent", () => {
    const customer = customerFromRest({
      id: 7000000000123,
      admin_graphql_api_id: "gid://shopify/Customer/7000000000123",
      email: "jane@example.com",
      first_name: "Jane",
      last_name: "Doe",
      tags: "wholesale, patron:valued",
      email_marketing_consent: { state: "subscribed" },
      sms_marketing_consent: null,
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2026-10-01T00:00:00Z",
    });
    expect(customer).toMatchObject({
      id: 7000000000123n,
      tags: ["wholesale", "patron:valued"],
      emailMarketing: "SUBSCRIBED",
      smsMarketing: "UNKNOWN",
    });
  });

  it("rejects a payload whose fields are not what Shopify sends, naming the field", () => {
    expect(() => orderFromRest({ ...(parseLosslessJson(orderJson) as object), updated_at: "yesterday" })).toThrow(PayloadError);
    expect(() => orderFromRest({ ...(parseLosslessJson(orderJson) as object), total_price: "12,00" })).toThrow(/order.total_price/);
    expect(() => orderFromRest("not an order")).toThrow(/order is not an object/);
  });
});
