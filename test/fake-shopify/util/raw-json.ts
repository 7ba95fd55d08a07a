/** A number written into JSON text digit for digit: ids above 2^53 must not be rounded. */
export class RawNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+(\.\d+)?$/.test(digits)) throw new Error(`Not a JSON number: ${digits}`);
  }
}

export const rawId = (id: string): RawNumber => new RawNumber(id);
export const rawIdOrNull = (id: string | null | undefined): RawNumber | null => (id ? new RawNumber(id) : null);

export type RawJson = null | boolean | number | string | RawNumber | RawJson[] | { [key: string]: RawJson | undefined };

export function stringifyRaw(value: RawJson): string {
  if (value instanceof RawNumber) return value.digits;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyRaw).join(",")}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyRaw(item)}`);
  }
  return `{${parts.join(",")}}`;
}
