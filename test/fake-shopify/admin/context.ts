import type { Clock } from "../util/clock";
import type { ShopStore } from "../store/shop-store";
import type { BulkOperationRecord } from "../store/records";

export const APP_ID = "1000001";

export interface BulkStarter {
  startQuery(ctx: AdminContext, query: string): BulkOperationRecord;
  startMutation(ctx: AdminContext, mutation: string, variablesFile: string): BulkOperationRecord;
  cancel(ctx: AdminContext, op: BulkOperationRecord): void;
}

export interface StagedUploadTarget {
  url: string;
  resourceUrl: string;
  parameters: { name: string; value: string }[];
}

export interface StagedUploadService {
  createTarget(shop: ShopStore, filename: string, mimeType: string, method: "POST" | "PUT"): StagedUploadTarget;
  pathFor(shop: ShopStore, stagedUploadPath: string): string | null;
}

export interface StoreEvents {
  customerUpdated(store: ShopStore, customerId: string): void;
  orderUpdated(store: ShopStore, orderId: string): void;
}

export interface AdminServices {
  clock: Clock;
  events: StoreEvents;
  bulk: BulkStarter;
  staged: StagedUploadService;
  /** Handles of the app's deployed Flow triggers; null accepts any handle. */
  flowTriggerHandles: ReadonlySet<string> | null;
}

export interface AdminContext {
  store: ShopStore;
  services: AdminServices;
  apiVersion: string;
  scopes: ReadonlySet<string>;
  /** Set by the bulk runner: the root connection serves exactly these items. */
  bulkRoot?: { field: string; items: readonly unknown[] };
}

export const nowIso = (ctx: AdminContext): string => new Date(ctx.services.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");

/** `$app` and an omitted namespace mean the calling app's reserved namespace. */
export function resolveNamespace(namespace: string | null | undefined): string {
  if (namespace == null || namespace === "") return `app--${APP_ID}`;
  return namespace.startsWith("$app") ? `app--${APP_ID}${namespace.slice(4)}` : namespace;
}
