import { randomUUID } from "node:crypto";
import type { BulkAction, Prisma, PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { enqueue } from "../queue/queues.server";
import { ShopifyPermanentError, type AdminGraphql } from "../shopify/admin-graphql.server";
import { DISCOUNT_CODE_BASIC_UPDATE_MUTATION, type DiscountCodeBasicUpdateResult, type DiscountUpdatePayload } from "../shopify/operations/discount-code-basic-update";
import { DISCOUNT_CODE_FREE_SHIPPING_UPDATE_MUTATION, type DiscountCodeFreeShippingUpdateResult } from "../shopify/operations/discount-code-free-shipping-update";

// A discount that lists its customers by id takes them 250 per call: Shopify refuses any
// input array longer than that (MAX_INPUT_SIZE_EXCEEDED, shopify.dev/docs/api/usage/limits).
// Creation lists the first 250 treated members; a background job (a BulkAction of kind
// campaign_customers, its job naming only the shop and the action) adds the rest with
// discountCode*Update's `context.customers.add`, which adds to the list Shopify holds.

/** Shopify's limit on any input array. */
export const SHOPIFY_INPUT_MAX = 250;

export interface ListingProgress {
  id: string;
  status: BulkAction["status"];
  total: number;
  done: number;
  error: string | null;
}

const view = (b: BulkAction): ListingProgress => ({ id: b.id, status: b.status, total: b.total, done: b.done, error: b.error });
const customerGid = (id: bigint) => `gid://shopify/Customer/${id}`;

/** A campaign's treated members, `take` of them from `skip`, in the one order creation and the job share (by id). */
export async function treatedMembers(db: PrismaClient, shopId: number, campaignId: string, skip: number, take: number): Promise<bigint[]> {
  const rows = await db.campaignMember.findMany({
    where: { shopId, campaignId, holdout: false },
    orderBy: { customerId: "asc" },
    skip,
    take,
    select: { customerId: true },
  });
  return rows.map((r) => r.customerId);
}

/** The listing of a campaign's `total` treated members, the first `listed` of them on the discount already: written in the transaction that commits the campaign. */
export function listingRow(shopId: number, campaignId: string, total: number, listed: number): Prisma.BulkActionUncheckedCreateInput {
  return { shopId, id: randomUUID(), kind: "campaign_customers", campaignId, filters: {}, total, done: listed };
}

/**
 * Enqueues the job of a saved listing. When Redis does not take it, the action is failed,
 * saying so, and the campaign's page offers to resume it.
 */
export async function queueListing(db: PrismaClient, shopId: number, id: string): Promise<ListingProgress> {
  return enqueueListing(db, shopId, await db.bulkAction.findUniqueOrThrow({ where: { shopId_id: { shopId, id } } }));
}

async function enqueueListing(db: PrismaClient, shopId: number, action: BulkAction): Promise<ListingProgress> {
  try {
    await enqueue("bulk-customers", { shopId, bulkActionId: action.id }, { jobId: `bulk-${shopId}-${action.id}-${action.updatedAt.getTime()}` });
  } catch (error) {
    logger.warn({ shopId, bulkActionId: action.id, err: (error as Error).message }, "campaign listing not queued");
    return view(await db.bulkAction.update({ where: { shopId_id: { shopId, id: action.id } }, data: { status: "failed", error: (error as Error).message } }));
  }
  return view(action);
}

/** The campaign's latest listing, for its page; null when its discount took every member at creation. */
export async function campaignListing(db: PrismaClient, shopId: number, campaignId: string): Promise<ListingProgress | null> {
  const found = await db.bulkAction.findFirst({ where: { shopId, campaignId, kind: "campaign_customers" }, orderBy: { createdAt: "desc" } });
  return found ? view(found) : null;
}

/**
 * Queues a failed listing again from where it stopped. Returns null when the campaign has
 * no failed listing (nothing to resume); a listing Redis still does not take stays failed.
 */
export async function resumeListing(db: PrismaClient, shopId: number, campaignId: string): Promise<ListingProgress | null> {
  const found = await db.bulkAction.findFirst({ where: { shopId, campaignId, kind: "campaign_customers" }, orderBy: { createdAt: "desc" } });
  if (!found || found.status !== "failed") return null;
  const queued = await db.bulkAction.update({ where: { shopId_id: { shopId, id: found.id } }, data: { status: "queued", error: null } });
  return enqueueListing(db, shopId, queued);
}

function userErrors(payload: DiscountUpdatePayload | null): string | null {
  if (!payload) return "Shopify did not answer the discount update";
  if (payload.codeDiscountNode && payload.userErrors.length === 0) return null;
  return payload.userErrors.map((e) => (e.field?.length ? `${e.field.at(-1)}: ${e.message}` : e.message)).join("; ") || "Shopify refused the discount update";
}

/**
 * Runs a saved listing: the campaign's treated members from `done` on, 250 per update,
 * `done` written after each call. Shopify keeps a discount's customers as a set, so a
 * retried call (the job killed between the call and its `done`) adds nothing twice.
 * A refusal (the discount deleted in Shopify, say) fails the action with Shopify's words;
 * the members already listed keep the code. Returns null for an action that is not found.
 */
export async function runListing(db: PrismaClient, admin: AdminGraphql, shopId: number, action: BulkAction): Promise<ListingProgress | null> {
  const where = { shopId_id: { shopId, id: action.id } };
  const campaign = action.campaignId
    ? await db.campaign.findUnique({ where: { shopId_id: { shopId, id: action.campaignId } }, select: { status: true, discount: true, discountId: true } })
    : null;
  if (!campaign?.discountId || campaign.status !== "ACTIVE") {
    return view(await db.bulkAction.update({ where, data: { status: "failed", error: "campaign deleted" } }));
  }
  await db.bulkAction.update({ where, data: { status: "running", error: null } });
  const id = `gid://shopify/DiscountCodeNode/${campaign.discountId}`;
  let done = action.done;
  for (;;) {
    const batch = await treatedMembers(db, shopId, action.campaignId!, done, SHOPIFY_INPUT_MAX);
    if (batch.length === 0) break;
    const context = { customers: { add: batch.map(customerGid) } };
    let refused: string | null;
    try {
      if (campaign.discount === "free_shipping") {
        const result = await admin.request<DiscountCodeFreeShippingUpdateResult>(DISCOUNT_CODE_FREE_SHIPPING_UPDATE_MUTATION, { id, freeShippingCodeDiscount: { context } });
        refused = userErrors(result.discountCodeFreeShippingUpdate);
      } else {
        const result = await admin.request<DiscountCodeBasicUpdateResult>(DISCOUNT_CODE_BASIC_UPDATE_MUTATION, { id, basicCodeDiscount: { context } });
        refused = userErrors(result.discountCodeBasicUpdate);
      }
    } catch (error) {
      if (!(error instanceof ShopifyPermanentError)) throw error;
      refused = error.message;
    }
    if (refused) {
      logger.warn({ shopId, bulkActionId: action.id, done, err: refused }, "Shopify refused a campaign's customers");
      return view(await db.bulkAction.update({ where, data: { status: "failed", error: refused } }));
    }
    done += batch.length;
    await db.bulkAction.update({ where, data: { done } });
  }
  const finished = await db.bulkAction.update({ where, data: { status: "done", total: done, error: null } });
  logger.info({ shopId, bulkActionId: action.id, customers: done }, "campaign customers listed");
  return view(finished);
}
