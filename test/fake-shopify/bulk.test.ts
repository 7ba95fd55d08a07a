import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, startReceiver, SHOP, type Harness, type Loose } from "./fixtures/harness";
import { CUSTOMER_IDS } from "./fixtures/small-store";
import { generateStore } from "./generator";
import { waitFor } from "./fixtures/wait";

const BIG_SHOP = "big-store.myshopify.com";
const run = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`;
const poll = `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url type } } }`;

type Line = Record<string, unknown> & { id: string; __parentId?: string };

describe("bulk operations", () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const big = generateStore({ seed: 7, shopDomain: BIG_SHOP, customers: 300, asOf: new Date("2026-06-01T00:00:00Z") });

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness({ appUrl: receiver.url, bulkStartDelayMs: 30 });
    h.fake.control.addShop(big);
  });
  afterAll(async () => {
    await h.fake.close();
    await receiver.close();
  });

  async function runToCompletion(query: string, shop = SHOP, token = h.token) {
    const started = await h.gql(run, { q: query }, { shop, token });
    expect(started.body.data?.bulkOperationRunQuery.userErrors).toEqual([]);
    const op = started.body.data?.bulkOperationRunQuery.bulkOperation;
    expect(op.status).toBe("CREATED");
    let done: Loose = {};
    for (let i = 0; i < 400 && done.status !== "COMPLETED"; i++) {
      done = (await h.gql(poll, { id: op.id }, { shop, token })).body.data?.node;
      if (done.status !== "COMPLETED") await new Promise((r) => setTimeout(r, 25));
    }
    expect(done.status).toBe("COMPLETED");
    const text = await (await fetch(done.url)).text();
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Line);
    return { op: done, lines, text };
  }

  it("streams JSONL with nested children on their own lines, and announces the finish by webhook", async () => {
    const { op, lines, text } = await runToCompletion(`{ orders { edges { node { id name totalPriceSet { shopMoney { amount } } customer { id } lineItems { edges { node { id sku quantity } } } } } } }`);
    expect(op).toMatchObject({ type: "QUERY", objectCount: "11", rootObjectCount: "5", fileSize: String(Buffer.byteLength(text)) });
    const roots = lines.filter((l) => !l.__parentId);
    expect(roots.map((l) => l.name)).toEqual(["#1001", "#1002", "#1003", "#1004", "#1005"]);
    expect(roots[2]).toEqual({ id: "gid://shopify/Order/8000000000000000003", name: "#1003", totalPriceSet: { shopMoney: { amount: "50.9" } }, customer: { id: `gid://shopify/Customer/${CUSTOMER_IDS.bob}` } });
    expect(lines[lines.indexOf(roots[1]) + 1]).toEqual({ id: "gid://shopify/LineItem/8100000000000000002", sku: "TEE-1", quantity: 1, __parentId: roots[1].id });
    await waitFor(() => receiver.received.some((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish"));
    const finish = JSON.parse(receiver.received.find((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish")!.body);
    expect(finish).toMatchObject({ admin_graphql_api_id: op.id, status: "completed", type: "query", error_code: null });
    const current = await h.gql(`{ currentBulkOperation(type: QUERY) { id status } }`);
    expect(current.body.data?.currentBulkOperation).toEqual({ id: op.id, status: "COMPLETED" });
  });

  it("round-trips every customer and order of a generated shop across many internal pages", async () => {
    const { accessToken } = h.fake.control.issueToken(BIG_SHOP);
    const { op, lines } = await runToCompletion(`{ customers { edges { node { id email tags numberOfOrders orders { edges { node { id name } } } } } } }`, BIG_SHOP, accessToken);
    const customers = lines.filter((l) => !l.__parentId);
    const orders = lines.filter((l) => l.__parentId);
    const withCustomer = big.orders.filter((o) => o.customerId !== null);
    expect(customers).toHaveLength(big.customers.length);
    expect(orders).toHaveLength(withCustomer.length);
    expect(op.objectCount).toBe(String(big.customers.length + withCustomer.length));
    expect(new Set(customers.map((c) => c.id))).toEqual(new Set(big.customers.map((c) => `gid://shopify/Customer/${c.id}`)));
    for (const c of big.customers.slice(0, 50)) {
      const line = customers.find((l) => l.id === `gid://shopify/Customer/${c.id}`)!;
      expect(line).toEqual({ id: line.id, email: c.email, tags: c.tags, numberOfOrders: String(big.orders.filter((o) => o.customerId === c.id).length) });
    }
    const parentOf = new Map(orders.map((o) => [o.id, o.__parentId]));
    for (const o of withCustomer) expect(parentOf.get(`gid://shopify/Order/${o.id}`)).toBe(`gid://shopify/Customer/${o.customerId}`);
  });

  it("refuses bulk queries Shopify refuses", async () => {
    const errorOf = async (q: string) => (await h.gql(run, { q })).body.data?.bulkOperationRunQuery.userErrors[0]?.message as string;
    expect(await errorOf(`{ shop { id } }`)).toMatch(/at least one connection/);
    expect(await errorOf(`{ customers { edges { node { orders { edges { node { id } } } } } } }`)).toMatch(/must select the 'id' field/);
    expect(await errorOf(`{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }`)).toMatch(/nesting depth/);
    const edges = (fields: string) => `{ edges { node { ${fields} } } }`;
    expect(
      await errorOf(
        `{ orders ${edges(`id lineItems ${edges("id")} discountApplications ${edges("index")} shippingLines ${edges("title")} customer { id orders ${edges("id")} metafields ${edges("id")} }`)} }`,
      ),
    ).toBe("Bulk queries cannot contain more than 5 connections.");
    expect(await errorOf(`{ orders ${edges("id nope")} }`)).toMatch(/Invalid bulk query/);
    // A refund's line items are a connection inside a list: the reason refund details are read page by page.
    expect(await errorOf(`{ orders ${edges(`id refunds { id refundLineItems ${edges("quantity")} }`)} }`)).toBe(
      "Queries that contain a connection field within a list field are not currently supported.",
    );
    expect(await errorOf(`{ orders ${edges("id refunds { id createdAt }")} }`)).toBeUndefined();
    // also when the connection hides in a fragment
    expect(await errorOf(`{ orders ${edges(`id refunds { ... on Refund { refundLineItems ${edges("quantity")} } }`)} }`)).toMatch(/within a list field/);
    expect(await errorOf(`{ orders ${edges("id refunds { ...R }")} } fragment R on Refund { refundLineItems ${edges("quantity")} }`)).toMatch(/within a list field/);
    expect(await errorOf(`{ products { nodes { id title } } }`)).toBe(
      "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. " +
        "Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.",
    );
    expect(await errorOf(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { message } } }`)).toBe(
      "Invalid operation type. Only `query` operations are supported.",
    );
  });

  it("allows five concurrent bulk queries from 2026-01, one before", async () => {
    // Operations wait 1.5 s before running, so all of them are still in progress here.
    const slow = await startHarness({ bulkStartDelayMs: 1_500 });
    const start = (version?: string) => slow.gql(run, { q: `{ products { edges { node { id } } } }` }, { version });
    expect((await start("2025-10")).body.data?.bulkOperationRunQuery.userErrors).toEqual([]);
    expect((await start("2025-10")).body.data?.bulkOperationRunQuery.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");
    for (let i = 0; i < 4; i++) expect((await start()).body.data?.bulkOperationRunQuery.userErrors).toEqual([]);
    expect((await start()).body.data?.bulkOperationRunQuery.userErrors[0].code).toBe("LIMIT_REACHED");
    await slow.fake.close();
  });

  it("applies a bulk mutation's variables line by line from a staged upload", async () => {
    const staged = await h.gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url resourceUrl parameters { name value } } userErrors { message } } }`);
    const target = staged.body.data?.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const p of target.parameters as { name: string; value: string }[]) form.append(p.name, p.value);
    const variables = [
      { id: `gid://shopify/Customer/${CUSTOMER_IDS.ada}`, tags: ["patron:valued"] },
      { id: `gid://shopify/Customer/${CUSTOMER_IDS.bob}`, tags: ["patron:volume"] },
      { id: "gid://shopify/Customer/1", tags: ["patron:none"] },
    ];
    form.append("file", new Blob([variables.map((v) => JSON.stringify(v)).join("\n")]), "tags.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form });
    expect(upload.status).toBe(201);
    const key = (target.parameters as { name: string; value: string }[]).find((p) => p.name === "key")!.value;

    const missing = await h.gql(`mutation { bulkOperationRunMutation(mutation: "mutation($id: ID!) { shop { id } }", stagedUploadPath: "tmp/nope") { userErrors { code } } }`);
    expect(missing.body.errors ?? missing.body.data?.bulkOperationRunMutation.userErrors).toBeTruthy();

    const started = await h.gql(`mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id status } userErrors { message code } } }`, {
      m: `mutation tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { message } } }`,
      p: key,
    });
    expect(started.body.data?.bulkOperationRunMutation.userErrors).toEqual([]);
    await h.fake.control.settle();
    const done = (await h.gql(`{ currentBulkOperation(type: MUTATION) { status objectCount url } }`)).body.data?.currentBulkOperation;
    expect(done).toMatchObject({ status: "COMPLETED", objectCount: "3" });
    const results = (await (await fetch(done.url)).text()).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(results[0]).toEqual({ data: { tagsAdd: { node: { id: variables[0].id }, userErrors: [] } }, __lineNumber: 0 });
    expect(results[2]).toEqual({ data: { tagsAdd: { node: null, userErrors: [{ message: "Customer does not exist" }] } }, __lineNumber: 2 });
    expect(h.fake.control.customerTags(SHOP)).toMatchObject({ [CUSTOMER_IDS.ada]: ["vip", "patron:valued"], [CUSTOMER_IDS.bob]: ["patron:volume"] });
  });

  it("cancels a bulk operation that has not finished", async () => {
    const slow = await startHarness({ bulkStartDelayMs: 500 });
    const started = await slow.gql(run, { q: `{ customers { edges { node { id } } } }` });
    const id = started.body.data?.bulkOperationRunQuery.bulkOperation.id;
    const cancel = await slow.gql(`mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`, { id });
    expect(cancel.body.data?.bulkOperationCancel).toEqual({ bulkOperation: { status: "CANCELING" }, userErrors: [] });
    await slow.fake.control.settle();
    expect((await slow.gql(poll, { id })).body.data?.node).toMatchObject({ status: "CANCELED", url: null });
    const again = await slow.gql(`mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`, { id });
    expect(again.body.data?.bulkOperationCancel.userErrors[0].message).toMatch(/canceled/);
    await slow.fake.close();
  });

  it("fails with ACCESS_DENIED when the token cannot read what the query asks for", async () => {
    const ordersOnly = h.fake.control.issueToken(SHOP, { scope: ["read_orders"] }).accessToken;
    const started = await h.gql(run, { q: `{ customers { edges { node { id } } } }` }, { token: ordersOnly });
    const id = started.body.data?.bulkOperationRunQuery.bulkOperation.id;
    await h.fake.control.settle();
    expect((await h.gql(poll, { id })).body.data?.node).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED" });
  });
});
