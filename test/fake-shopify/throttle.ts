import type { Clock } from "./util/clock";
import type { Plan } from "./store/model";

// Bucket size and restore rate per plan (shopify.dev rate limits; the enterprise
// bucket size is unverified and follows the 20x-restore-rate pattern of the others).
export const PLAN_LIMITS: Record<Plan, { maximumAvailable: number; restoreRate: number }> = {
  standard: { maximumAvailable: 2_000, restoreRate: 100 },
  advanced: { maximumAvailable: 4_000, restoreRate: 200 },
  plus: { maximumAvailable: 20_000, restoreRate: 1_000 },
  enterprise: { maximumAvailable: 40_000, restoreRate: 2_000 },
};

export const MAX_SINGLE_QUERY_COST = 1_000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A leaky bucket that refills continuously with the clock, per app and shop. */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private readonly clock: Clock,
    private plan: Plan,
  ) {
    this.available = PLAN_LIMITS[plan].maximumAvailable;
    this.updatedAt = clock.now();
  }

  setPlan(plan: Plan): void {
    this.refill();
    this.plan = plan;
    this.available = Math.min(this.available, PLAN_LIMITS[plan].maximumAvailable);
  }

  status(): ThrottleStatus {
    this.refill();
    const limits = PLAN_LIMITS[this.plan];
    return { maximumAvailable: limits.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: limits.restoreRate };
  }

  /** Takes `cost` points if they are there; a request never leaves the bucket negative. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(PLAN_LIMITS[this.plan].maximumAvailable, this.available + Math.max(0, points));
  }

  drain(): void {
    this.refill();
    this.available = 0;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    const limits = PLAN_LIMITS[this.plan];
    this.available = Math.min(limits.maximumAvailable, this.available + elapsed * limits.restoreRate);
    this.updatedAt = now;
  }
}
