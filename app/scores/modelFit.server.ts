import type { Prisma } from "@prisma/client";
import type { ShopScores } from "../scoring";

/** The ModelFit row of one scoring run (reconstructed or not). */
export function modelFitData(shopId: number, scores: ShopScores, trigger: string, asOf: Date, durationMs: number, reconstructed: boolean) {
  return {
    shopId,
    version: scores.model.version,
    kind: scores.model.kind,
    params: JSON.parse(JSON.stringify(scores.model)) as Prisma.InputJsonValue,
    logLikelihood: Number.isFinite(scores.model.logLikelihood ?? NaN) ? scores.model.logLikelihood : null,
    customers: scores.customers.length,
    summary: JSON.parse(JSON.stringify(scores.store)) as Prisma.InputJsonValue,
    trigger,
    durationMs,
    asOf,
    reconstructed,
    backtest: scores.backtest ? (JSON.parse(JSON.stringify(scores.backtest)) as Prisma.InputJsonValue) : undefined,
  };
}
