/** Money is plain floating-point here: these are statistics, storage keeps decimals. */
export interface OrderLine {
  quantity: number;
  /** Original unit price before discounts. */
  unitPrice: number;
  /** Unit price after line discounts, when the source gives it instead of an allocation. */
  discountedUnitPrice?: number;
  compareAtPrice: number | null;
  /** Unit cost at the time of the order; null when unknown. */
  unitCost: number | null;
  /** Total discount allocated to the line (all units). */
  discountAllocated: number;
}

export interface OrderSummary {
  id: string;
  processedAt: Date;
  cancelled: boolean;
  lines: OrderLine[];
  discountCodes: string[];
  hasAutomaticDiscount: boolean;
  /** Order-level total discount; may exceed the line allocations (e.g. unallocated order discounts). */
  totalDiscounts: number;
  refunded: number;
  returnedQuantity?: number;
}

export interface CustomerHistory {
  customerId: string;
  createdAt: Date;
  acceptsMarketing: boolean;
  orders: OrderSummary[];
}

export const GROUPS = ["valued", "volume", "rising", "at_risk", "new", "occasional"] as const;
export type Group = (typeof GROUPS)[number];
