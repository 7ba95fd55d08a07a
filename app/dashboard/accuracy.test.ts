import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { describe, expect, it } from "vitest";
import type { BacktestReport } from "../scoring";
import { accuracyView } from "./accuracy";

const calibration = [
  { x: 0, customers: 900, actual: 0.2, predicted: 0.22 },
  { x: 7, customers: 40, actual: 6.1, predicted: 5.8 },
];
const measured = (choice: Extract<BacktestReport, { status: "measured" }>["choice"]): BacktestReport => ({
  status: "measured",
  asOf: "2026-11-30T05:00:00.000Z",
  cutoff: "2026-06-01T23:59:59.999Z",
  holdoutWeeks: 26,
  historyWeeks: 80,
  customers: 1200,
  holdoutBuyers: 300,
  holdoutRevenue: 50_000,
  rankers: [
    { name: "bgnbd", topShare: 0.684, spend: { meanAbsoluteError: 31.5, totalPredicted: 48_000, totalActual: 50_000 }, calibration, fitted: true },
    { name: "blend", topShare: 0.702, spend: { meanAbsoluteError: 30.1, totalPredicted: 48_000, totalActual: 50_000 }, calibration, modelWeight: 0.6, blends: "bgnbd" },
    { name: "past_spend", topShare: 0.661, spend: { meanAbsoluteError: 40.2, totalPredicted: 55_000, totalActual: 50_000 }, calibration },
    { name: "order_count", topShare: 0.62, spend: null, calibration },
    { name: "rfm", topShare: 0.65, spend: null, calibration: null },
  ],
  choice,
});

const en = (m: Message) => translate("en", m);

describe("accuracy in plain words", () => {
  it("says how much revenue Patron's top 20% held against total spend's, and which model ranks", () => {
    const view = accuracyView(
      measured({ kind: "bgnbd", ranking: { purchaseModel: "bgnbd", modelWeight: 1 }, reason: "best", topShare: 0.684, pastSpendTopShare: 0.661 }),
      "2026-11-30T05:01:00.000Z",
    );
    expect(view.state).toBe("measured");
    if (view.state !== "measured") return;
    expect(en(view.headline)).toBe("On your last 26 weeks, the top 20% of customers by Patron held 68.4% of revenue; by total spend, 66.1%.");
    expect(en(view.model)).toBe("BG/NBD × Gamma-Gamma");
    expect(en(view.why)).toMatch(/up to Jun 1, 2026 .* next 26 weeks' revenue .* did best on your store/);
    expect(view.rankers.filter((r) => r.chosen).map((r) => r.name)).toEqual(["bgnbd"]);
    expect(view.calibration.map((r) => r.label)).toEqual(["0", "7+"]);
  });

  it("explains a blend by its weights and past spend as the honest fallback", () => {
    const blend = accuracyView(
      measured({ kind: "blend", ranking: { purchaseModel: "bgnbd", modelWeight: 0.6 }, reason: "best", topShare: 0.702, pastSpendTopShare: 0.661 }),
      "2026-11-30T05:01:00.000Z",
    );
    expect(blend.state === "measured" && en(blend.why)).toMatch(/60% Patron's forecast and 40% past spend/);
    const spend = accuracyView(
      measured({ kind: "past_spend", ranking: { purchaseModel: "bgnbd", modelWeight: 0 }, reason: "models_below_past_spend", topShare: 0.661, pastSpendTopShare: 0.661 }),
      "2026-11-30T05:01:00.000Z",
    );
    expect(spend.state === "measured" && en(spend.why)).toMatch(/did better than Patron's models, so Patron ranks by past spend/);
  });

  it("says there is not enough history yet, with what was needed", () => {
    const view = accuracyView(
      {
        status: "insufficient",
        asOf: "2026-11-30T05:00:00.000Z",
        reason: "history_too_short",
        historyWeeks: 9.4,
        needed: 16,
        found: 9.4,
        choice: { kind: "bgnbd", ranking: { purchaseModel: "bgnbd", modelWeight: 1 }, reason: "insufficient_history", topShare: null, pastSpendTopShare: null },
      },
      "2026-11-30T05:01:00.000Z",
    );
    expect(view).toMatchObject({ state: "insufficient", measuredAt: "2026-11-30T05:01:00.000Z" });
    expect(view.state === "insufficient" && en(view.message)).toMatch(/^Not enough history yet to measure accuracy: Patron needs at least 16 weeks of orders and your store has 9\./);
    expect(accuracyView(null, null)).toEqual({ state: "none" });
  });
});
