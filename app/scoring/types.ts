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
  /** Tax inside quantity × unitPrice − discountAllocated when prices include tax (0 or absent otherwise). */
  taxIncluded?: number;
  /** The product's type and vendor as the store names them; null or absent when unknown. */
  productType?: string | null;
  vendor?: string | null;
}

export interface OrderSummary {
  id: string;
  processedAt: Date;
  /** The shop-calendar day (scoring/days.ts) when the source knows it (the export's written date); else from processedAt. */
  day?: number;
  cancelled: boolean;
  lines: OrderLine[];
  discountCodes: string[];
  hasAutomaticDiscount: boolean;
  /** Order-level total discount; may exceed the line allocations (e.g. unallocated order discounts). */
  totalDiscounts: number;
  /** Product revenue refunded (goods ex tax, only where money went back). */
  refunded: number;
  returnedQuantity?: number;
  /** Shopify's order source (`sourceName`: "web", "pos", an app's id…); null or absent when unknown. */
  sourceName?: string | null;
}

export interface CustomerHistory {
  customerId: string;
  createdAt: Date;
  /** The shop-calendar day the customer was first seen, when the source knows it; else from createdAt. */
  createdDay?: number;
  acceptsMarketing: boolean;
  orders: OrderSummary[];
}

export const GROUPS = ["valued", "volume", "rising", "at_risk", "new", "occasional"] as const;
export type Group = (typeof GROUPS)[number];
