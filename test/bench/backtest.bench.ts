/**
 * Backtest benchmark: `npx tsx test/bench/backtest.bench.ts [--customers 1000000] [--history 100000]`.
 *
 * 1. What the backtest and the model choice add to a full rescore of `--customers` simulated customers
 *    (BG/NBD purchase process, mixed baskets, 540 days of acquisition): the calibration features of
 *    customers who bought in the holdout (computeFeatures as of the cutoff, from their order history),
 *    the candidate fits and holdout measures (runBacktest), and the chosen ranking's full fit, against
 *    the same full scoring without a backtest (scoreFeatures with BG/NBD) as the baseline.
 * 2. The history reconstructed at install for `--history` customers: 12 month-end scorings, each with
 *    its own backtest, and their reconstructed group changes and model fits written to a real
 *    PostgreSQL (its own database, dropped afterwards).
 * Prints figures and ratios only; there is no pass/fail on time.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import setupTemplate from "../setup/global";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";
import { buildBacktestInput, planHoldout, runBacktest, type BacktestInput } from "../../app/scoring/backtest";
import { computeFeatures, type CustomerFeatures } from "../../app/scoring/features";
import { scoreFeatures } from "../../app/scoring/index";
import { resolveConfig } from "../../app/scoring/presets";
import { AS_OF, simulatedShop } from "../../app/scoring/testFactories";
import type { CustomerHistory } from "../../app/scoring/types";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    history: { type: "string", default: "100000" },
  },
});
const CUSTOMERS = Number(values.customers);
const HISTORY_CUSTOMERS = Number(values.history);
const CHUNK = 20_000;
const FEATURES = { defaultMarginRate: 0.4 };

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

function shop(seed: number, n: number, offset: number): CustomerHistory[] {
  return simulatedShop(seed, n).map((h, i) => ({ ...h, customerId: `c${offset + i}` }));
}

const COLUMNS = ["x", "tx", "T", "zbar", "averageOrderValue", "pastSpend", "orders", "daysSinceLastOrder", "holdoutPurchases", "holdoutRevenue"] as const;

function concat(parts: BacktestInput[], holdoutWeeks: number): BacktestInput {
  const length = parts.reduce((s, p) => s + p.length, 0);
  const out = { length, holdoutWeeks } as BacktestInput;
  for (const c of COLUMNS) {
    const col = new Float64Array(length);
    let at = 0;
    for (const p of parts) {
      col.set(p[c], at);
      at += p.length;
    }
    out[c] = col;
  }
  return out;
}

async function fullRescore() {
  console.log(`backtest benchmark: ${CUSTOMERS.toLocaleString("en")} customers, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
  const config = resolveConfig("balanced", {});
  if (!config.ok) throw new Error("balanced preset is invalid");
  // Simulated shops start 540 days before AS_OF at the latest; the plan is the same for every chunk.
  const plan = planHoldout(new Date(AS_OF.getTime() - 540 * 86_400_000), AS_OF);
  if (!plan.ok) throw new Error("simulated history too short");

  const features: CustomerFeatures[] = new Array(CUSTOMERS);
  const parts: BacktestInput[] = [];
  let orders = 0;
  let historyMs = 0;
  let inputMs = 0;
  const started = performance.now();
  for (let offset = 0, chunk = 0; offset < CUSTOMERS; offset += CHUNK, chunk++) {
    const histories = shop(1000 + chunk, Math.min(CHUNK, CUSTOMERS - offset), offset);
    let t = performance.now();
    const now = histories.map((h) => computeFeatures(h, { ...FEATURES, asOf: AS_OF }));
    historyMs += performance.now() - t;
    for (let i = 0; i < now.length; i++) {
      features[offset + i] = now[i];
      orders += histories[i].orders.length;
    }
    t = performance.now();
    parts.push(buildBacktestInput(histories, now, plan.cutoff, plan.holdoutWeeks, FEATURES));
    inputMs += performance.now() - t;
  }
  console.log(
    `simulated ${orders.toLocaleString("en")} orders and computed today's features in ${seconds(performance.now() - started)} ` +
      `(features alone ${seconds(historyMs)}, part of every rescore)`,
  );

  const t0 = performance.now();
  const input = concat(parts, plan.holdoutWeeks);
  const concatMs = performance.now() - t0;
  const t1 = performance.now();
  const report = runBacktest(input, config.config.model, { asOf: AS_OF, cutoff: plan.cutoff, historyWeeks: plan.historyWeeks });
  const backtestMs = performance.now() - t1;
  if (report.status !== "measured") throw new Error(`backtest not measured: ${report.reason}`);

  const t2 = performance.now();
  const baseline = scoreFeatures(features, { preset: "balanced" });
  const baselineMs = performance.now() - t2;
  const t3 = performance.now();
  const chosen = scoreFeatures(features, { preset: "balanced", ranking: report.choice.ranking });
  const chosenMs = performance.now() - t3;

  const added = inputMs + concatMs + backtestMs + Math.max(0, chosenMs - baselineMs);
  console.log(`\nholdout: last ${plan.holdoutWeeks} weeks; ${input.length.toLocaleString("en")} customers in the backtest, ${report.holdoutBuyers.toLocaleString("en")} bought in the holdout`);
  console.log(`  calibration features (customers with holdout orders only): ${seconds(inputMs)}`);
  console.log(`  columns assembled: ${seconds(concatMs)}`);
  console.log(`  fits, forecasts, measures and choice (runBacktest): ${seconds(backtestMs)}`);
  for (const r of report.rankers) {
    console.log(`    ${r.name.padEnd(12)} top 20% ${(100 * r.topShare).toFixed(2)}%${r.modelWeight !== undefined ? `, model weight ${r.modelWeight}` : ""}`);
  }
  console.log(`  chosen: ${report.choice.kind} (${report.choice.reason}), ranking ${JSON.stringify(report.choice.ranking)}; model served ${chosen.model.kind}`);
  console.log(`\nfull scoring without a backtest (baseline, BG/NBD): ${seconds(baselineMs)}`);
  console.log(`full scoring with the chosen ranking: ${seconds(chosenMs)}`);
  console.log(`added by the backtest and the choice: ${seconds(added)}, ×${(added / baselineMs).toFixed(2)} of the baseline scoring (target ≤ 30 s)`);
  console.log(`groups baseline ${JSON.stringify(baseline.store.groups)}`);
  console.log(`groups chosen   ${JSON.stringify(chosen.store.groups)}`);
  console.log(`peak RSS: ${rssMb()} MB`);
}

async function reconstruction() {
  console.log(`\nhistory at install: ${HISTORY_CUSTOMERS.toLocaleString("en")} customers, 12 month-ends`);
  await setupTemplate();
  const database = randomDatabaseName("patron_bench");
  process.env.DATABASE_URL = await cloneTemplate(database);
  process.env.SHOPIFY_API_KEY ??= "patron-bench-key";
  process.env.SHOPIFY_API_SECRET ??= "patron-bench-secret";
  process.env.SHOPIFY_APP_URL ??= "https://patron.bench";
  process.env.LOG_LEVEL = "silent";
  const { default: prisma } = await import("../../app/db.server");
  const { reconstructHistory } = await import("../../app/scores/reconstruct.server");
  try {
    const histories: CustomerHistory[] = [];
    for (let offset = 0, chunk = 0; offset < HISTORY_CUSTOMERS; offset += CHUNK, chunk++) {
      // Numeric ids: GroupChange.customerId is a BigInt.
      for (const h of shop(5000 + chunk, Math.min(CHUNK, HISTORY_CUSTOMERS - offset), offset)) histories.push({ ...h, customerId: h.customerId.slice(1) });
    }
    const orders = histories.reduce((s, h) => s + h.orders.length, 0);
    const shopRow = await prisma.shop.create({ data: { domain: "backtest-bench.myshopify.com", scopes: "read_orders" } });
    const scoring = { preset: "balanced" as const, defaultMarginRate: 0.4 };

    const t0 = performance.now();
    const current = scoreFeatures(histories.map((h) => computeFeatures(h, { ...FEATURES, asOf: AS_OF })), scoring);
    const oneMs = performance.now() - t0;
    const t1 = performance.now();
    const r = await reconstructHistory(prisma, shopRow.id, histories, scoring, AS_OF);
    const ms = performance.now() - t1;
    const fits = await prisma.modelFit.findMany({ where: { shopId: shopRow.id, reconstructed: true }, select: { durationMs: true, kind: true } });
    const scoringMs = fits.reduce((s, f) => s + f.durationMs, 0);
    console.log(`  ${orders.toLocaleString("en")} orders; ${r.monthEnds} month-ends, ${r.changes.toLocaleString("en")} reconstructed group changes`);
    console.log(`  total ${seconds(ms)}: scoring with backtests ${seconds(scoringMs)}, the rest (filtering histories, writes) ${seconds(ms - scoringMs)}`);
    console.log(`  one scoring without a backtest as of today (baseline): ${seconds(oneMs)}; reconstruction ×${(ms / oneMs).toFixed(1)} of it`);
    console.log(`  models per month-end: ${fits.map((f) => f.kind).join(", ")}; ${current.customers.length.toLocaleString("en")} customers today`);
    console.log(`peak RSS: ${rssMb()} MB`);
  } finally {
    await prisma.$disconnect();
    await dropDatabase(database);
  }
}

await fullRescore();
if (HISTORY_CUSTOMERS > 0) await reconstruction();
