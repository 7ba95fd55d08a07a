import type { z } from "zod";
import { msg, type Message } from "../i18n/message";

// Why a settings value was refused, as a message in the merchant's language. The schemas'
// own texts ("must be below valuedEnter") name code, not what the merchant sees: the words
// come from the issue's kind and bounds, and the rules across fields from where they point.

const CROSS_FIELD: Record<string, string> = {
  valueWeights: "settings.errors.oneWeight",
  volumeWeights: "settings.errors.oneWeight",
  "thresholds.risingEnter": "settings.errors.risingBelowValued",
  "thresholds.lostPAlive": "settings.errors.lostBelowAtRisk",
  "vip.value": "settings.errors.percentAtMost100",
};

const bound = (n: number | bigint) => Number(n);

/** The message for one zod issue of the settings or scoring schema; `path` is relative to the scoring config for rules across fields. */
export function issueMessage(issue: z.core.$ZodIssue): Message {
  switch (issue.code) {
    case "custom":
      return msg(CROSS_FIELD[issue.path.join(".")] ?? "settings.errors.invalid");
    case "too_small":
      if (issue.origin === "string") return msg("settings.errors.tooShort", { count: bound(issue.minimum) });
      return msg(issue.inclusive === false ? "settings.errors.moreThan" : "settings.errors.atLeast", { min: bound(issue.minimum) });
    case "too_big":
      if (issue.origin === "string") return msg("settings.errors.tooLong", { count: bound(issue.maximum) });
      return msg(issue.inclusive === false ? "settings.errors.lessThan" : "settings.errors.atMost", { max: bound(issue.maximum) });
    case "invalid_type":
      return msg(issue.expected === "int" ? "settings.errors.wholeNumber" : issue.expected === "number" ? "settings.errors.number" : "settings.errors.invalid");
    case "invalid_value":
      return msg("settings.errors.choice");
    case "invalid_format":
      return msg(issue.path.at(-1) === "tagPrefix" ? "settings.errors.tagPrefix" : "settings.errors.invalid");
    default:
      return msg("settings.errors.invalid");
  }
}
