import type { RankerResult } from "./backtest";
import type { PurchaseModel, Ranking } from "./model";

export type ChoiceKind = "bgnbd" | "pareto_nbd" | "blend" | "past_spend";

export type ChoiceReason =
  /** The candidate whose top 20% held the most holdout revenue. */
  | "best"
  /** A simpler candidate within the tolerance of the best: a difference that small is noise. */
  | "simplest_close_to_best"
  /** Every model ranked below past spend on this shop's holdout. */
  | "models_below_past_spend"
  | "insufficient_history"
  | "not_measured";

export interface ModelChoice {
  kind: ChoiceKind;
  ranking: Ranking;
  reason: ChoiceReason;
  /** The chosen ranking's and past spend's top-20% share of holdout revenue; null when not measured. */
  topShare: number | null;
  pastSpendTopShare: number | null;
}

/** Two rankings closer than this (share of holdout revenue) count as equally good. */
export const CHOICE_TOLERANCE = 0.005;
const PREFERENCE: readonly RankerResult["name"][] = ["bgnbd", "pareto_nbd", "blend"];

/**
 * Picks the ranking behind CLV, the value score and the labels from the backtest's candidates. Only
 * candidates at least as good as past spend are eligible; among those, the simplest (BG/NBD, then
 * Pareto/NBD, then the blend) within CHOICE_TOLERANCE of the best wins. When none is eligible the
 * shop is ranked by past spend. A blend whose fitted weight is 0 is past spend, and one whose weight
 * is 1 is its model.
 */
export function chooseRanking(candidates: readonly RankerResult[], pastSpend: RankerResult): ModelChoice {
  const eligible = candidates.filter(
    (c) => c.topShare >= pastSpend.topShare && !(c.name === "blend" && (c.modelWeight === 0 || c.modelWeight === 1)),
  );
  const common = { pastSpendTopShare: pastSpend.topShare };
  if (eligible.length === 0) {
    return { kind: "past_spend", ranking: { purchaseModel: "bgnbd", modelWeight: 0 }, reason: "models_below_past_spend", topShare: pastSpend.topShare, ...common };
  }
  const best = Math.max(...eligible.map((c) => c.topShare));
  const ordered = [...eligible].sort((a, b) => PREFERENCE.indexOf(a.name) - PREFERENCE.indexOf(b.name));
  const chosen = ordered.find((c) => c.topShare >= best - CHOICE_TOLERANCE)!;
  const reason: ChoiceReason = chosen.topShare === best ? "best" : "simplest_close_to_best";
  if (chosen.name === "blend") {
    const purchaseModel: PurchaseModel = chosen.blends ?? "bgnbd";
    return { kind: "blend", ranking: { purchaseModel, modelWeight: chosen.modelWeight ?? 1 }, reason, topShare: chosen.topShare, ...common };
  }
  const purchaseModel = chosen.name as PurchaseModel;
  return { kind: purchaseModel, ranking: { purchaseModel, modelWeight: 1 }, reason, topShare: chosen.topShare, ...common };
}
