import type { AdminContext } from "../context";
import { nowIso } from "../context";

// Shopify documents a size cap on trigger payloads; 50 KB is the best-supported figure (unverified).
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

export function flowTriggerReceive(args: { handle?: string | null; payload?: unknown }, ctx: AdminContext) {
  const handle = args.handle?.trim() ?? "";
  if (!handle) return { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] };
  const handles = ctx.services.flowTriggerHandles;
  if (handles && !handles.has(handle)) return { userErrors: [{ field: ["handle"], message: `Invalid handle '${handle}'.` }] };
  const payload = args.payload ?? {};
  if (typeof payload !== "object" || Array.isArray(payload)) return { userErrors: [{ field: ["payload"], message: "Payload must be a JSON object." }] };
  const payloadBytes = Buffer.byteLength(JSON.stringify(payload), "utf8");
  if (payloadBytes > FLOW_PAYLOAD_LIMIT_BYTES) {
    return { userErrors: [{ field: ["payload"], message: `Errors validating schema:\n  Properties size exceeds the limit of ${FLOW_PAYLOAD_LIMIT_BYTES} bytes.` }] };
  }
  ctx.store.flowTriggers.push({ handle, payload, receivedAt: nowIso(ctx), payloadBytes });
  return { userErrors: [] };
}
