import type { Group } from "../scoring/types";

export const GROUP_LABELS: Record<Group, string> = {
  valued: "Valued",
  volume: "Volume",
  rising: "Rising",
  at_risk: "At risk",
  new: "New",
  occasional: "Occasional",
};
