import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { throttledAdmin, type AdminGraphql } from "../shopify/admin-graphql.server";
import { ORDER_REFUNDS_EX_TAX_QUERY_COST, ORDER_REFUNDS_PAGE, ORDER_REFUNDS_QUERY, ORDER_REFUNDS_QUERY_COST, type OrderRefundsResult } from "../shopify/operations/order-refunds";
import { refundFromGraphql, type OrderNode, type RefundNode } from "../orders/graphql";
import { generateStore } from "../../test/fake-shopify/generator";
import { createFakeShopify, type FakeShopify } from "../../test/fake-shopify/server";
import { fetchRefundDetails } from "./refund-details.server";

const SHOP = "refund-details.myshopify.com";

type Order = Pick<OrderNode, "id" | "refunds" | "taxesIncluded">;
interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number;
}

describe("fetchRefundDetails", () => {
  let fake: FakeShopify;
  let raw: (query: string, variables?: Record<string, unknown>) => Promise<{ data: unknown; extensions: { cost: Cost } }>;
  // Every refund read as it went over the wire: its operation name and cost.
  const reads: { operation: string; cost: Cost }[] = [];
  let admin: AdminGraphql;
  let orders: Order[];

  beforeAll(async () => {
    // Shapes: the shop switches to tax-inclusive prices half-way through its history.
    const data = generateStore({ seed: 11, shopDomain: SHOP, customers: 150, shapes: true });
    fake = await createFakeShopify({ apiKey: "k", apiSecret: "s", appUrl: "http://127.0.0.1:9", shops: [data], bulkStartDelayMs: 0 });
    fake.control.setPlan(SHOP, "enterprise");
    const { accessToken } = fake.control.issueToken(SHOP, { scope: ["read_orders", "read_all_orders"], expiring: false });
    const post = (query: string, variables?: Record<string, unknown>) =>
      fetch(`${fake.url}/admin/api/2026-07/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken, "x-fake-shop-domain": SHOP },
        body: JSON.stringify({ query, variables }),
      });
    raw = async (query, variables) => (await post(query, variables)).json();
    admin = throttledAdmin(
      async (query, options) => {
        const response = await post(query, options?.variables);
        const operation = /query (OrderRefunds\w*)/.exec(query)?.[1];
        if (operation) reads.push({ operation, cost: ((await response.clone().json()) as { extensions: { cost: Cost } }).extensions.cost });
        return response;
      },
      { shop: SHOP },
    );
    orders = [];
    for (let after: string | null = null; ; ) {
      const page = (await raw(`query($after: String) { orders(first: 250, after: $after) { nodes { id taxesIncluded refunds { id } } pageInfo { hasNextPage endCursor } } }`, { after })).data as {
        orders: { nodes: Order[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      };
      orders.push(...page.orders.nodes);
      if (!page.orders.pageInfo.hasNextPage) break;
      after = page.orders.pageInfo.endCursor;
    }
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("reads orders priced before tax without refund line tax, for fewer points and the same refund amounts", async () => {
    // Given a store with refunded orders on both sides of the switch to tax-inclusive prices
    const refunded = orders.filter((o) => o.refunds.length > 0);
    const exTax = refunded.filter((o) => o.taxesIncluded === false);
    const withTax = refunded.filter((o) => o.taxesIncluded !== false);
    expect(exTax.length).toBeGreaterThan(5);
    expect(withTax.length).toBeGreaterThan(5);

    // When their details are read
    const details = await fetchRefundDetails(admin, orders);

    // Then every refunded order has its refunds, counted as the full query's details count them
    const reference = new Map<string, RefundNode[]>();
    let referenceExTaxCost = 0;
    for (const group of [exTax, withTax]) {
      for (let i = 0; i < group.length; i += ORDER_REFUNDS_PAGE) {
        const page = await raw(ORDER_REFUNDS_QUERY, { ids: group.slice(i, i + ORDER_REFUNDS_PAGE).map((o) => o.id) });
        for (const node of (page.data as OrderRefundsResult).nodes) if (node) reference.set(node.id, node.refunds);
        if (group === exTax) referenceExTaxCost += page.extensions.cost.actualQueryCost;
      }
    }
    expect(details.size).toBe(refunded.length);
    for (const order of refunded) {
      const mine = details.get(order.id)!.map((r) => refundFromGraphql(r, order.taxesIncluded === true));
      const full = reference.get(order.id)!.map((r) => refundFromGraphql(r, order.taxesIncluded === true));
      expect(mine).toEqual(full);
      expect(mine.length).toBe(order.refunds.length);
    }
    // Tax-inclusive orders still carry each line's tax, which their refund amount subtracts
    for (const order of withTax) for (const refund of details.get(order.id)!) for (const line of refund.refundLineItems.nodes) expect(line.totalTaxSet).toBeDefined();

    // And the declared costs are what Shopify's calculation asks, and the ex-tax reads cost less
    const byOperation = (name: string) => reads.filter((r) => r.operation === name);
    expect(byOperation("OrderRefunds").length).toBe(Math.ceil(withTax.length / ORDER_REFUNDS_PAGE));
    expect(byOperation("OrderRefundsExTax").length).toBe(Math.ceil(exTax.length / ORDER_REFUNDS_PAGE));
    expect(new Set(byOperation("OrderRefunds").map((r) => r.cost.requestedQueryCost))).toEqual(new Set([ORDER_REFUNDS_QUERY_COST]));
    expect(new Set(byOperation("OrderRefundsExTax").map((r) => r.cost.requestedQueryCost))).toEqual(new Set([ORDER_REFUNDS_EX_TAX_QUERY_COST]));
    const exTaxCost = byOperation("OrderRefundsExTax").reduce((s, r) => s + r.cost.actualQueryCost, 0);
    expect(exTaxCost).toBeLessThan(referenceExTaxCost * 0.9);
  });
});
