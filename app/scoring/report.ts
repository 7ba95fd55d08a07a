import { translate } from "../i18n/i18n";
import type { ShopScores } from "./index";
import type { OrdersExportStats } from "../orders/export";
import type { GroupPersonas, PersonaFigures } from "../personas/persona";
import { intlFormat, personaViews } from "../personas/view";
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
  /** The backtest on the export's own recent history and the ranking it chose (see backtest.ts). */
  backtest: ShopScores["backtest"];
  store: ShopScores["store"];
  groups: GroupSummary[];
  /** Who each group is (app/personas): figures beside the whole store's, in plain words, with the plays for it. */
  personas: PersonaReport;
  customers: CustomerLine[];
}

export interface PersonaReport {
  overall: PersonaFigures;
  groups: {
    group: Group;
    summary: string[];
    figures: PersonaFigures;
    /** The figures as shown: label, this group, the whole store. */
    rows: { label: string; group: string; store: string }[];
    plays: { id: string; title: string; description: string; href: string }[];
  }[];
}

const GROUP_ORDER: readonly Group[] = ["valued", "rising", "at_risk", "volume", "occasional", "new"];

export function buildReport(
  scores: ShopScores,
  stats: OrdersExportStats,
  options: { asOf: Date; defaultMarginRate: number; personas: GroupPersonas },
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
      reasons: c.reasons.map((r) => translate("en", r.message)),
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
    backtest: scores.backtest,
    store: scores.store,
    groups: GROUP_ORDER.map((g) => totals.get(g)!),
    personas: personaReport(options.personas, stats.currencies[0] ?? "USD"),
    customers,
  };
}

function personaReport(personas: GroupPersonas, currency: string): PersonaReport {
  const views = new Map(personaViews(personas, intlFormat(currency), (message) => translate("en", message)).map((v) => [v.group, v]));
  return {
    overall: personas.overall,
    groups: GROUP_ORDER.map((group) => {
      const view = views.get(group)!;
      return {
        group,
        summary: view.sentences,
        figures: personas.groups[group],
        rows: view.rows.map(({ label, group: value, store }) => ({ label, group: value, store })),
        plays: view.plays.map((p) => ({ id: p.id, title: p.title, description: p.body, href: p.href })),
      };
    }),
  };
}

function formatPersonas(report: PersonaReport): string[] {
  const out = ["Personas (this group | whole store)"];
  for (const p of report.groups) {
    out.push(`  ${p.group}: ${count(p.figures.customers, "customer")} with orders`);
    if (p.figures.customers === 0) continue;
    for (const sentence of p.summary) out.push(`    ${sentence}`);
    const width = Math.max(...p.rows.map((r) => r.label.length));
    for (const r of p.rows) out.push(`    ${r.label.padEnd(width)}  ${r.group} | ${r.store}`);
    for (const play of p.plays) out.push(`    > ${play.title}: ${play.href}`);
  }
  out.push("");
  return out;
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
  if (m.kind === "pareto_nbd" && m.pareto) {
    const p = m.pareto.params;
    out.push(`  Pareto/NBD fitted (weeks): r=${fixed(p.r)} alpha=${fixed(p.alpha)} s=${fixed(p.s)} beta=${fixed(p.beta)} log-likelihood ${m.pareto.logLikelihood.toFixed(4)}`);
  }
  out.push(`  Horizon ${m.horizonWeeks} weeks, ${m.version}`);
  out.push("");
  out.push(...formatBacktest(report.backtest));
  out.push("Groups");
  out.push(`  ${"group".padEnd(11)}${"customers".padStart(10)}${"revenue".padStart(14)}${"share".padStart(8)}${"gross profit".padStart(14)}${"share".padStart(8)}${"vip".padStart(6)}`);
  for (const g of report.groups) {
    out.push(
      `  ${g.group.padEnd(11)}${String(g.customers).padStart(10)}${money(g.revenue).padStart(14)}${pct(g.revenueShare).padStart(8)}` +
        `${money(g.grossProfit).padStart(14)}${pct(g.grossProfitShare).padStart(8)}${String(g.vip).padStart(6)}`,
    );
  }
  out.push("");
  out.push(...formatPersonas(report.personas));
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

const RANKER_NAMES: Record<string, string> = {
  bgnbd: "BG/NBD x Gamma-Gamma",
  pareto_nbd: "Pareto/NBD x Gamma-Gamma",
  blend: "blend with past spend",
  past_spend: "past spend",
  order_count: "order count",
  rfm: "RFM score",
};

function formatBacktest(b: AnalysisReport["backtest"]): string[] {
  if (b === null) return [];
  const out = ["Backtest"];
  if (b.status === "insufficient") {
    out.push(`  not enough history yet (${b.reason.replace(/_/g, " ")}: needed ${b.needed}, found ${Math.floor(b.found)}); ranking by BG/NBD (or its priors)`);
    out.push("");
    return out;
  }
  const chosen = b.choice;
  out.push(
    `  held out the last ${b.holdoutWeeks} weeks (after ${b.cutoff.slice(0, 10)}), ${count(b.customers, "customer")}; ` +
      `top 20% by the chosen ranking held ${pct(chosen.topShare ?? 0)} of holdout revenue, by past spend ${pct(chosen.pastSpendTopShare ?? 0)}`,
  );
  const weight = chosen.kind === "blend" ? ` (model weight ${chosen.ranking.modelWeight.toFixed(2)}, ${chosen.ranking.purchaseModel})` : "";
  out.push(`  chosen: ${RANKER_NAMES[chosen.kind]}${weight}, ${chosen.reason.replace(/_/g, " ")}`);
  out.push(`  ${"ranking".padEnd(26)}${"top 20%".padStart(9)}${"spend MAE".padStart(11)}`);
  for (const r of b.rankers) {
    out.push(`  ${RANKER_NAMES[r.name].padEnd(26)}${pct(r.topShare).padStart(9)}${(r.spend ? money(r.spend.meanAbsoluteError) : "-").padStart(11)}`);
  }
  const calibration = b.rankers.find((r) => r.name === chosen.kind)?.calibration ?? [];
  if (calibration.length > 0) {
    out.push(`  holdout purchases per customer by repeat purchases before it (x, customers, actual, forecast):`);
    for (const row of calibration) {
      out.push(`    ${(row.x === 7 ? "7+" : String(row.x)).padEnd(4)}${String(row.customers).padStart(8)}${row.actual.toFixed(4).padStart(10)}${row.predicted.toFixed(4).padStart(10)}`);
    }
  }
  out.push("");
  return out;
}
