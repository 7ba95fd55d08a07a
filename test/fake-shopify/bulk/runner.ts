import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AdminContext, BulkStarter } from "../admin/context";
import { nowIso } from "../admin/context";
import type { BulkOperationRecord, BulkType } from "../store/records";
import type { ShopStore } from "../store/shop-store";
import { planBulkMutation, planBulkQuery } from "./validate";
import { BulkRunError, runBulkQuery } from "./run-query";
import { runBulkMutation } from "./run-mutation";

export interface BulkRunnerOptions {
  publicUrl: () => string;
  onFinished: (store: ShopStore, op: BulkOperationRecord) => void;
  /** Real milliseconds between CREATED and RUNNING, so a test can see each state. */
  startDelayMs?: number;
}

/** Runs bulk operations in the background, streaming results to files the fake serves. */
export class BulkRunner implements BulkStarter {
  readonly dir = mkdtempSync(join(tmpdir(), "fake-shopify-bulk-"));
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: BulkRunnerOptions) {}

  startQuery(ctx: AdminContext, query: string): BulkOperationRecord {
    const plan = planBulkQuery(query);
    const op = this.create(ctx, "QUERY", query);
    this.launch(ctx, op, (file) => runBulkQuery(ctx, plan, op, file));
    return op;
  }

  startMutation(ctx: AdminContext, mutation: string, variablesFile: string): BulkOperationRecord {
    const plan = planBulkMutation(mutation);
    const op = this.create(ctx, "MUTATION", mutation);
    this.launch(ctx, op, (file) => runBulkMutation(ctx, plan, op, variablesFile, file));
    return op;
  }

  cancel(_ctx: AdminContext, op: BulkOperationRecord): void {
    op.cancelRequested = true;
    op.status = "CANCELING";
  }

  filePath(shopId: string, opId: string): string {
    return join(this.dir, `${shopId}-${opId}.jsonl`);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private create(ctx: AdminContext, type: BulkType, query: string): BulkOperationRecord {
    const op: BulkOperationRecord = {
      id: ctx.store.newId(),
      type,
      status: "CREATED",
      errorCode: null,
      query,
      createdAt: nowIso(ctx),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      filePath: null,
      url: null,
      partialDataUrl: null,
      cancelRequested: false,
    };
    ctx.store.bulkOperations.push(op);
    return op;
  }

  private launch(ctx: AdminContext, op: BulkOperationRecord, work: (file: string) => Promise<void>): void {
    const file = this.filePath(ctx.store.data.shop.id, op.id);
    const url = `${this.options.publicUrl()}/_bulk/${ctx.store.data.shop.id}/${op.id}.jsonl`;
    const run = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, this.options.startDelayMs ?? 0));
      if (op.cancelRequested) {
        op.status = "CANCELED";
      } else {
        op.status = "RUNNING";
        try {
          await work(file);
          op.filePath = file;
          op.fileSize = statSync(file).size;
          if (op.cancelRequested) op.status = "CANCELED";
          else {
            op.status = "COMPLETED";
            // Shopify gives no URL when the operation produced no objects.
            op.url = op.objectCount > 0 ? url : null;
          }
        } catch (error) {
          op.status = "FAILED";
          op.errorCode = error instanceof BulkRunError ? error.code : "INTERNAL_SERVER_ERROR";
          op.filePath = file;
          op.partialDataUrl = op.objectCount > 0 ? url : null;
        }
      }
      op.completedAt = nowIso(ctx);
      ctx.store.touch();
      this.options.onFinished(ctx.store, op);
    };
    const promise = run();
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }
}
