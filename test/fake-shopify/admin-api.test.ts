import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, SHOP, type Harness } from "./fixtures/harness";
import { smallStore, CUSTOMER_IDS } from "./fixtures/small-store";
import { createManualClock } from "./util/clock";

describe("Admin GraphQL API", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock: createManualClock(Date.parse("2026-07-01T00:00:00Z")), shops: [smallStore(SHOP), smallStore("other-shop.myshopify.com")] });
  });
  afterAll(() => h.fake.close());

  it("answers shop with the plan and cost extensions", async () => {
    const { status, body } = await h.gql(`{ shop { id name email currencyCode myshopifyDomain plan { displayName partnerDevelopment shopifyPlus } } }`);
    expect(status).toBe(200);
    expect(body.data?.shop).toEqual({
      id: "gid://shopify/Shop/60000000001",
      name: "Demo Store",
      email: "owner@demo-store.myshopify.com",
      currencyCode: "USD",
      myshopifyDomain: SHOP,
      plan: { displayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
    });
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it("answers 401 without a token, and for another shop's token", async () => {
    const missing = await h.gql(`{ shop { id } }`, {}, { token: "" });
    expect(missing.status).toBe(401);
    const other = h.fake.control.issueToken("other-shop.myshopify.com").accessToken;
    expect((await h.gql(`{ shop { id } }`, {}, { token: other })).status).toBe(401);
    expect((await h.gql(`{ shop { id } }`, {}, { token: other, shop: "other-shop.myshopify.com" })).status).toBe(200);
  });

  it("fails an unknown field as Shopify does: 200 with errors and no data", async () => {
    const { status, body } = await h.gql(`{ shop { id nope } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ message: "Field 'nope' doesn't exist on type 'Shop'", extensions: { code: "undefinedField" } });
  });

  it("pages customers with Relay cursors and keeps ids above 2^53 exact", async () => {
    const q = `query($after: String) { customers(first: 2, after: $after) { edges { cursor node { id firstName tags } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const first = await h.gql(q);
    const page1 = first.body.data?.customers;
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([`gid://shopify/Customer/${CUSTOMER_IDS.ada}`, `gid://shopify/Customer/${CUSTOMER_IDS.bob}`]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await h.gql(q, { after: page1.pageInfo.endCursor });
    const page2 = second.body.data?.customers;
    expect(page2.edges.map((e: { node: { firstName: string } }) => e.node.firstName)).toEqual(["Cyd"]);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("filters customers by tag and orders by updated_at", async () => {
    const tagged = await h.gql(`{ customers(first: 10, query: "tag:vip") { nodes { firstName } } }`);
    expect(tagged.body.data?.customers.nodes).toEqual([{ firstName: "Ada" }]);
    const recent = await h.gql(`{ orders(first: 10, query: "updated_at:>'2026-06-10T00:00:00Z'", sortKey: UPDATED_AT) { nodes { name } } }`);
    expect(recent.body.data?.orders.nodes.map((o: { name: string }) => o.name)).toEqual(["#1002", "#1003", "#1004", "#1005"]);
  });

  it("serves an order's money, discounts, line items, refunds and cost data", async () => {
    const { body } = await h.gql(`{
      order(id: "gid://shopify/Order/8000000000000000003") {
        name customer { id } currencyCode discountCodes
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount } presentmentMoney { amount } }
        currentTotalPriceSet { shopMoney { amount } }
        totalDiscountsSet { shopMoney { amount } }
        totalRefundedSet { shopMoney { amount } }
        discountApplications(first: 5) { edges { node { __typename ... on DiscountCodeApplication { code } allocationMethod targetType value { ... on PricingPercentageValue { percentage } ... on MoneyV2 { amount } } } } }
        lineItems(first: 5) { nodes { id sku quantity originalUnitPriceSet { shopMoney { amount } } discountedUnitPriceSet { shopMoney { amount } }
          variant { id compareAtPrice inventoryItem { unitCost { amount currencyCode } } } product { id }
          discountAllocations { allocatedAmountSet { shopMoney { amount } } discountApplication { index } } } }
        refunds { id createdAt totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { lineItem { id } quantity restockType subtotalSet { shopMoney { amount } } } } }
      } }`);
    const order = body.data?.order;
    expect(body.errors).toBeUndefined();
    expect(order.customer.id).toBe(`gid://shopify/Customer/${CUSTOMER_IDS.bob}`);
    expect(order.subtotalPriceSet.shopMoney).toEqual({ amount: "45.9", currencyCode: "USD" });
    expect(order.totalPriceSet.shopMoney.amount).toBe("50.9");
    expect(order.currentTotalPriceSet.shopMoney.amount).toBe("27.95");
    expect(order.totalDiscountsSet.shopMoney.amount).toBe("5.1");
    expect(order.totalRefundedSet.shopMoney.amount).toBe("22.95");
    expect(order.discountApplications.edges[0].node).toEqual({ __typename: "DiscountCodeApplication", code: "SAVE10", allocationMethod: "ACROSS", targetType: "LINE_ITEM", value: { percentage: 10 } });
    const line = order.lineItems.nodes[0];
    expect(line).toMatchObject({ sku: "TEE-1", quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "25.5" } }, discountedUnitPriceSet: { shopMoney: { amount: "22.95" } } });
    expect(line.variant).toEqual({ id: "gid://shopify/ProductVariant/7100000000002", compareAtPrice: "30.0", inventoryItem: { unitCost: null } });
    expect(line.discountAllocations).toEqual([{ allocatedAmountSet: { shopMoney: { amount: "5.1" } }, discountApplication: { index: 0 } }]);
    expect(order.refunds[0].refundLineItems.nodes[0]).toEqual({ lineItem: { id: line.id }, quantity: 1, restockType: "RETURN", subtotalSet: { shopMoney: { amount: "22.95" } } });
  });

  it("computes customer statistics, spend and orders from the shop's orders", async () => {
    const { body } = await h.gql(`query($id: ID!) { customer(id: $id) { amountSpent { amount currencyCode } numberOfOrders statistics { rfmGroup predictedSpendTier }
      emailMarketingConsent { marketingState } smsMarketingConsent { marketingState } orders(first: 5) { nodes { name } } } }`, { id: `gid://shopify/Customer/${CUSTOMER_IDS.ada}` });
    expect(body.data?.customer).toEqual({
      amountSpent: { amount: "71.5", currencyCode: "USD" },
      numberOfOrders: "2",
      statistics: { rfmGroup: "ACTIVE", predictedSpendTier: "LOW" },
      emailMarketingConsent: { marketingState: "SUBSCRIBED" },
      smsMarketingConsent: null,
      orders: { nodes: [{ name: "#1001" }, { name: "#1002" }] },
    });
  });

  it("rejects a malformed global id with a top-level error", async () => {
    const { body } = await h.gql(`{ customer(id: "42") { id } }`);
    expect(body.errors?.[0].message).toBe("Invalid global id '42'");
  });

  it("hides orders older than 60 days from a token without read_all_orders", async () => {
    const limited = h.fake.control.issueToken(SHOP, { scope: ["read_orders", "read_customers"] }).accessToken;
    const { body } = await h.gql(`{ orders(first: 10) { nodes { name } } }`, {}, { token: limited });
    expect(body.data?.orders.nodes.map((o: { name: string }) => o.name)).toEqual(["#1002", "#1003", "#1004", "#1005"]);
  });

  it("denies a root field whose scope the token lacks, as Shopify does", async () => {
    const ordersOnly = h.fake.control.issueToken(SHOP, { scope: ["read_orders"] }).accessToken;
    const { body } = await h.gql(`{ customers(first: 1) { nodes { id } } }`, {}, { token: ordersOnly });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      message: "Access denied for customers field. Required access: `read_customers` access scope.",
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_customers` access scope." },
    });
    const writer = h.fake.control.issueToken(SHOP, { scope: ["write_customers"] }).accessToken;
    expect((await h.gql(`{ customers(first: 1) { nodes { id } } }`, {}, { token: writer })).body.errors).toBeUndefined();
    const tag = await h.gql(`mutation { tagsAdd(id: "gid://shopify/Customer/${CUSTOMER_IDS.ada}", tags: ["x"]) { node { id } } }`, {}, { token: ordersOnly });
    expect(tag.body.errors?.[0].extensions?.code).toBe("ACCESS_DENIED");
  });
});
