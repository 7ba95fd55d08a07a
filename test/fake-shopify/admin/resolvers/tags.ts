import type { AdminContext } from "../context";
import { nowIso } from "../context";
import { parseGid } from "../../util/ids";
import { nodeById } from "./query";
import { requireScope } from "../scopes";

const MAX_TAGS = 250;
const MAX_TAG_LENGTH = 255;

type Result = { node: object | null; userErrors: { field: string[]; message: string }[] };

/** Shopify splits each given string on commas, trims, and compares tags case-insensitively. */
export function normaliseTags(tags: readonly string[]): string[] {
  return tags.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t.length > 0);
}

function change(ctx: AdminContext, field: string, id: string, tags: readonly string[], apply: (current: string[], given: string[]) => string[] | string): Result {
  const parsed = parseGid(id);
  if (parsed?.type === "Customer" || parsed?.type === "Order") requireScope(ctx, field, parsed.type === "Customer" ? "write_customers" : "write_orders");
  const target =
    parsed?.type === "Customer" ? ctx.store.customersById.get(parsed.id) : parsed?.type === "Order" ? ctx.store.ordersById.get(parsed.id) : undefined;
  if (!parsed || !target || ("deletedAt" in target && target.deletedAt)) {
    return { node: null, userErrors: [{ field: ["id"], message: `${parsed?.type ?? "Resource"} does not exist` }] };
  }
  const given = normaliseTags(tags);
  const tooLong = given.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong) return { node: null, userErrors: [{ field: ["tags"], message: `Tag '${tooLong.slice(0, 20)}…' is too long (maximum is ${MAX_TAG_LENGTH} characters)` }] };
  const next = apply(target.tags, given);
  if (typeof next === "string") return { node: null, userErrors: [{ field: ["tags"], message: next }] };
  const changed = next.length !== target.tags.length || next.some((t, i) => t !== target.tags[i]);
  if (changed) {
    target.tags = next;
    target.updatedAt = nowIso(ctx);
    ctx.store.touch(parsed.type === "Customer" ? "customers" : "orders");
    if (parsed.type === "Customer") ctx.services.events.customerUpdated(ctx.store, parsed.id);
    else ctx.services.events.orderUpdated(ctx.store, parsed.id);
  }
  return { node: nodeById(ctx, id), userErrors: [] };
}

export function tagsAdd(args: { id: string; tags: string[] }, ctx: AdminContext): Result {
  return change(ctx, "tagsAdd", args.id, args.tags, (current, given) => {
    const seen = new Set(current.map((t) => t.toLowerCase()));
    const next = [...current];
    for (const tag of given) {
      if (!seen.has(tag.toLowerCase())) {
        seen.add(tag.toLowerCase());
        next.push(tag);
      }
    }
    return next.length > MAX_TAGS ? `Tags cannot be more than ${MAX_TAGS}` : next;
  });
}

export function tagsRemove(args: { id: string; tags: string[] }, ctx: AdminContext): Result {
  return change(ctx, "tagsRemove", args.id, args.tags, (current, given) => {
    const drop = new Set(given.map((t) => t.toLowerCase()));
    return current.filter((t) => !drop.has(t.toLowerCase()));
  });
}

