import type { BacktestReport, CalibrationRow, ChoiceKind, RankerName, RankerResult } from "../scoring";

// Pure shaping of a scoring run's backtest into what the merchant reads: plain words, a table
// and the calibration chart's rows. Shares are 0–1; money stays a number in the shop's currency.

export const RANKER_LABELS: Record<RankerName, string> = {
  bgnbd: "Patron (BG/NBD × Gamma-Gamma)",
  pareto_nbd: "Patron (Pareto/NBD × Gamma-Gamma)",
  blend: "Patron blended with past spend",
  past_spend: "Total spend so far",
  order_count: "Number of orders",
  rfm: "RFM score",
};

const CHOICE_LABELS: Record<ChoiceKind, string> = {
  bgnbd: "BG/NBD × Gamma-Gamma",
  pareto_nbd: "Pareto/NBD × Gamma-Gamma",
  blend: "a blend of Patron's forecast and past spend",
  past_spend: "past spend",
};

export interface AccuracyRanker {
  name: RankerName;
  label: string;
  topShare: number;
  /** Mean absolute error of each customer's forecast holdout spend; null when the ranking forecasts none. */
  spendError: number | null;
  chosen: boolean;
}

export type Accuracy =
  | {
      state: "measured";
      measuredAt: string;
      holdoutWeeks: number;
      /** Last day of the history the models were fitted on (ISO date). */
      calibrationEnd: string;
      customers: number;
      patronShare: number;
      pastSpendShare: number;
      headline: string;
      model: string;
      why: string;
      rankers: AccuracyRanker[];
      /** The chosen ranking's forecast against what happened, by repeat purchases before the holdout. */
      calibration: (CalibrationRow & { label: string })[];
    }
  | { state: "insufficient"; measuredAt: string; message: string }
  | { state: "none" };

const pct = (share: number) => `${(100 * share).toFixed(1)}%`;

/** `backtest` as stored with a scoring run (ModelFit.backtest); null for runs from before backtests. */
export function accuracyView(backtest: BacktestReport | null, measuredAt: string | null): Accuracy {
  if (!backtest || !measuredAt) return { state: "none" };
  if (backtest.status === "insufficient") {
    return { state: "insufficient", measuredAt, message: insufficientMessage(backtest) };
  }
  const { choice } = backtest;
  const chosenName: RankerName = choice.kind;
  const chosen = backtest.rankers.find((r) => r.name === chosenName);
  const pastSpend = backtest.rankers.find((r) => r.name === "past_spend");
  const patronShare = choice.topShare ?? chosen?.topShare ?? 0;
  const pastSpendShare = choice.pastSpendTopShare ?? pastSpend?.topShare ?? 0;
  return {
    state: "measured",
    measuredAt,
    holdoutWeeks: backtest.holdoutWeeks,
    calibrationEnd: backtest.cutoff.slice(0, 10),
    customers: backtest.customers,
    patronShare,
    pastSpendShare,
    headline:
      `On your last ${backtest.holdoutWeeks} weeks, the top 20% of customers by Patron held ${pct(patronShare)} of revenue; ` +
      `by total spend, ${pct(pastSpendShare)}.`,
    model: CHOICE_LABELS[choice.kind],
    why: whyChosen(backtest, chosen),
    rankers: backtest.rankers.map((r) => ({
      name: r.name,
      label: RANKER_LABELS[r.name],
      topShare: r.topShare,
      spendError: r.spend?.meanAbsoluteError ?? null,
      chosen: r.name === chosenName,
    })),
    calibration: (chosen?.calibration ?? []).map((row) => ({ ...row, label: row.x === 7 ? "7+" : String(row.x) })),
  };
}

function whyChosen(backtest: Extract<BacktestReport, { status: "measured" }>, chosen: RankerResult | undefined): string {
  const { choice } = backtest;
  const how = `Patron fitted each model on your orders up to ${backtest.cutoff.slice(0, 10)} and checked which ranking put the most of the next ${backtest.holdoutWeeks} weeks' revenue in its top 20%.`;
  switch (choice.kind) {
    case "past_spend":
      return `${how} On your store, ranking by what customers have spent so far did better than Patron's models, so Patron ranks by past spend for now and checks again at every full rescore.`;
    case "blend": {
      const weight = Math.round(100 * (chosen?.modelWeight ?? choice.ranking.modelWeight));
      return `${how} A mix of ${weight}% Patron's forecast and ${100 - weight}% past spend did best on your store, so that mix ranks your customers.`;
    }
    default:
      return choice.reason === "simplest_close_to_best"
        ? `${how} ${CHOICE_LABELS[choice.kind]} came within half a point of the best and is the simpler model, so Patron uses it.`
        : `${how} ${CHOICE_LABELS[choice.kind]} did best on your store, so Patron uses it.`;
  }
}

function insufficientMessage(backtest: Extract<BacktestReport, { status: "insufficient" }>): string {
  const weeks = Math.floor(backtest.historyWeeks);
  const tail = "Until then, scores and labels come from Patron's standard model (or, for a very young store, its starting assumptions).";
  switch (backtest.reason) {
    case "history_too_short":
      return `Not enough history yet to measure accuracy: Patron needs at least ${backtest.needed} weeks of orders and your store has ${weeks}. ${tail}`;
    case "too_few_customers":
      return `Not enough history yet to measure accuracy: Patron needs at least ${backtest.needed} customers who ordered before the period it checks, and found ${backtest.found}. ${tail}`;
    case "too_few_repeat_customers":
      return `Not enough history yet to measure accuracy: Patron needs at least ${backtest.needed} customers who ordered more than once before the period it checks, and found ${backtest.found}. ${tail}`;
    case "too_few_holdout_buyers":
      return `Not enough history yet to measure accuracy: Patron needs at least ${backtest.needed} of those customers to have ordered again in the period it checks, and found ${backtest.found}. ${tail}`;
  }
}
