// Store generator at scale: npx tsx test/bench/generator.bench.ts [--customers 100000]
// Prints figures and a scaling ratio against a 10x smaller run in the same process;
// never passes or fails on time.
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import type { FakeOrder } from "../fake-shopify/store/model";
import { streamStore, summaryBuilderFor } from "../fake-shopify/generator";

const { values } = parseArgs({
  options: { customers: { type: "string", default: "100000" }, seed: { type: "string", default: "42" } },
});
const customers = Number(values.customers);
const seed = Number(values.seed);
const MB = 1024 * 1024;

interface Run {
  label: string;
  customers: number;
  orders: number;
  planMs: number;
  totalMs: number;
  peakRssMb: number;
  heapUsedMb: number;
}

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

/** Generates a store; `keep` holds every order in memory as the fake server does. */
function run(label: string, count: number, keep: boolean): Run {
  globalThis.gc?.();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const stream = streamStore({ seed, shopDomain: "bench-store.myshopify.com", customers: count });
  const planMs = performance.now() - started;
  const kept: FakeOrder[] = keep ? new Array<FakeOrder>(stream.orderCount) : [];
  const summary = keep ? null : summaryBuilderFor({ ...stream });
  let n = 0;
  for (const order of stream.orders()) {
    if (keep) kept[n] = order;
    else summary?.add(order);
    if (++n % 20_000 === 0) sampleRss();
  }
  sampleRss();
  const totalMs = performance.now() - started;
  const heapUsedMb = process.memoryUsage().heapUsed / MB;
  const result = { label, customers: count, orders: n, planMs, totalMs, peakRssMb: peakRss / MB, heapUsedMb };
  kept.length = 0;
  return result;
}

function print(r: Run): void {
  console.log(
    [
      r.label.padEnd(28),
      `${r.customers.toLocaleString("en-US")} customers`.padStart(20),
      `${r.orders.toLocaleString("en-US")} orders`.padStart(18),
      `${(r.totalMs / 1000).toFixed(1)} s (plan ${(r.planMs / 1000).toFixed(1)} s)`.padStart(22),
      `${Math.round((r.orders / r.totalMs) * 1000).toLocaleString("en-US")} orders/s`.padStart(18),
      `peak RSS ${r.peakRssMb.toFixed(0)} MB`.padStart(18),
      `heap ${r.heapUsedMb.toFixed(0)} MB`.padStart(12),
    ].join("  "),
  );
}

console.log(`node ${process.version}, V8 heap limit ${(getHeapStatistics().heap_size_limit / MB).toFixed(0)} MB`);
// Warm the JIT first so the baseline is not penalised for compiling the hot paths.
run("warm-up", 2_000, false);
const baseline = run("baseline, kept in memory", Math.round(customers / 10), true);
print(baseline);
const streamed = run("streamed, summarised only", customers, false);
print(streamed);
const full = run("full store kept in memory", customers, true);
print(full);
console.log(
  `scaling: full run took ${(full.totalMs / (baseline.totalMs * (full.orders / baseline.orders))).toFixed(2)}x ` +
    `the baseline scaled by its ${(full.orders / baseline.orders).toFixed(1)}x orders (1.00 = linear)`,
);
console.log(`process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
