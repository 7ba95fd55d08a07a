import { describe, expect, it } from "vitest";
import { generateStore, streamStore } from "./generate";
import { smallStore, storeHash } from "./fixtures";

describe("store generator determinism", () => {
  it("builds a byte-identical store from the same seed and options", () => {
    expect(storeHash(smallStore({ seed: 7 }))).toBe(storeHash(smallStore({ seed: 7 })));
  });

  it("builds a different store from a different seed", () => {
    expect(storeHash(smallStore({ seed: 7 }))).not.toBe(storeHash(smallStore({ seed: 8 })));
  });

  it("streams exactly the orders that generateStore returns, on every pass", () => {
    const options = { seed: 11, shopDomain: "stream.myshopify.com", customers: 200 };
    const stream = streamStore(options);
    const first = [...stream.orders()];
    const second = [...stream.orders()];
    expect(first).toHaveLength(stream.orderCount);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(generateStore(options).orders)).toBe(JSON.stringify(first));
  });

  it("never consults Math.random", () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error("Math.random used");
    };
    try {
      expect(() => smallStore({ customers: 50 })).not.toThrow();
    } finally {
      Math.random = original;
    }
  });
});
