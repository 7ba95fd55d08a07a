import { msg, type Message } from "../i18n/message";
import type { BacktestReport, CalibrationRow, ChoiceKind, RankerName, RankerResult } from "../scoring";

// Pure shaping of a scoring run's backtest into what the merchant reads: messages (keys under
// `accuracy.` in app/locales), a table and the calibration chart's rows. Shares are 0–1; money
// stays a number in the shop's currency.

const rankerLabel = (name: RankerName): Message => msg(`accuracy.rankers.${name}`);
const choiceLabel = (kind: ChoiceKind): Message => msg(`accuracy.choices.${kind}`);

export interface AccuracyRanker {
  name: RankerName;
  label: Message;
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
      headline: Message;
      model: Message;
      why: Message;
      rankers: AccuracyRanker[];
      /** The chosen ranking's forecast against what happened, by repeat purchases before the holdout. */
      calibration: (CalibrationRow & { label: string })[];
    }
  | { state: "insufficient"; measuredAt: string; message: Message }
  | { state: "none" };

const pct = (share: number) => ({ pct: Math.round(1000 * share) / 10, digits: 1 });

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
    headline: msg("accuracy.headline", { count: backtest.holdoutWeeks, patron: pct(patronShare), pastSpend: pct(pastSpendShare) }),
    model: choiceLabel(choice.kind),
    why: whyChosen(backtest, chosen),
    rankers: backtest.rankers.map((r) => ({
      name: r.name,
      label: rankerLabel(r.name),
      topShare: r.topShare,
      spendError: r.spend?.meanAbsoluteError ?? null,
      chosen: r.name === chosenName,
    })),
    calibration: (chosen?.calibration ?? []).map((row) => ({ ...row, label: row.x === 7 ? "7+" : String(row.x) })),
  };
}

function whyChosen(backtest: Extract<BacktestReport, { status: "measured" }>, chosen: RankerResult | undefined): Message {
  const { choice } = backtest;
  const how = msg("accuracy.why.how", { cutoff: { date: backtest.cutoff.slice(0, 10) }, count: backtest.holdoutWeeks });
  switch (choice.kind) {
    case "past_spend":
      return msg("accuracy.why.pastSpend", { how });
    case "blend": {
      const weight = Math.round(100 * (chosen?.modelWeight ?? choice.ranking.modelWeight));
      return msg("accuracy.why.blend", { how, model: { pct: weight }, spend: { pct: 100 - weight } });
    }
    default:
      return msg(choice.reason === "simplest_close_to_best" ? "accuracy.why.simplest" : "accuracy.why.best", { how, model: choiceLabel(choice.kind) });
  }
}

function insufficientMessage(backtest: Extract<BacktestReport, { status: "insufficient" }>): Message {
  const values = { needed: backtest.needed, found: Math.floor(backtest.found), weeks: Math.floor(backtest.historyWeeks) };
  return msg(`accuracy.insufficient.${backtest.reason}`, values);
}
