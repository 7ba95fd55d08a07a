/**
 * Scoring benchmark: `npx tsx test/bench/scoring.bench.ts [customers]`.
 * Synthesises customers' summaries deterministically (BG/NBD purchase process, ≈10 orders each),
 * then times the BG/NBD fit on collapsed vs uncollapsed rows and a full scoreFeatures run.
 * Prints figures and ratios only; there is no pass/fail on time.
 */
import { collapseBgNbd, fitBgNbd, uncollapsedBgNbd } from "../../app/scoring/bgnbd";
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
  const fit = time(() => fitBgNbd(collapsed));
  const plain = time(() => fitBgNbd(uncollapsedBgNbd(x, tx, T)));
  const p = fit.value.params;
  console.log("\nBG/NBD fit");
  console.log(`  rows: ${CUSTOMERS.toLocaleString("en")} customers → ${collapsed.length.toLocaleString("en")} distinct (x, t_x, T)`);
  console.log(`  collapse:                 ${collapse.ms.toFixed(0)} ms`);
  console.log(
    `  fit on collapsed rows:    ${fit.ms.toFixed(0)} ms (${fit.value.iterations} iterations, ${fit.value.evaluations} evaluations, ${fit.value.status})`,
  );
  console.log(`  fit on uncollapsed rows:  ${plain.ms.toFixed(0)} ms (baseline)`);
  console.log(`  speed-up from collapsing: ×${(plain.ms / (collapse.ms + fit.ms)).toFixed(2)} including the collapse`);
  console.log(
    `  r=${p.r.toFixed(4)} α=${p.alpha.toFixed(4)} a=${p.a.toFixed(4)} b=${p.b.toFixed(4)} (simulated r=${TRUTH.r} α=${TRUTH.alpha} a=${TRUTH.a} b=${TRUTH.b}); LL ${fit.value.logLikelihood.toFixed(2)} vs ${plain.value.logLikelihood.toFixed(2)} uncollapsed`,
  );

  const scoring = time(() => scoreFeatures(features, { preset: "balanced" }));
  const result = scoring.value;
  console.log("\nfull scoring (scoreFeatures: fit, predictions, shop context, classification, reasons, VIP)");
  console.log(`  time: ${(scoring.ms / 1000).toFixed(2)} s (${((scoring.ms * 1000) / CUSTOMERS).toFixed(2)} µs per customer)`);
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
