// Order, line item and refund ids start above 2^53 so every consumer has to keep
// them as strings; a JS number would silently round them.
export const ID_BASE = {
  order: 9_007_199_254_741_000n,
  lineItem: 9_107_199_254_741_000n,
  refund: 9_207_199_254_741_000n,
  refundLineItem: 9_307_199_254_741_000n,
  transaction: 9_407_199_254_741_000n,
  customer: 7_000_000_000_000n,
  product: 8_100_000_000_000n,
  variant: 44_100_000_000_000n,
  inventoryItem: 46_100_000_000_000n,
  shop: 61_000_000_000n,
} as const;

export const FIRST_ORDER_NUMBER = 1001;

export class IdSequence {
  private nextValue: bigint;

  constructor(base: bigint) {
    this.nextValue = base;
  }

  next(): string {
    const id = this.nextValue.toString();
    this.nextValue += 1n;
    return id;
  }
}
