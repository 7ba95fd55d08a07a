import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { Kind, type FieldNode } from "graphql";
import type { AdminContext } from "../admin/context";
import { executeUnmetered } from "../admin/execute";
import { customerList, orderList, productList } from "../admin/lists";
import type { BulkOperationRecord } from "../store/records";
import type { BulkQueryPlan, NestedConnection } from "./validate";

export const BULK_PAGE_SIZE = 250;

export class BulkRunError extends Error {
  constructor(
    message: string,
    readonly code: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR",
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function literalArgs(field: FieldNode): { query?: string; sortKey?: string; reverse?: boolean } {
  const out: { query?: string; sortKey?: string; reverse?: boolean } = {};
  for (const arg of field.arguments ?? []) {
    const v = arg.value;
    if (arg.name.value === "query" && v.kind === Kind.STRING) out.query = v.value;
    if (arg.name.value === "sortKey" && v.kind === Kind.ENUM) out.sortKey = v.value;
    if (arg.name.value === "reverse" && v.kind === Kind.BOOLEAN) out.reverse = v.value;
  }
  return out;
}

function rootItems(ctx: AdminContext, plan: BulkQueryPlan): readonly { id: string }[] {
  const args = literalArgs(plan.rootArgs);
  let list: readonly { id: string }[];
  switch (plan.rootField) {
    case "customers":
      list = customerList(ctx, args).list;
      break;
    case "orders":
      list = orderList(ctx, args).list;
      break;
    case "products":
      list = productList(ctx, args).list;
      break;
    default:
      list = [...ctx.store.segments];
  }
  return args.reverse ? [...list].reverse() : list;
}

function connectionNodes(value: unknown): Json[] {
  if (!value || typeof value !== "object") return [];
  return ((value as { edges?: { node: Json }[] }).edges ?? []).map((e) => e.node);
}

function detach(node: Json, path: string[]): unknown {
  let holder: unknown = node;
  for (const key of path.slice(0, -1)) {
    if (!holder || typeof holder !== "object") return undefined;
    holder = (holder as Json)[key];
  }
  if (!holder || typeof holder !== "object") return undefined;
  const last = path[path.length - 1];
  const value = (holder as Json)[last];
  delete (holder as Json)[last];
  return value;
}

/** One object per line; children of nested connections follow their parent with `__parentId`. */
function flatten(node: Json, nested: NestedConnection[], parentId: string | null, lines: string[]): number {
  const children = nested.map((n) => ({ spec: n, value: detach(node, n.path) }));
  lines.push(JSON.stringify(parentId === null ? node : { ...node, __parentId: parentId }));
  let count = 1;
  const id = typeof node.id === "string" ? node.id : null;
  for (const { spec, value } of children) {
    for (const child of connectionNodes(value)) count += flatten(child, spec.children, id, lines);
  }
  return count;
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, "drain");
}

/** Pages over the root list, executing the query per page and streaming JSONL to `filePath`. */
export async function runBulkQuery(ctx: AdminContext, plan: BulkQueryPlan, op: BulkOperationRecord, filePath: string): Promise<void> {
  const items = rootItems(ctx, plan);
  const stream = createWriteStream(filePath, { encoding: "utf8" });
  try {
    for (let offset = 0; offset < items.length; offset += BULK_PAGE_SIZE) {
      if (op.cancelRequested) break;
      const pageCtx: AdminContext = { ...ctx, bulkRoot: { field: plan.rootField, items: items.slice(offset, offset + BULK_PAGE_SIZE) } };
      const result = await executeUnmetered(pageCtx, plan.document, {});
      if (result.errors?.length) throw new BulkRunError(result.errors[0].message, result.errors[0].extensions?.code === "ACCESS_DENIED" ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR");
      const lines: string[] = [];
      for (const node of connectionNodes((result.data as Json)[plan.rootKey])) {
        op.objectCount += flatten(node, plan.nested, null, lines);
        op.rootObjectCount++;
      }
      if (lines.length > 0) await write(stream, `${lines.join("\n")}\n`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    stream.end();
    await once(stream, "close");
  }
}
