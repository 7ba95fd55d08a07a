/**
 * Scoring benchmark: `npx tsx test/bench/scoring.bench.ts [customers]`.
 * Synthesises customers' summaries deterministically (BG/NBD purchase process, ≈10 orders each),
 * then times the BG/NBD fit on collapsed vs uncollapsed rows and a full scoreFeatures run.
 * Prints figures and ratios only; there is no pass/fail on time.
 */
import { loadavg } from "node:os";
import { collapseBgNbd, fitBgNbd, uncollapsedBgNbd } from "../../app/scoring/bgnbd";
import { fitRows } from "../../app/scoring/model";
import { computeFeatures, type CustomerFeatures } from "../../app/scoring/features";
import { scoreFeatures } from "../../app/scoring/index";
import {
  AS_OF,
  sampleBeta,
  sampleGamma,
  seededRandom,
  simulatedShop,
} from "../../app/scoring/testFactories";

const CUSTOMERS = Number(process.argv[2] ?? 1_000_000);
const TRUTH = { r: 2, alpha: 10, a: 0.5, b: 6 };
const ACQUISITION_DAYS = 730;

function time<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const rssMb = () => process.resourceUsage().maxRSS / 1024;

function synthesise(n: number): { features: CustomerFeatures[]; orders: number } {
  const random = seededRandom(20250630);
  const features: CustomerFeatures[] = new Array(n);
  let totalOrders = 0;
  const days: number[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = sampleGamma(random, TRUTH.r, TRUTH.alpha) / 7;
    const p = sampleBeta(random, TRUTH.a, TRUTH.b);
    const first = 1 + Math.floor(random() * ACQUISITION_DAYS);
    days.length = 0;
    days.push(first);
    let t = first;
    for (;;) {
      t -= -Math.log(random() || 1e-300) / lambda;
      if (t < 0) break;
      const day = Math.ceil(t);
      if (day !== days[days.length - 1]) days.push(day);
      if (random() < p) break;
    }
    const orders = days.length;
    totalOrders += orders;
    const x = orders - 1;
    const last = days[days.length - 1];
    const aov = Math.round(sampleGamma(random, 4, 4 / 60) * 100) / 100;
    const discountShare = random() < 0.3 ? 0.5 + random() * 0.5 : random() * 0.2;
    const marginRate = 0.2 + random() * 0.5;
    features[i] = {
      customerId: `c${i}`,
      acceptsMarketing: random() < 0.5,
      orders,
      purchaseDays: orders,
      x,
      tx: (first - last) / 7,
      T: first / 7,
      firstOrderAt: new Date(AS_OF.getTime() - first * 86_400_000),
      lastOrderAt: new Date(AS_OF.getTime() - last * 86_400_000),
      daysSinceLastOrder: last,
      tenureDays: first,
      monetary: aov * orders,
      averageOrderValue: aov,
      repeatSpendMean: x > 0 ? aov : 0,
      ordersPerYear: (orders * 365) / Math.max(first, 90),
      regularityCv: null,
      marginRate,
      marginEstimated: random() < 0.2,
      knownCostShare: 1,
      discountedOrderShare: Math.round(discountShare * orders) / orders,
      codeOrderShare: Math.round(discountShare * orders) / orders,
      automaticOrderShare: 0,
      markdownOrderShare: 0,
      discountDepth: discountShare * 0.2,
      recentDiscountShare: discountShare,
      // days[] counts back from asOf, so the earliest purchase comes first.
      gapTrend: x >= 2 ? (days[x - (x >> 1)] - days[x]) / (days[0] - days[x >> 1]) : null,
      spendTrend: x >= 1 ? 1 : null,
      refundRate: random() < 0.05 ? random() * 0.5 : 0,
      returnRate: null,
    };
  }
  return { features, orders: totalOrders };
}

function main() {
  console.log(`scoring benchmark: ${CUSTOMERS.toLocaleString("en")} customers, Node ${process.version}`);
  const synth = time(() => synthesise(CUSTOMERS));
  const { features, orders } = synth.value;
  console.log(
    `synthesised ${orders.toLocaleString("en")} orders' worth of summaries in ${(synth.ms / 1000).toFixed(2)} s`,
  );

  const x = new Float64Array(CUSTOMERS);
  const tx = new Float64Array(CUSTOMERS);
  const T = new Float64Array(CUSTOMERS);
  features.forEach((f, i) => {
    x[i] = f.x;
    tx[i] = f.tx;
    T[i] = f.T;
  });
  const collapse = time(() => collapseBgNbd(x, tx, T));
  const collapsed = collapse.value;
  const grid = time(() => fitRows(collapsed));
  const fit = time(() => fitBgNbd(grid.value.data));
  const exact = time(() => fitBgNbd(collapsed));
  const plain = time(() => fitBgNbd(uncollapsedBgNbd(x, tx, T)));
  const describe = (p: { r: number; alpha: number; a: number; b: number }) =>
    `r=${p.r.toFixed(4)} α=${p.alpha.toFixed(4)} a=${p.a.toFixed(4)} b=${p.b.toFixed(4)}`;
  console.log("\nBG/NBD fit (simulated " + describe(TRUTH) + ")");
  console.log(`  collapse ${CUSTOMERS.toLocaleString("en")} customers → ${collapsed.length.toLocaleString("en")} distinct (x, t_x, T) at day resolution: ${collapse.ms.toFixed(0)} ms`);
  console.log(
    `  → ${grid.value.data.length.toLocaleString("en")} rows on the ${grid.value.gridWeeks}-week fit grid: ${grid.ms.toFixed(0)} ms`,
  );
  const line = (label: string, r: typeof fit) =>
    console.log(
      `  ${label.padEnd(34)}${r.ms.toFixed(0).padStart(7)} ms  ${r.value.iterations} iterations, ${r.value.evaluations} evaluations, ${r.value.status}; ${describe(r.value.params)}`,
    );
  line("fit on grid rows (used by scoring)", fit);
  line("fit on exact collapsed rows", exact);
  line("fit on uncollapsed rows (baseline)", plain);
  console.log(
    `  speed-up vs baseline: ×${(plain.ms / fit.ms).toFixed(1)} (grid fit), ×${(plain.ms / (collapse.ms + grid.ms + fit.ms)).toFixed(1)} including collapse and grid; ×${(plain.ms / exact.ms).toFixed(1)} (exact collapsed)`,
  );

  const cpuBefore = process.cpuUsage();
  const scoring = time(() => scoreFeatures(features, { preset: "balanced" }));
  const cpu = process.cpuUsage(cpuBefore);
  const result = scoring.value;
  console.log("\nfull scoring (scoreFeatures: fit, predictions, shop context, classification, reasons, VIP)");
  console.log(
    `  wall ${(scoring.ms / 1000).toFixed(2)} s (${((scoring.ms * 1000) / CUSTOMERS).toFixed(2)} µs per customer), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (GC threads included), load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(`  model: ${result.model.kind}, spend model ${result.model.spendModel}`);
  console.log(`  groups: ${JSON.stringify(result.store.groups)}`);
  console.log(`  reasons: ${result.customers.reduce((s, c) => s + c.reasons.length, 0).toLocaleString("en")}`);

  const histories = simulatedShop(99, Math.min(100_000, CUSTOMERS));
  const historyOrders = histories.reduce((s, h) => s + h.orders.length, 0);
  const featureTime = time(() => histories.map((h) => computeFeatures(h, { asOf: AS_OF, defaultMarginRate: 0.5 })));
  console.log("\nfeatures from order histories");
  console.log(
    `  ${histories.length.toLocaleString("en")} customers, ${historyOrders.toLocaleString("en")} orders: ${featureTime.ms.toFixed(0)} ms (${((featureTime.ms * 1e6) / historyOrders / 1000).toFixed(2)} µs per order)`,
  );

  console.log(`\npeak RSS: ${rssMb().toFixed(0)} MB`);
}

main();
