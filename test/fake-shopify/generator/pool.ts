import type { Rng } from "./rng";

/** Items drawn by weight in O(log n), for the hot path of basket building. */
export class WeightedPool<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(items: readonly T[], weightOf: (item: T, index: number) => number) {
    this.items = items;
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      total += weightOf(item, i);
      this.cumulative[i] = total;
    });
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: Rng): T {
    const total = this.cumulative[this.cumulative.length - 1];
    const target = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}
