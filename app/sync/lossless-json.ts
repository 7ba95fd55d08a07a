// Shopify's REST payloads carry numeric ids that can exceed 2^53; JSON.parse would
// round them. Node 22+ gives the reviver the source text, so unsafe integers are
// kept as their exact digits (a string).
type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepBigIntegers: Reviver = (_key, value, context) =>
  typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
    ? context.source
    : value;

export function parseLosslessJson(text: string): unknown {
  return JSON.parse(text, keepBigIntegers as Parameters<typeof JSON.parse>[1]);
}
