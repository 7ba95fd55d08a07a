import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { type AdminGraphql, ShopifyPermanentError } from "../shopify/admin-graphql.server";
import { NODE_EXISTS_QUERY, type NodeExistsResult } from "../shopify/operations/node-exists";
import { SHOP_ID_QUERY, type ShopIdResult } from "../shopify/operations/shop-id";
import { ShopNeedsReauthError } from "../shopify/offline-tokens.server";
import { exportCustomerData, redactCustomer, redactShop } from "./compliance.server";
import { isPermanentDatabaseError } from "./db-errors";
import { type CustomerChange, changeNeedsRescore, classifyCustomerChange } from "./customer-change";
import { enrichWithVariantCosts } from "./enrich.server";
import { forgetShop } from "./inbox.server";
import { type CustomerRecord, PayloadError, shopifyId } from "./records";
import { customerFromRest, orderFromRest, refundFromRest } from "../orders/rest";
import { ensureCustomers, markCustomerDeleted, recomputeRefunded, upsertCustomers, upsertOrders, upsertRefunds } from "./store.server";
import { markUninstalled } from "./uninstall.server";
import { ordersMatching } from "./reconcile.server";
import { readSettings } from "../settings/shop-settings";

export interface ProcessDeps {
  db: PrismaClient;
  /** The shop's Admin API, or null when the shop has no offline session (uninstalled). */
  adminFor: (shop: string) => Promise<AdminGraphql | null>;
  onCustomersChanged?: (shopId: number, customerIds: bigint[]) => Promise<void>;
  onBulkOperationFinished?: (shopId: number, operationId: string) => Promise<void>;
  onUninstalled?: (shopId: number) => Promise<void>;
}

export type ProcessOutcome = "processed" | "already-processed" | "gone";

type Json = Record<string, unknown>;

/** The order's embedded customer, when it has one Patron can read; a guest checkout has none. */
function embeddedCustomer(payload: Json): CustomerRecord | null {
  const customer = payload.customer;
  if (customer === null || typeof customer !== "object") return null;
  try {
    return customerFromRest({ updated_at: payload.updated_at, ...(customer as Json) });
  } catch (error) {
    if (error instanceof PayloadError) return null;
    throw error;
  }
}

const idList = (value: unknown, what: string): bigint[] =>
  Array.isArray(value) ? value.map((v, i) => shopifyId(v, `${what}[${i}]`)) : [];

/**
 * Throws PayloadError unless Shopify refuses the shop's token (401, or a refused refresh
 * token when the expiring access token is renewed after that 401), which is what an
 * uninstall does; no stored session means there is nothing left to refuse. Outages are
 * rethrown, so the job retries.
 */
async function confirmUninstalled(admin: AdminGraphql | null): Promise<void> {
  if (!admin) return;
  try {
    await admin.request<ShopIdResult>(SHOP_ID_QUERY, {}, { expectedCost: 1 });
  } catch (error) {
    if (error instanceof ShopifyPermanentError && error.status === 401) return;
    if (error instanceof ShopNeedsReauthError) return;
    throw error;
  }
  throw new PayloadError("app/uninstalled not confirmed: Shopify still accepts the shop's token");
}

/**
 * A webhook's shop header is unsigned, and Shopify's ids are unique across shops: an id
 * the shop already holds in Patron is proven, a new one is checked with Shopify under the
 * shop's own token. Throws PayloadError when Shopify says the shop has no such record.
 * A shop whose token is gone or refused cannot be asked; its delivery is kept.
 */
async function confirmOwnership(admin: AdminGraphql | null, type: "Order" | "Customer", id: bigint, shop: string): Promise<void> {
  if (!admin) return;
  let found: NodeExistsResult;
  try {
    found = await admin.request<NodeExistsResult>(NODE_EXISTS_QUERY, { id: `gid://shopify/${type}/${id}` }, { expectedCost: 1 });
  } catch (error) {
    if (error instanceof ShopifyPermanentError) return;
    throw error;
  }
  if (!found.node) throw new PayloadError(`${type} ${id} is not in ${shop} (the delivery's shop header does not match its payload)`);
}

/** What a customer delivery changes against what Patron holds, Patron's own tags told apart (customer-change.ts). */
async function customerChange(db: PrismaClient, shopId: number, customer: CustomerRecord): Promise<CustomerChange> {
  const held = await db.customer.findUnique({
    where: { shopId_id: { shopId, id: customer.id } },
    select: {
      email: true, firstName: true, lastName: true, tags: true, emailMarketing: true, smsMarketing: true, shopifyCreatedAt: true,
      writeState: { select: { tags: true } },
      shop: { select: { settings: true } },
    },
  });
  if (!held) return "new";
  const prefix = readSettings(held.shop.settings).tagPrefix.toLowerCase();
  const written = new Set((held.writeState?.tags ?? []).map((t) => t.toLowerCase()));
  const patronOwns = (tag: string) => tag.toLowerCase().startsWith(prefix) || written.has(tag.toLowerCase());
  return classifyCustomerChange({ ...held, createdAt: held.shopifyCreatedAt }, customer, patronOwns);
}

/**
 * Applies one inbox row. Safe to run twice (a retried job, two workers racing on a
 * re-enqueued row): every write is an upsert guarded by Shopify's updated_at, and a
 * processed row is skipped. A PayloadError or a database error about the data itself
 * is permanent: the row is marked FAILED with the reason, at once.
 */
export async function processInboxEvent(deps: ProcessDeps, inboxId: bigint): Promise<ProcessOutcome> {
  const { db } = deps;
  const event = await db.webhookEvent.findUnique({ where: { id: inboxId }, include: { shop: { select: { domain: true } } } });
  if (!event) return "gone";
  if (event.status === "PROCESSED") return "already-processed";
  const shopId = event.shopId;
  const shop = event.shop.domain;
  const payload = event.payload as Json;

  try {
    switch (event.topic) {
      case "orders/create":
      case "orders/updated":
      case "orders/paid":
      case "orders/cancelled": {
        const order = orderFromRest(payload);
        const admin = order.test ? null : await deps.adminFor(shop);
        // Test orders are never stored, so there is nothing to plant and nothing to confirm.
        if (!order.test && !(await db.order.findUnique({ where: { shopId_id: { shopId, id: order.id } }, select: { id: true } }))) {
          await confirmOwnership(admin, "Order", order.id, shop);
        }
        if (admin) {
          try {
            await enrichWithVariantCosts(admin, [order]);
          } catch (error) {
            // The order matters more than its costs: keep it, with cost unknown (the
            // shop's default margin applies), rather than lose it to a Shopify refusal.
            if (!(error instanceof ShopifyPermanentError)) throw error;
            logger.warn({ shop, inboxId: inboxId.toString(), err: error.message }, "order stored without unit costs");
          }
        }
        const buyer = order.test ? null : embeddedCustomer(payload);
        const written = await db.$transaction(async (tx) => {
          if (buyer) await ensureCustomers(tx, shopId, [buyer]);
          return upsertOrders(tx, shopId, [order]);
        });
        if (written.length && order.customerId !== null) await deps.onCustomersChanged?.(shopId, [order.customerId]);
        break;
      }
      case "orders/edited": {
        // The payload is the edit, not the order (its lines' deltas only): the order as it
        // stands is read back from Shopify under the shop's token, which also proves it is
        // the shop's. orders/updated follows every edit too; upserts keep the newer of the two.
        const edit = (payload.order_edit ?? null) as Json | null;
        if (edit === null || typeof edit !== "object") throw new PayloadError("orders/edited without order_edit");
        const orderId = shopifyId(edit.order_id, "order_edit.order_id");
        const admin = await deps.adminFor(shop);
        if (!admin) {
          logger.warn({ shop, inboxId: inboxId.toString() }, "orders/edited not read back: the shop has no session; orders/updated carries the edit");
          break;
        }
        const changed: bigint[] = [];
        for await (const records of ordersMatching(admin, `id:${orderId} AND test:false`)) {
          const written = new Set((await db.$transaction((tx) => upsertOrders(tx, shopId, records))).map(String));
          for (const r of records) if (r.customerId !== null && written.has(String(r.id))) changed.push(r.customerId);
        }
        if (changed.length) await deps.onCustomersChanged?.(shopId, changed);
        break;
      }
      case "refunds/create": {
        // The payload does not say whether prices include tax; the order does. A refund
        // that arrives before its order is corrected when the order (which lists it) lands.
        const held = await db.order.findUnique({
          where: { shopId_id: { shopId, id: shopifyId(payload.order_id, "refund.order_id") } },
          select: { taxesIncluded: true },
        });
        const refund = refundFromRest(payload, held?.taxesIncluded ?? false);
        if (!held) await confirmOwnership(await deps.adminFor(shop), "Order", refund.orderId, shop);
        await db.$transaction(async (tx) => {
          await upsertRefunds(tx, shopId, [refund]);
          await recomputeRefunded(tx, shopId, [refund.orderId]);
        });
        const order = await db.order.findUnique({ where: { shopId_id: { shopId, id: refund.orderId } }, select: { customerId: true } });
        if (order?.customerId) await deps.onCustomersChanged?.(shopId, [order.customerId]);
        break;
      }
      case "customers/create":
      case "customers/update": {
        const customer = customerFromRest(payload);
        const change = await customerChange(db, shopId, customer);
        if (change === "new") await confirmOwnership(await deps.adminFor(shop), "Customer", customer.id, shop);
        const written = await upsertCustomers(db, shopId, [customer]);
        // Patron's own tag and metafield writes come back here; only a change scoring reads is worth a rescore.
        if (written && changeNeedsRescore(change)) await deps.onCustomersChanged?.(shopId, [customer.id]);
        break;
      }
      case "customers/delete":
        await markCustomerDeleted(db, shopId, shopifyId(payload.admin_graphql_api_id ?? payload.id, "customer.id"), new Date());
        break;
      case "app/uninstalled":
        // The headers are unsigned: only Shopify refusing the shop's token proves the uninstall.
        await confirmUninstalled(await deps.adminFor(shop));
        await markUninstalled(db, shop);
        forgetShop(shop);
        await deps.onUninstalled?.(shopId);
        break;
      case "bulk_operations/finish":
        await deps.onBulkOperationFinished?.(shopId, String(payload.admin_graphql_api_id));
        break;
      case "customers/redact": {
        const customer = (payload.customer ?? {}) as Json;
        await redactCustomer(db, shopId, shopifyId(customer.id, "customer.id"), idList(payload.orders_to_redact, "orders_to_redact"));
        break;
      }
      case "customers/data_request": {
        const customer = (payload.customer ?? {}) as Json;
        const request = (payload.data_request ?? {}) as Json;
        await exportCustomerData(
          db,
          shopId,
          shopifyId(customer.id, "customer.id"),
          String(request.id ?? event.webhookId),
          idList(payload.orders_requested, "orders_requested"),
        );
        break;
      }
      case "shop/redact":
        if (!(await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } }))?.uninstalledAt) {
          throw new PayloadError("shop/redact for a shop that has the app installed");
        }
        await redactShop(db, shop);
        forgetShop(shop);
        return "processed";
      default:
        throw new PayloadError(`no handler for topic ${event.topic}`);
    }
  } catch (error) {
    await db.webhookEvent.update({
      where: { id: inboxId },
      data: {
        attempts: { increment: 1 },
        error: (error as Error).message.slice(0, 500),
        ...(error instanceof PayloadError || isPermanentDatabaseError(error) ? { status: "FAILED" as const } : {}),
      },
    });
    throw error;
  }

  await db.webhookEvent.update({
    where: { id: inboxId },
    // Payloads carry customers' names, emails, phones and addresses, and an applied one is
    // never read again: keep the record (its key stops a redelivery), drop the data.
    data: { status: "PROCESSED", processedAt: new Date(), attempts: { increment: 1 }, error: null, payload: {} },
  });
  return "processed";
}
