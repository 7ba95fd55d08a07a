import type { AdminContext } from "../context";
import type { BulkOperationRecord, BulkType } from "../../store/records";
import { gid, parseGid } from "../../util/ids";
import { paginate, type ConnectionArgs } from "../../util/connection";
import { matchesSearch, parseSearchQuery } from "../../util/search-query";
import { BulkValidationError } from "../../bulk/validate";

export const bulkOperationView = (op: BulkOperationRecord): object => ({
  __typename: "BulkOperation",
  id: gid("BulkOperation", op.id),
  status: op.status,
  errorCode: op.errorCode,
  objectCount: String(op.objectCount),
  rootObjectCount: String(op.rootObjectCount),
  fileSize: op.fileSize === null ? null : String(op.fileSize),
  url: op.url,
  partialDataUrl: op.partialDataUrl,
  createdAt: op.createdAt,
  completedAt: op.completedAt,
  query: op.query,
  type: op.type,
});

export function currentBulkOperation(ctx: AdminContext, type: BulkType): object | null {
  const ops = ctx.store.bulkOperations.filter((op) => op.type === type);
  const latest = ops.at(-1);
  return latest ? bulkOperationView(latest) : null;
}

export function bulkOperationsConnection(ctx: AdminContext, args: ConnectionArgs & { query?: string | null }) {
  const search = parseSearchQuery(args.query);
  const list = ctx.store.bulkOperations.filter((op) =>
    matchesSearch(op, search, (item, field) => {
      if (field === "status") return item.status.toLowerCase();
      if (field === "operation_type" || field === "type") return item.type.toLowerCase();
      if (field === "created_at") return item.createdAt;
      if (field === "id") return BigInt(item.id);
      return undefined;
    }),
  );
  return paginate(list, args, (op) => op.id, bulkOperationView);
}

type BulkPayload = { bulkOperation: object | null; userErrors: { field: string[] | null; message: string; code: string }[] };

/** From API 2026-01 a shop runs up to five bulk operations of each type at once; before, one. */
export function bulkConcurrencyLimit(apiVersion: string): number {
  return apiVersion >= "2026-01" ? 5 : 1;
}

function inProgress(ctx: AdminContext, type: BulkType): BulkOperationRecord[] {
  return ctx.store.bulkOperations.filter((op) => op.type === type && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"));
}

function concurrencyError(ctx: AdminContext, type: BulkType): BulkPayload | null {
  const running = inProgress(ctx, type);
  const limit = bulkConcurrencyLimit(ctx.apiVersion);
  if (running.length < limit) return null;
  const noun = type === "QUERY" ? "query" : "mutation";
  const message =
    limit === 1
      ? `A bulk ${noun} operation for this app and shop is already in progress: ${gid("BulkOperation", running[0].id)}.`
      : `A maximum of ${limit} bulk ${noun} operations can run at the same time for this app and shop.`;
  return { bulkOperation: null, userErrors: [{ field: null, message, code: limit === 1 ? "OPERATION_IN_PROGRESS" : "LIMIT_REACHED" }] };
}

export function bulkOperationRunQuery(args: { query: string }, ctx: AdminContext): BulkPayload {
  const busy = concurrencyError(ctx, "QUERY");
  if (busy) return busy;
  try {
    return { bulkOperation: bulkOperationView(ctx.services.bulk.startQuery(ctx, args.query)), userErrors: [] };
  } catch (error) {
    if (error instanceof BulkValidationError) return { bulkOperation: null, userErrors: [{ field: ["query"], message: error.message, code: "INVALID" }] };
    throw error;
  }
}

export function bulkOperationRunMutation(args: { mutation: string; stagedUploadPath: string }, ctx: AdminContext): BulkPayload {
  const busy = concurrencyError(ctx, "MUTATION");
  if (busy) return busy;
  const file = ctx.services.staged.pathFor(ctx.store, args.stagedUploadPath);
  if (!file) {
    return {
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message:
            "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
          code: "NO_SUCH_FILE",
        },
      ],
    };
  }
  try {
    return { bulkOperation: bulkOperationView(ctx.services.bulk.startMutation(ctx, args.mutation, file)), userErrors: [] };
  } catch (error) {
    if (error instanceof BulkValidationError) return { bulkOperation: null, userErrors: [{ field: ["mutation"], message: error.message, code: "INVALID" }] };
    throw error;
  }
}

export function bulkOperationCancel(args: { id: string }, ctx: AdminContext): BulkPayload {
  const op = ctx.store.bulkOperations.find((b) => b.id === parseGid(args.id)?.id);
  if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist", code: "INVALID" }] };
  if (op.status !== "CREATED" && op.status !== "RUNNING") {
    return { bulkOperation: bulkOperationView(op), userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`, code: "INVALID" }] };
  }
  ctx.services.bulk.cancel(ctx, op);
  return { bulkOperation: bulkOperationView(op), userErrors: [] };
}
