import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { AdminContext } from "../admin/context";
import { executeUnmetered } from "../admin/execute";
import type { BulkOperationRecord } from "../store/records";
import type { BulkMutationPlan } from "./validate";

/** Applies the mutation once per JSONL line of variables; each result line carries `__lineNumber`. */
export async function runBulkMutation(ctx: AdminContext, plan: BulkMutationPlan, op: BulkOperationRecord, variablesFile: string, filePath: string): Promise<void> {
  const out = createWriteStream(filePath, { encoding: "utf8" });
  const lines = createInterface({ input: createReadStream(variablesFile, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      if (op.cancelRequested) break;
      if (line.trim() === "") continue;
      let result: Record<string, unknown>;
      try {
        const variables = JSON.parse(line) as Record<string, unknown>;
        const executed = await executeUnmetered(ctx, plan.document, variables);
        result = executed.errors?.length ? { data: executed.data ?? null, errors: executed.errors.map((e) => e.toJSON()) } : { data: executed.data };
      } catch (error) {
        result = { errors: [{ message: error instanceof SyntaxError ? `Invalid JSON on line ${lineNumber}: ${error.message}` : String(error) }] };
      }
      if (!out.write(`${JSON.stringify({ ...result, __lineNumber: lineNumber })}\n`)) await once(out, "drain");
      op.objectCount++;
      op.rootObjectCount++;
      lineNumber++;
      if (lineNumber % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    out.end();
    await once(out, "close");
  }
}
