// Campaign results: what the code brought in, and whether the campaign changed
// behaviour (treatment against the held-out control over the campaign window).

import { msg, type Message } from "../i18n/message";

export interface ArmStats {
  customers: number;
  /** Customers with at least one order in the window. */
  converted: number;
  revenue: number;
}

export interface RedemptionStats {
  redemptions: number;
  customers: number;
  revenue: number;
  discounts: number;
  margin: number;
}

export type UpliftState = "no_control" | "not_started" | "not_enough_data" | "measured";

export interface Uplift {
  state: UpliftState;
  /** Why the uplift is not shown (keys under `campaigns.uplift.`). */
  note: Message | null;
  treatment: ArmSummary;
  control: ArmSummary;
  /** Percentage points of conversion, treatment minus control. */
  conversionUplift: number | null;
  /** Relative to the control's conversion; null when the control converted nobody. */
  relativeConversionUplift: number | null;
  revenuePerCustomerUplift: number | null;
  /** Revenue per customer uplift × treated customers. */
  incrementalRevenue: number | null;
  /** Two-proportion z statistic for conversion. */
  z: number | null;
  significant: boolean;
}

export interface ArmSummary extends ArmStats {
  conversion: number | null;
  revenuePerCustomer: number | null;
}

export const MIN_CUSTOMERS_PER_ARM = 30;
export const MIN_CONVERSIONS = 10;
const Z_95 = 1.96;

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

function summarize(arm: ArmStats): ArmSummary {
  return {
    ...arm,
    revenue: round(arm.revenue, 2),
    conversion: arm.customers > 0 ? round(arm.converted / arm.customers, 4) : null,
    revenuePerCustomer: arm.customers > 0 ? round(arm.revenue / arm.customers, 2) : null,
  };
}

export function computeUplift(treatment: ArmStats, control: ArmStats, window: { startsAt: Date; now: Date }): Uplift {
  const base = {
    treatment: summarize(treatment),
    control: summarize(control),
    conversionUplift: null,
    relativeConversionUplift: null,
    revenuePerCustomerUplift: null,
    incrementalRevenue: null,
    z: null,
    significant: false,
  };
  if (control.customers === 0) return { ...base, state: "no_control", note: msg("campaigns.uplift.noControl") };
  if (window.now < window.startsAt) return { ...base, state: "not_started", note: msg("campaigns.uplift.notStarted") };
  if (treatment.customers < MIN_CUSTOMERS_PER_ARM || control.customers < MIN_CUSTOMERS_PER_ARM) {
    return { ...base, state: "not_enough_data", note: msg("campaigns.uplift.tooFewCustomers", { needed: MIN_CUSTOMERS_PER_ARM }) };
  }
  if (treatment.converted + control.converted < MIN_CONVERSIONS) {
    return { ...base, state: "not_enough_data", note: msg("campaigns.uplift.tooFewConversions", { needed: MIN_CONVERSIONS }) };
  }
  const pt = treatment.converted / treatment.customers;
  const pc = control.converted / control.customers;
  const pooled = (treatment.converted + control.converted) / (treatment.customers + control.customers);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.customers + 1 / control.customers));
  const z = se > 0 ? (pt - pc) / se : null;
  const rpcUplift = treatment.revenue / treatment.customers - control.revenue / control.customers;
  return {
    ...base,
    state: "measured",
    note: null,
    conversionUplift: round((pt - pc) * 100, 2),
    relativeConversionUplift: pc > 0 ? round((pt - pc) / pc, 4) : null,
    revenuePerCustomerUplift: round(rpcUplift, 2),
    incrementalRevenue: round(rpcUplift * treatment.customers, 2),
    z: z === null ? null : round(z, 3),
    significant: z !== null && Math.abs(z) >= Z_95,
  };
}
