import { createHash } from "node:crypto";

// Hold-out assignment: a hash of campaign and customer, so the same customer lands
// in the same arm on every computation and no assignment table is needed to redo it.

export type Arm = "treatment" | "control";

export const MAX_CONTROL_SHARE = 0.5;

/** A uniform number in [0, 1) from the campaign and customer ids. */
export function assignmentPoint(campaignId: string, customerId: string): number {
  const digest = createHash("sha256").update(`${campaignId}:${customerId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function assignArm(campaignId: string, customerId: string, controlShare: number): Arm {
  if (controlShare <= 0) return "treatment";
  return assignmentPoint(campaignId, customerId) < Math.min(controlShare, MAX_CONTROL_SHARE) ? "control" : "treatment";
}

export function splitAudience<T extends { customerId: string }>(campaignId: string, customers: readonly T[], controlShare: number) {
  const treatment: T[] = [];
  const control: T[] = [];
  for (const c of customers) (assignArm(campaignId, c.customerId, controlShare) === "control" ? control : treatment).push(c);
  return { treatment, control };
}
