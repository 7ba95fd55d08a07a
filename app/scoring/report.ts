import type { ShopScores } from "./index";
import type { OrdersExportStats } from "../orders/export";
import { GROUPS, type Group } from "./types";

export interface GroupSummary {
  group: Group;
  customers: number;
  revenue: number;
  revenueShare: number;
  grossProfit: number;
  grossProfitShare: number;
  vip: number;
}

export interface CustomerLine {
  customer: string;
  group: Group;
  vip: boolean;
  valueScore: number;
  volumeScore: number;
  orders: number;
  revenue: number;
  marginRate: number;
  marginEstimated: boolean;
  pAlive: number | null;
  expectedPurchases: number;
  predictedClv: number;
  reasons: string[];
}

export interface AnalysisReport {
  asOf: string;
  preset: string;
  defaultMarginRate: number;
  input: Omit<OrdersExportStats, "latestOrderAt"> & { latestOrderAt: string | null };
  model: ShopScores["model"];
  store: ShopScores["store"];
  groups: GroupSummary[];
  customers: CustomerLine[];
}

const GROUP_ORDER: readonly Group[] = ["valued", "rising", "at_risk", "volume", "occasional", "new"];

export function buildReport(
  scores: ShopScores,
  stats: OrdersExportStats,
  options: { asOf: Date; defaultMarginRate: number },
): AnalysisReport {
  const totals = new Map<Group, GroupSummary>(
    GROUPS.map((g) => [g, { group: g, customers: 0, revenue: 0, revenueShare: 0, grossProfit: 0, grossProfitShare: 0, vip: 0 }]),
  );
  let revenue = 0;
  let profit = 0;
  for (const c of scores.customers) {
    const t = totals.get(c.group)!;
    const r = c.features.monetary;
    t.customers++;
    t.revenue += r;
    t.grossProfit += r * c.features.marginRate;
    if (c.vip) t.vip++;
    revenue += r;
    profit += r * c.features.marginRate;
  }
  for (const t of totals.values()) {
    t.revenueShare = revenue > 0 ? t.revenue / revenue : 0;
    t.grossProfitShare = profit > 0 ? t.grossProfit / profit : 0;
  }
  const customers = scores.customers
    .map((c) => ({
      customer: c.customerId,
      group: c.group,
      vip: c.vip,
      valueScore: c.valueScore,
      volumeScore: c.volumeScore,
      orders: c.features.orders,
      revenue: c.features.monetary,
      marginRate: c.features.marginRate,
      marginEstimated: c.features.marginEstimated,
      pAlive: c.pAlive,
      expectedPurchases: c.expectedPurchases,
      predictedClv: c.predictedClv,
      reasons: c.reasons.map((r) => r.text),
    }))
    .sort(
      (a, b) =>
        GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
        b.valueScore - a.valueScore ||
        (a.customer < b.customer ? -1 : 1),
    );
  return {
    asOf: options.asOf.toISOString(),
    preset: scores.config.preset,
    defaultMarginRate: options.defaultMarginRate,
    input: { ...stats, latestOrderAt: stats.latestOrderAt?.toISOString() ?? null },
    model: scores.model,
    store: scores.store,
    groups: GROUP_ORDER.map((g) => totals.get(g)!),
    customers,
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const money = (v: number) => v.toFixed(2);
const fixed = (v: number, d = 4) => v.toFixed(d);
const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatReport(report: AnalysisReport): string {
  const out: string[] = [];
  const m = report.model;
  const i = report.input;
  out.push(`Patron analysis as of ${report.asOf.slice(0, 10)} (preset ${report.preset})`);
  out.push(
    `Input: ${count(i.orders, "order")} from ${count(i.customers, "customer")} (${count(i.rows, "line row")}; ${count(i.ordersWithoutContact, "order")} without email or phone left out` +
      `${i.testOrders > 0 ? `, ${count(i.testOrders, "test order")} left out` : ""}); ` +
      `unit cost known for ${i.lines > 0 ? pct(i.linesWithCost / i.lines) : "0%"} of lines, default margin ${pct(report.defaultMarginRate)}` +
      (i.currencies.length > 0 ? `; currency ${i.currencies.join(", ")}` : ""),
  );
  out.push("");
  out.push("Model");
  if (m.kind === "bgnbd") {
    out.push(
      `  BG/NBD fitted (weeks): r=${fixed(m.params.r)} alpha=${fixed(m.params.alpha)} a=${fixed(m.params.a)} b=${fixed(m.params.b)} ` +
        `log-likelihood ${m.logLikelihood?.toFixed(4)} on ${m.fitRows} distinct rows`,
    );
  } else {
    out.push(
      `  Fallback priors (${m.fallbackReason?.replace(/_/g, " ")}; ${m.repeatCustomers} repeat customers): ` +
        `r=${fixed(m.params.r)} alpha=${fixed(m.params.alpha)} a=${fixed(m.params.a)} b=${fixed(m.params.b)}`,
    );
  }
  out.push(
    m.spendModel === "gamma_gamma"
      ? `  Gamma-Gamma fitted: p=${fixed(m.ggParams.p)} q=${fixed(m.ggParams.q)} gamma=${fixed(m.ggParams.gamma)} log-likelihood ${m.ggLogLikelihood?.toFixed(4)}`
      : `  Spend prior (${m.spendFallbackReason?.replace(/_/g, " ")}): p=${fixed(m.ggParams.p)} q=${fixed(m.ggParams.q)} gamma=${fixed(m.ggParams.gamma)}`,
  );
  out.push(`  Horizon ${m.horizonWeeks} weeks, ${m.version}`);
  out.push("");
  out.push("Groups");
  out.push(`  ${"group".padEnd(11)}${"customers".padStart(10)}${"revenue".padStart(14)}${"share".padStart(8)}${"gross profit".padStart(14)}${"share".padStart(8)}${"vip".padStart(6)}`);
  for (const g of report.groups) {
    out.push(
      `  ${g.group.padEnd(11)}${String(g.customers).padStart(10)}${money(g.revenue).padStart(14)}${pct(g.revenueShare).padStart(8)}` +
        `${money(g.grossProfit).padStart(14)}${pct(g.grossProfitShare).padStart(8)}${String(g.vip).padStart(6)}`,
    );
  }
  out.push("");
  out.push("Customers");
  for (const c of report.customers) {
    const alive = c.pAlive === null ? "n/a" : pct(c.pAlive);
    out.push(
      `  ${c.customer}  ${c.group}${c.vip ? " (VIP)" : ""}  value ${c.valueScore.toFixed(1)}  volume ${c.volumeScore.toFixed(1)}  ` +
        `orders ${c.orders}  revenue ${money(c.revenue)}  margin ${pct(c.marginRate)}${c.marginEstimated ? " (est.)" : ""}  ` +
        `P(alive) ${alive}  predicted gross profit ${money(c.predictedClv)}`,
    );
    for (const r of c.reasons) out.push(`      - ${r}`);
  }
  return out.join("\n");
}
