import type { CustomerHistory, OrderLine, OrderSummary } from "./types";

const DAY_MS = 86_400_000;

export const AS_OF = new Date("2025-06-30T12:00:00Z");

export function daysBefore(asOf: Date, days: number): Date {
  return new Date(asOf.getTime() - days * DAY_MS);
}

export function line(overrides: Partial<OrderLine> = {}): OrderLine {
  return { quantity: 1, unitPrice: 100, compareAtPrice: null, unitCost: 40, discountAllocated: 0, ...overrides };
}

let orderSeq = 0;

export function order(daysAgo: number, overrides: Partial<OrderSummary> = {}, asOf: Date = AS_OF): OrderSummary {
  orderSeq++;
  return {
    id: `o${orderSeq}`,
    processedAt: daysBefore(asOf, daysAgo),
    cancelled: false,
    lines: [line()],
    discountCodes: [],
    hasAutomaticDiscount: false,
    totalDiscounts: 0,
    refunded: 0,
    ...overrides,
  };
}

export function customer(
  customerId: string,
  orders: OrderSummary[],
  overrides: Partial<Omit<CustomerHistory, "orders">> = {},
): CustomerHistory {
  const firstOrder = orders.reduce((m, o) => Math.min(m, o.processedAt.getTime()), AS_OF.getTime());
  return { customerId, createdAt: new Date(firstOrder), acceptsMarketing: false, orders, ...overrides };
}

/** A discount-code order: 20% off via a code, allocated to its line. */
export function codeOrder(daysAgo: number, unitPrice = 100, unitCost = 70): OrderSummary {
  const discount = unitPrice * 0.2;
  return order(daysAgo, {
    lines: [line({ unitPrice, unitCost, discountAllocated: discount })],
    discountCodes: ["SAVE20"],
    totalDiscounts: discount,
  });
}

export type Archetype = "valued" | "volume" | "at_risk" | "rising" | "new" | "occasional";

/** A customer shaped like an archetype; `k` varies it slightly so a shop of them is not degenerate. */
export function archetype(kind: Archetype, k: number, asOf: Date = AS_OF): CustomerHistory {
  const id = `${kind}-${k}`;
  const at = (daysAgo: number, o: Partial<OrderSummary> = {}) => order(daysAgo, o, asOf);
  const fullPrice = (daysAgo: number) => at(daysAgo, { lines: [line({ unitPrice: 120 + k, unitCost: 45 })] });
  switch (kind) {
    case "valued":
      return customer(id, [400, 330, 260, 190, 120, 50, 12 + (k % 5)].map(fullPrice), { acceptsMarketing: true });
    case "at_risk":
      return customer(id, [420, 390, 360, 330, 300, 270, 240, 210, 180, 150, 120 - (k % 5)].map(fullPrice), {
        acceptsMarketing: true,
      });
    case "volume":
      return customer(
        id,
        Array.from({ length: 12 }, (_, i) =>
          at(5 + (k % 4) + i * 28, {
            lines: [line({ unitPrice: 40, unitCost: 30, discountAllocated: 8 })],
            discountCodes: ["SAVE20"],
            totalDiscounts: 8,
          }),
        ),
      );
    case "rising":
      return customer(id, [
        at(200 + k, {
          lines: [line({ unitPrice: 100, unitCost: 40, discountAllocated: 20 })],
          discountCodes: ["WELCOME"],
          totalDiscounts: 20,
        }),
        at(40, { lines: [line({ unitPrice: 100, unitCost: 60 })] }),
        at(8 + (k % 3), { lines: [line({ unitPrice: 100, unitCost: 60 })] }),
      ]);
    case "new":
      return customer(id, [fullPrice(5 + (k % 10))]);
    case "occasional":
      return customer(id, [
        at(500 + k, { lines: [line({ unitPrice: 60, unitCost: 40 })] }),
      ]);
  }
}

export function archetypeShop(perKind: number, asOf: Date = AS_OF): CustomerHistory[] {
  const kinds: Archetype[] = ["valued", "volume", "at_risk", "rising", "new", "occasional"];
  return kinds.flatMap((kind) => Array.from({ length: perKind }, (_, k) => archetype(kind, k, asOf)));
}

/** mulberry32: small, fast and deterministic; enough for test and benchmark data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, rate) by Marsaglia & Tsang, with the shape < 1 boost. */
export function sampleGamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return sampleGamma(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = random() || 1e-300;
      const u2 = random();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u || 1e-300) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v / rate;
  }
}

export function sampleBeta(random: () => number, a: number, b: number): number {
  const x = sampleGamma(random, a, 1);
  return x / (x + sampleGamma(random, b, 1));
}

export interface SimulatedCustomer {
  /** Purchase days counted back from asOf (largest first). */
  purchaseDaysAgo: number[];
}

/**
 * Purchase days drawn from the BG/NBD story (rates in purchases per week): λ ~ Gamma(r, α),
 * dropout p ~ Beta(a, b), first purchase uniform over `acquisitionDays` before asOf.
 */
export function simulateBgNbd(
  random: () => number,
  params: { r: number; alpha: number; a: number; b: number },
  acquisitionDays: number,
): SimulatedCustomer {
  const lambda = sampleGamma(random, params.r, params.alpha) / 7;
  const p = sampleBeta(random, params.a, params.b);
  const first = 1 + Math.floor(random() * acquisitionDays);
  const days = [first];
  let t = first;
  // BG/NBD drops customers out only after a repeat purchase, never right after the first.
  for (;;) {
    t -= -Math.log(random() || 1e-300) / lambda;
    if (t < 0) break;
    const day = Math.ceil(t);
    if (day !== days[days.length - 1]) days.push(day);
    if (random() < p) break;
  }
  return { purchaseDaysAgo: days };
}

/** A shop of simulated customers with mixed discount habits and margins, fully deterministic per seed. */
export function simulatedShop(seed: number, customers: number, asOf: Date = AS_OF): CustomerHistory[] {
  const random = seededRandom(seed);
  const params = { r: 0.6, alpha: 8, a: 0.8, b: 2.5 };
  return Array.from({ length: customers }, (_, i) => {
    const sim = simulateBgNbd(random, params, 540);
    const spend = sampleGamma(random, 4, 4 / 60);
    const discountProne = random() < 0.3;
    const costRate = 0.35 + random() * 0.4;
    const orders = sim.purchaseDaysAgo.map((d) => {
      const price = Math.round(spend * (0.7 + random() * 0.6) * 100) / 100;
      const discounted = discountProne ? random() < 0.8 : random() < 0.1;
      const discount = discounted ? Math.round(price * 0.2 * 100) / 100 : 0;
      return order(
        d,
        {
          lines: [line({ unitPrice: price, unitCost: Math.round(price * costRate * 100) / 100, discountAllocated: discount })],
          discountCodes: discounted ? ["SALE"] : [],
          totalDiscounts: discount,
          refunded: random() < 0.03 ? price - discount : 0,
        },
        asOf,
      );
    });
    return customer(`sim-${i}`, orders, { acceptsMarketing: random() < 0.5 });
  });
}
