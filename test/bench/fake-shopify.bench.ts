// Fake Shopify at scale: npx tsx test/bench/fake-shopify.bench.ts [--customers 100000]
// (≈ 10 orders per customer, so the default is about a million orders). Prints paged-API
// and bulk figures and the bulk run's memory growth against its output size; never
// passes or fails on time.
import { parseArgs } from "node:util";
import { createFakeShopify } from "../fake-shopify/server";
import { generateStore } from "../fake-shopify/generator";
import type { Loose } from "../fake-shopify/fixtures/harness";

const { values } = parseArgs({
  options: { customers: { type: "string", default: "100000" }, seed: { type: "string", default: "42" }, pages: { type: "string", default: "40" }, tags: { type: "string", default: "10000" } },
});
const SHOP = "bench-store.myshopify.com";
const MB = 1024 * 1024;
let peakRss = 0;
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const t0 = performance.now();
const data = generateStore({ seed: Number(values.seed), shopDomain: SHOP, customers: Number(values.customers), asOf: new Date() });
const generateMs = performance.now() - t0;
const fake = await createFakeShopify({
  apiKey: "bench",
  apiSecret: "bench-secret",
  appUrl: "http://127.0.0.1:9",
  appConfig: { apiVersion: "2026-07", subscriptions: [], scopes: [] },
  scopes: ["read_customers", "write_customers", "read_orders", "read_all_orders"],
  shops: [data],
});
// A non-expiring token: this bench measures the fake, not token refresh, and may outlast an hour.
const { accessToken } = fake.control.issueToken(SHOP, { expiring: false });

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Loose; extensions?: { cost: { actualQueryCost: number } } }> {
  const response = await fetch(`${fake.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken, "x-fake-shop-domain": SHOP },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}

async function awaitBulk(type: "QUERY" | "MUTATION"): Promise<Loose> {
  for (;;) {
    const op = (await gql(`{ currentBulkOperation(type: ${type}) { status objectCount rootObjectCount fileSize url } }`)).data?.currentBulkOperation;
    if (op.status === "COMPLETED" || op.status === "FAILED") return op;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Paged sync: the way an app reads without bulk. The bucket is drained for real, so
// the figure is server-side throughput with the throttle refilling on the wall clock.
const pages = Number(values.pages);
let cursor: string | null = null;
let pagedOrders = 0;
let throttled = 0;
const t1 = performance.now();
for (let i = 0; i < pages; ) {
  const page = await gql(`query($after: String) { orders(first: 50, after: $after) { pageInfo { endCursor } nodes { id totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { id quantity } } } } }`, { after: cursor });
  if (!page.data) {
    throttled++;
    await new Promise((r) => setTimeout(r, 250));
    continue;
  }
  pagedOrders += page.data.orders.nodes.length;
  cursor = page.data.orders.pageInfo.endCursor;
  i++;
}
const pagedMs = performance.now() - t1;

globalThis.gc?.();
const rssBeforeBulk = process.memoryUsage().rss;
peakRss = rssBeforeBulk;
const t2 = performance.now();
await gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q) { userErrors { message } } }`, {
  q: `{ orders { edges { node { id name processedAt customer { id } totalPriceSet { shopMoney { amount } } lineItems { edges { node { id sku quantity originalUnitPriceSet { shopMoney { amount } } } } } } } } }`,
});
const bulk = await awaitBulk("QUERY");
const bulkMs = performance.now() - t2;
const bulkPeakGrowth = peakRss - rssBeforeBulk;

const tags = Math.min(Number(values.tags), data.customers.length);
const jsonl = data.customers.slice(0, tags).map((c) => JSON.stringify({ id: `gid://shopify/Customer/${c.id}`, tags: ["patron:bench"] })).join("\n");
const staged = (await gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "v.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } } }`)).data?.stagedUploadsCreate.stagedTargets[0];
const form = new FormData();
for (const p of staged.parameters as { name: string; value: string }[]) form.append(p.name, p.value);
form.append("file", new Blob([jsonl]), "v.jsonl");
await fetch(staged.url, { method: "POST", body: form });
const key = (staged.parameters as { name: string; value: string }[]).find((p) => p.name === "key")!.value;
const t3 = performance.now();
await gql(`mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { userErrors { message } } }`, {
  m: `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }`,
  p: key,
});
const mutation = await awaitBulk("MUTATION");
const mutationMs = performance.now() - t3;

clearInterval(sample);
await fake.close();
const fileMb = Number(bulk.fileSize) / MB;
console.log(
  JSON.stringify(
    {
      customers: data.customers.length,
      orders: data.orders.length,
      generateSeconds: +(generateMs / 1000).toFixed(1),
      paged: { pages, orders: pagedOrders, throttledResponses: throttled, seconds: +(pagedMs / 1000).toFixed(2), ordersPerSecond: Math.round(pagedOrders / (pagedMs / 1000)) },
      bulkQuery: {
        status: bulk.status,
        objects: Number(bulk.objectCount),
        roots: Number(bulk.rootObjectCount),
        fileMb: +fileMb.toFixed(1),
        seconds: +(bulkMs / 1000).toFixed(1),
        objectsPerSecond: Math.round(Number(bulk.objectCount) / (bulkMs / 1000)),
        peakRssGrowthMb: +(bulkPeakGrowth / MB).toFixed(1),
        rssGrowthToFileSizeRatio: +(bulkPeakGrowth / MB / fileMb).toFixed(3),
      },
      bulkMutation: { status: mutation.status, lines: Number(mutation.objectCount), seconds: +(mutationMs / 1000).toFixed(2), linesPerSecond: Math.round(Number(mutation.objectCount) / (mutationMs / 1000)) },
      peakRssMb: Math.round(peakRss / MB),
    },
    null,
    2,
  ),
);
