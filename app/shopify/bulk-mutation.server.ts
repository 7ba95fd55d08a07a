import { fetchJsonlLines } from "../sync/jsonl.server";
import { type AdminGraphql, assertNoUserErrors } from "./admin-graphql.server";
import { BULK_OPERATION_QUERY, type BulkOperationResult } from "./operations/bulk-operation";
import { BULK_OPERATION_RUN_MUTATION, type BulkOperationRunMutationResult } from "./operations/bulk-operation-run-mutation";
import { STAGED_UPLOADS_CREATE_MUTATION, type StagedUploadsCreateResult } from "./operations/staged-uploads-create";

// Shopify's way to apply one mutation to many inputs without the per-request cost
// limit: upload the variables as JSONL, run the mutation over them, read the
// per-line results. Only one bulk mutation runs per shop at a time (before API
// 2026-01; a few after), so callers run them one after another.

export interface BulkMutationOutcome {
  operationId: string;
  /** Indexes (0-based lines of the input) that failed, with why. */
  failures: Map<number, string>;
  lines: number;
}

export interface BulkMutationOptions {
  fetchFn?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  timeoutMs?: number;
}

export class BulkOperationBusyError extends Error {
  override name = "BulkOperationBusyError";
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runBulkMutation(
  admin: AdminGraphql,
  mutation: string,
  variables: Record<string, unknown>[],
  options: BulkMutationOptions = {},
): Promise<BulkMutationOutcome> {
  const fetchFn = options.fetchFn ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const jsonl = variables.map((v) => JSON.stringify(v)).join("\n") + "\n";

  const staged = await admin.request<StagedUploadsCreateResult>(STAGED_UPLOADS_CREATE_MUTATION, {
    input: [{ resource: "BULK_MUTATION_VARIABLES", filename: "variables.jsonl", mimeType: "text/jsonl", httpMethod: "POST" }],
  });
  assertNoUserErrors(staged.stagedUploadsCreate, "staged upload");
  const target = staged.stagedUploadsCreate.stagedTargets?.[0];
  if (!target) throw new Error("stagedUploadsCreate returned no target");
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "variables.jsonl");
  const upload = await fetchFn(target.url, { method: "POST", body: form });
  if (!upload.ok) throw new Error(`staged upload failed: HTTP ${upload.status}`);
  const path = target.parameters.find((p) => p.name === "key")?.value;
  if (!path) throw new Error("staged upload target has no key");

  const run = await admin.request<BulkOperationRunMutationResult>(BULK_OPERATION_RUN_MUTATION, { mutation, stagedUploadPath: path });
  const errors = run.bulkOperationRunMutation.userErrors;
  if (errors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED")) {
    throw new BulkOperationBusyError(errors.map((e) => e.message).join("; "));
  }
  assertNoUserErrors(run.bulkOperationRunMutation, "bulk mutation");
  const operationId = run.bulkOperationRunMutation.bulkOperation!.id;

  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let pollMs = options.pollMs ?? 500;
  for (;;) {
    const { node } = await admin.request<BulkOperationResult>(BULK_OPERATION_QUERY, { id: operationId }, { expectedCost: 1 });
    if (!node) throw new Error(`bulk operation ${operationId} vanished`);
    if (node.status === "COMPLETED") {
      const failures = new Map<number, string>();
      const url = node.url ?? node.partialDataUrl;
      if (url) {
        for await (const line of fetchJsonlLines(url, fetchFn)) {
          const result = JSON.parse(line) as { data?: Record<string, { userErrors?: { message: string }[] } | null>; errors?: { message: string }[]; __lineNumber: number };
          const payload = result.data ? Object.values(result.data)[0] : null;
          const problems = [...(result.errors ?? []), ...(payload?.userErrors ?? [])];
          if (problems.length || !payload) failures.set(result.__lineNumber, problems.map((p) => p.message).join("; ") || "no result");
        }
      }
      return { operationId, failures, lines: variables.length };
    }
    if (node.status === "FAILED" || node.status === "CANCELED" || node.status === "EXPIRED") {
      throw new Error(`bulk mutation ${operationId} ${node.status}: ${node.errorCode ?? "no error code"}`);
    }
    if (Date.now() > deadline) throw new Error(`bulk mutation ${operationId} still ${node.status} after the deadline`);
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, 5000);
  }
}
