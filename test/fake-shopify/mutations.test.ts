import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, SHOP, type Harness } from "./fixtures/harness";
import { CUSTOMER_IDS } from "./fixtures/small-store";
import { createManualClock } from "./util/clock";

const ADA = `gid://shopify/Customer/${CUSTOMER_IDS.ada}`;
const BOB = `gid://shopify/Customer/${CUSTOMER_IDS.bob}`;

describe("Admin API mutations", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock: createManualClock(Date.parse("2026-07-01T00:00:00Z")), flowTriggerHandles: ["patron-group-changed"] });
  });
  afterAll(() => h.fake.close());

  const tagsAdd = `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } } userErrors { field message } } }`;
  const tagsRemove = `mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

  describe("tags", () => {
    it("adds tags without duplicates, case-insensitively, splitting on commas", async () => {
      const { body } = await h.gql(tagsAdd, { id: ADA, tags: ["patron:valued", "VIP", "a, b"] });
      expect(body.data?.tagsAdd).toEqual({ node: { id: ADA, tags: ["vip", "patron:valued", "a", "b"] }, userErrors: [] });
      await h.gql(tagsRemove, { id: ADA, tags: ["a", "B"] });
      expect(h.fake.control.customerTags(SHOP)[CUSTOMER_IDS.ada]).toEqual(["vip", "patron:valued"]);
    });

    it("refuses a tag longer than 255 characters and a 251st tag", async () => {
      const long = await h.gql(tagsAdd, { id: BOB, tags: ["x".repeat(256)] });
      expect(long.body.data?.tagsAdd.node).toBeNull();
      expect(long.body.data?.tagsAdd.userErrors[0].field).toEqual(["tags"]);
      // One string holding 251 comma-separated tags: a longer array is refused before the mutation runs (see "input arrays").
      const many = Array.from({ length: 251 }, (_, i) => `t${i}`).join(",");
      expect((await h.gql(tagsAdd, { id: BOB, tags: [many] })).body.data?.tagsAdd.userErrors[0].message).toMatch(/250/);
      expect(h.fake.control.customerTags(SHOP)[CUSTOMER_IDS.bob]).toBeUndefined();
    });

    it("reports an unknown customer as a user error", async () => {
      const { body } = await h.gql(tagsAdd, { id: "gid://shopify/Customer/1", tags: ["a"] });
      expect(body.data?.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] });
    });
  });

  describe("metafields", () => {
    const set = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key namespace value compareDigest } userErrors { field message code elementIndex } } }`;

    it("creates a filterable definition and refuses a smart-collection capability on customers", async () => {
      const create = `mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id namespace key type { name } capabilities { adminFilterable { enabled eligible } smartCollectionCondition { enabled eligible } } } userErrors { field message code } } }`;
      const ok = await h.gql(create, { d: { name: "Patron score", namespace: "patron", key: "score", type: "number_integer", ownerType: "CUSTOMER", capabilities: { adminFilterable: { enabled: true } } } });
      expect(ok.body.data?.metafieldDefinitionCreate.createdDefinition).toMatchObject({
        namespace: "patron", key: "score", type: { name: "number_integer" },
        capabilities: { adminFilterable: { enabled: true, eligible: true }, smartCollectionCondition: { enabled: false, eligible: false } },
      });
      const taken = await h.gql(create, { d: { name: "Again", namespace: "patron", key: "score", type: "number_integer", ownerType: "CUSTOMER" } });
      expect(taken.body.data?.metafieldDefinitionCreate.userErrors[0].code).toBe("TAKEN");
      const smart = await h.gql(create, { d: { name: "Group", namespace: "patron", key: "group", type: "single_line_text_field", ownerType: "CUSTOMER", capabilities: { smartCollectionCondition: { enabled: true } } } });
      expect(smart.body.data?.metafieldDefinitionCreate.userErrors[0].code).toBe("INVALID_CAPABILITY");
    });

    it("sets metafields atomically and checks compareDigest", async () => {
      const first = await h.gql(set, { m: [{ ownerId: ADA, namespace: "patron", key: "score", value: "87" }, { ownerId: ADA, namespace: "patron", key: "group", type: "single_line_text_field", value: "valued" }] });
      expect(first.body.data?.metafieldsSet.userErrors).toEqual([]);
      const digest = first.body.data?.metafieldsSet.metafields[0].compareDigest;
      const stale = await h.gql(set, { m: [{ ownerId: ADA, namespace: "patron", key: "group", type: "single_line_text_field", value: "volume" }, { ownerId: ADA, namespace: "patron", key: "score", value: "10", compareDigest: "stale" }] });
      expect(stale.body.data?.metafieldsSet).toEqual({ metafields: null, userErrors: [expect.objectContaining({ code: "STALE_OBJECT", elementIndex: 1 })] });
      const badValue = await h.gql(set, { m: [{ ownerId: ADA, namespace: "patron", key: "score", value: "eighty" }] });
      expect(badValue.body.data?.metafieldsSet.userErrors[0].code).toBe("INVALID_VALUE");
      const fresh = await h.gql(set, { m: [{ ownerId: ADA, namespace: "patron", key: "score", value: "90", compareDigest: digest }] });
      expect(fresh.body.data?.metafieldsSet.userErrors).toEqual([]);
      expect(h.fake.control.customerMetafields(SHOP)[CUSTOMER_IDS.ada]).toEqual([
        { namespace: "patron", key: "score", type: "number_integer", value: "90" },
        { namespace: "patron", key: "group", type: "single_line_text_field", value: "valued" },
      ]);
      const read = await h.gql(`query($id: ID!) { customer(id: $id) { metafield(namespace: "patron", key: "score") { value jsonValue } metafields(first: 5, namespace: "patron") { nodes { key } } } }`, { id: ADA });
      expect(read.body.data?.customer).toEqual({ metafield: { value: "90", jsonValue: 90 }, metafields: { nodes: [{ key: "score" }, { key: "group" }] } });
    });

    it("refuses more than 25 metafields in one call", async () => {
      const m = Array.from({ length: 26 }, (_, i) => ({ ownerId: BOB, namespace: "patron", key: `k${i}x`, type: "single_line_text_field", value: "v" }));
      expect((await h.gql(set, { m })).body.data?.metafieldsSet.userErrors[0].code).toBe("LESS_THAN_OR_EQUAL_TO");
    });
  });

  describe("segments and discounts", () => {
    let segmentId: string;

    it("creates a segment from the ShopifyQL tag subset and exposes its members", async () => {
      const create = `mutation($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }`;
      const bad = await h.gql(create, { name: "Bad", query: "amount_spent > 10" });
      expect(bad.body.data?.segmentCreate.userErrors[0]).toMatchObject({ field: ["query"], message: expect.stringMatching(/filter cannot be found/) });
      const ok = await h.gql(create, { name: "Valued", query: "customer_tags CONTAINS 'patron:valued' OR (customer_tags CONTAINS 'wholesale' AND NOT customer_tags CONTAINS 'vip')" });
      segmentId = ok.body.data?.segmentCreate.segment.id;
      expect(segmentId).toMatch(/^gid:\/\/shopify\/Segment\/\d+$/);
      const members = await h.gql(`query($id: ID!) { customerSegmentMembers(segmentId: $id, first: 10) { totalCount edges { node { id } } } }`, { id: segmentId });
      expect(members.body.errors).toBeUndefined();
      expect(members.body.data?.customerSegmentMembers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ADA, `gid://shopify/Customer/${CUSTOMER_IDS.cyd}`]);
      expect((await h.gql(create, { name: "Valued", query: "customer_tags CONTAINS 'x'" })).body.data?.segmentCreate.userErrors[0].message).toBe("Name has already been taken");
    });

    it("creates a basic code discount for a segment and counts its use from orders", async () => {
      const create = `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status asyncUsageCount codes(first: 2) { nodes { code asyncUsageCount } } customerGets { value { ... on DiscountPercentage { percentage } } } context { __typename ... on DiscountCustomerSegments { segments { id } } } } } } userErrors { field code message } } }`;
      const input = { title: "Valued thanks", code: "THANKS15", startsAt: "2026-06-01T00:00:00Z", customerGets: { value: { percentage: 0.15 }, items: { all: true } }, context: { customerSegments: { add: [segmentId] } }, appliesOncePerCustomer: true };
      const made = await h.gql(create, { d: input });
      expect(made.body.data?.discountCodeBasicCreate.userErrors).toEqual([]);
      expect(made.body.data?.discountCodeBasicCreate.codeDiscountNode.codeDiscount).toMatchObject({ title: "Valued thanks", status: "ACTIVE", asyncUsageCount: 0, customerGets: { value: { percentage: 0.15 } }, context: { __typename: "DiscountCustomerSegments", segments: [{ id: segmentId }] } });
      const dup = await h.gql(create, { d: { ...input, code: "thanks15" } });
      expect(dup.body.data?.discountCodeBasicCreate.userErrors[0]).toMatchObject({ field: ["basicCodeDiscount", "code"], code: "TAKEN" });
      const range = await h.gql(create, { d: { ...input, code: "X2", customerGets: { value: { percentage: 15 }, items: { all: true } } } });
      expect(range.body.data?.discountCodeBasicCreate.userErrors[0].code).toBe("VALUE_OUTSIDE_RANGE");
      const order = h.fake.control.placeOrder(SHOP, { customerId: CUSTOMER_IDS.ada, lineItems: [{ variantId: "7100000000001", quantity: 2 }], discountCode: "THANKS15" });
      expect(order.lineItems[0].discountAllocations).toEqual([{ amount: "3.60", discountApplicationIndex: 0 }]);
      const id = made.body.data?.discountCodeBasicCreate.codeDiscountNode.id;
      const usage = await h.gql(`query($id: ID!) { codeDiscountNode(id: $id) { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount codes(first: 1) { nodes { code asyncUsageCount } } } } } }`, { id });
      expect(usage.body.data?.codeDiscountNode.codeDiscount).toEqual({ asyncUsageCount: 1, codes: { nodes: [{ code: "THANKS15", asyncUsageCount: 1 }] } });
    });

    it("creates a free-shipping code discount for chosen customers", async () => {
      const { body } = await h.gql(`mutation($d: DiscountCodeFreeShippingInput!) { discountCodeFreeShippingCreate(freeShippingCodeDiscount: $d) { codeDiscountNode { codeDiscount { __typename ... on DiscountCodeFreeShipping { title context { ... on DiscountCustomers { customers { id } } } } } } userErrors { message } } }`,
        { d: { title: "Ship free", code: "SHIPVIP", startsAt: "2026-06-01T00:00:00Z", context: { customers: { add: [BOB] } } } });
      expect(body.data?.discountCodeFreeShippingCreate).toEqual({ codeDiscountNode: { codeDiscount: { __typename: "DiscountCodeFreeShipping", title: "Ship free", context: { customers: [{ id: BOB }] } } }, userErrors: [] });
    });
  });

  describe("input arrays", () => {
    it("refuses a discount listing more than 250 customers in one call, and adds the rest by update as a set", async () => {
      const create = `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { codeDiscountNode { id } userErrors { field message } } }`;
      const input = (add: string[], code: string) => ({ title: "Many", code, startsAt: "2026-06-01T00:00:00Z", customerGets: { value: { percentage: 0.1 }, items: { all: true } }, context: { customers: { add } } });
      const tooMany = await h.gql(create, { d: input(Array.from({ length: 251 }, () => ADA), "MANY251") });
      expect(tooMany.body.data).toBeUndefined();
      expect(tooMany.body.errors).toEqual([
        { message: "The input array size of 251 is greater than the maximum allowed of 250.", path: ["d", "context", "customers", "add"], extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } },
      ]);
      const made = await h.gql(create, { d: input([ADA], "MANY1") });
      const id = made.body.data?.discountCodeBasicCreate.codeDiscountNode.id;
      const update = `mutation($id: ID!, $d: DiscountCodeBasicInput!) { discountCodeBasicUpdate(id: $id, basicCodeDiscount: $d) { codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { title context { ... on DiscountCustomers { customers { id } } } } } } userErrors { message } } }`;
      const added = await h.gql(update, { id, d: { context: { customers: { add: [ADA, BOB] } } } });
      expect(added.body.data?.discountCodeBasicUpdate).toEqual({ codeDiscountNode: { codeDiscount: { title: "Many", context: { customers: [{ id: ADA }, { id: BOB }] } } }, userErrors: [] });
    });
  });

  describe("Flow triggers", () => {
    const fire = `mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;

    it("records a trigger call and refuses unknown handles and oversized payloads", async () => {
      expect((await h.gql(fire, { handle: "patron-group-changed", payload: { customer_id: 1, group: "valued" } })).body.data?.flowTriggerReceive.userErrors).toEqual([]);
      expect((await h.gql(fire, { handle: "nope", payload: {} })).body.data?.flowTriggerReceive.userErrors[0].field).toEqual(["handle"]);
      expect((await h.gql(fire, { handle: "patron-group-changed", payload: { blob: "x".repeat(60_000) } })).body.data?.flowTriggerReceive.userErrors[0].message).toMatch(/size exceeds/);
      expect(h.fake.control.flowTriggers(SHOP)).toEqual([expect.objectContaining({ handle: "patron-group-changed", payload: { customer_id: 1, group: "valued" } })]);
    });
  });
});
