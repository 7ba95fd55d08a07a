import { Prisma, type Campaign, type CampaignAction, type PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { ShopifyPermanentError, type AdminGraphql } from "../shopify/admin-graphql.server";
import { DISCOUNT_CODE_BASIC_UPDATE_MUTATION, type DiscountCodeBasicUpdateResult, type DiscountUpdatePayload } from "../shopify/operations/discount-code-basic-update";
import { DISCOUNT_CODE_DEACTIVATE_MUTATION, type DiscountCodeDeactivateResult } from "../shopify/operations/discount-code-deactivate";
import { DISCOUNT_CODE_FREE_SHIPPING_UPDATE_MUTATION, type DiscountCodeFreeShippingUpdateResult } from "../shopify/operations/discount-code-free-shipping-update";
import { userErrorMessages } from "./create.server";
import { deleteDiscount } from "./discount-delete.server";
import { planEdit, revertInput, type EditableCampaign, type EditPlan, type EditRequest } from "./edit-form";
import type { FieldErrors } from "./form";

// Changing a live campaign follows creation's reservation pattern: the change is
// reserved on the campaign row (pendingAction), Shopify is asked, then the row is
// committed. A Shopify refusal releases the reservation and changes nothing. When
// Shopify agreed but the commit fails: an edit is set back in Shopify; an end or a
// delete keeps its reservation (the discount is off, the safe side) and a retry
// finishes it, since both are idempotent in Shopify.

/** A reservation older than this was left by a crashed request and may be taken again. */
export const STALE_RESERVATION_MS = 2 * 60_000;

type Common =
  | { outcome: "not_found" }
  | { outcome: "busy"; since: Date }
  | { outcome: "shopify_rejected"; errors: string[] }
  | { outcome: "unreachable"; error: string };

export type EditOutcome = { outcome: "saved"; changed: boolean } | { outcome: "invalid"; errors: FieldErrors } | { outcome: "not_saved"; reverted: boolean } | Common;
export type EndOutcome = { outcome: "ended"; endedAt: Date } | { outcome: "already_ended" } | { outcome: "not_saved" } | Common;
export type DeleteOutcome = { outcome: "deleted" } | { outcome: "not_saved" } | Common;

const discountGid = (id: bigint) => `gid://shopify/DiscountCodeNode/${id}`;

async function loadCampaign(db: PrismaClient, shopDomain: string, id: string): Promise<Campaign | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return null;
  return db.campaign.findFirst({ where: { shopId: shop.id, id, status: "ACTIVE" } });
}

/** Takes the campaign for `action`: free, held by the same action (a retry), or stale. */
async function reserve(db: PrismaClient, c: Campaign, action: CampaignAction, now: Date): Promise<{ outcome: "reserved" } | { outcome: "busy"; since: Date } | { outcome: "not_found" }> {
  const { count } = await db.campaign.updateMany({
    where: {
      shopId: c.shopId,
      id: c.id,
      status: "ACTIVE",
      OR: [{ pendingAction: null }, { pendingAction: action }, { pendingSince: { lt: new Date(now.getTime() - STALE_RESERVATION_MS) } }],
    },
    data: { pendingAction: action, pendingSince: now },
  });
  if (count === 1) return { outcome: "reserved" };
  const held = await db.campaign.findFirst({ where: { shopId: c.shopId, id: c.id }, select: { pendingSince: true } });
  return held ? { outcome: "busy", since: held.pendingSince ?? now } : { outcome: "not_found" };
}

async function release(db: PrismaClient, c: Campaign, action: CampaignAction) {
  await db.campaign.updateMany({ where: { shopId: c.shopId, id: c.id, pendingAction: action }, data: { pendingAction: null, pendingSince: null } });
}

function editable(c: Campaign): EditableCampaign {
  return { ...c, value: c.value === null ? null : Number(c.value) };
}

async function updateDiscount(admin: AdminGraphql, c: Campaign, input: EditPlan["shopify"]): Promise<DiscountUpdatePayload | null> {
  const id = discountGid(c.discountId!);
  if (c.discount === "free_shipping") {
    const { customerGets: _ignored, ...common } = input;
    const result = await admin.request<DiscountCodeFreeShippingUpdateResult>(DISCOUNT_CODE_FREE_SHIPPING_UPDATE_MUTATION, { id, freeShippingCodeDiscount: common });
    return result.discountCodeFreeShippingUpdate;
  }
  const result = await admin.request<DiscountCodeBasicUpdateResult>(DISCOUNT_CODE_BASIC_UPDATE_MUTATION, { id, basicCodeDiscount: input });
  return result.discountCodeBasicUpdate;
}

/** Shopify errors a route can show: a permanent refusal is a rejection, anything else (network, 5xx after retries) leaves Shopify unreached. */
function shopifyFailure(error: unknown): Common {
  if (error instanceof ShopifyPermanentError) return { outcome: "shopify_rejected", errors: [error.message] };
  return { outcome: "unreachable", error: (error as Error).message };
}

/**
 * Edits a live campaign: the fields `planEdit` allows, in Shopify (discountCodeBasicUpdate
 * or discountCodeFreeShippingUpdate, only the fields that changed) and in Patron.
 * Errors: database failures before Shopify is asked are thrown.
 */
export async function editCampaign(db: PrismaClient, admin: AdminGraphql, id: string, request: EditRequest, now = new Date()): Promise<EditOutcome> {
  const c = await loadCampaign(db, admin.shop, id);
  if (!c?.discountId) return { outcome: "not_found" };
  const decided = planEdit(editable(c), request, now);
  if (!decided.ok) return { outcome: "invalid", errors: decided.errors };
  const { plan } = decided;
  if (Object.keys(plan.shopify).length === 0) return { outcome: "saved", changed: false };
  const reserved = await reserve(db, c, "EDIT", now);
  if (reserved.outcome !== "reserved") return reserved;
  const log = logger.child({ shop: admin.shop, campaignId: c.id, action: "edit" });
  let payload: DiscountUpdatePayload | null;
  try {
    payload = await updateDiscount(admin, c, plan.shopify);
  } catch (error) {
    await release(db, c, "EDIT");
    log.warn({ err: (error as Error).message }, "campaign edit not sent to Shopify");
    return shopifyFailure(error);
  }
  if (!payload?.codeDiscountNode) {
    await release(db, c, "EDIT");
    return { outcome: "shopify_rejected", errors: userErrorMessages(payload, "discount update") };
  }
  try {
    const { count } = await db.campaign.updateMany({
      where: { shopId: c.shopId, id: c.id, pendingAction: "EDIT" },
      data: { ...plan.changes, value: plan.changes.value === undefined ? undefined : new Prisma.Decimal(plan.changes.value!), pendingAction: null, pendingSince: null },
    });
    if (count !== 1) throw new Error("the edit reservation was taken by another change");
  } catch (error) {
    log.error({ err: (error as Error).message }, "campaign edit not saved; setting the discount back in Shopify");
    let reverted = false;
    try {
      reverted = Boolean((await updateDiscount(admin, c, revertInput(editable(c), plan)))?.codeDiscountNode);
    } catch (revertError) {
      log.error({ err: (revertError as Error).message }, "discount not set back");
    }
    // Reverted: Shopify and Patron agree again. Not reverted: the reservation stays and the page says so.
    if (reverted) await release(db, c, "EDIT").catch(() => undefined);
    return { outcome: "not_saved", reverted };
  }
  log.info({ fields: Object.keys(plan.changes) }, "campaign edited");
  return { outcome: "saved", changed: true };
}

/**
 * Ends a campaign now: discountCodeDeactivate in Shopify, then endsAt and endedAt set to
 * `now` so results count orders up to this moment only.
 */
export async function endCampaign(db: PrismaClient, admin: AdminGraphql, id: string, now = new Date()): Promise<EndOutcome> {
  const c = await loadCampaign(db, admin.shop, id);
  if (!c?.discountId) return { outcome: "not_found" };
  if (c.endedAt || (c.endsAt && c.endsAt <= now)) return { outcome: "already_ended" };
  const reserved = await reserve(db, c, "END", now);
  if (reserved.outcome !== "reserved") return reserved;
  const log = logger.child({ shop: admin.shop, campaignId: c.id, action: "end" });
  try {
    const result = await admin.request<DiscountCodeDeactivateResult>(DISCOUNT_CODE_DEACTIVATE_MUTATION, { id: discountGid(c.discountId) });
    if (!result.discountCodeDeactivate?.codeDiscountNode) {
      await release(db, c, "END");
      return { outcome: "shopify_rejected", errors: userErrorMessages(result.discountCodeDeactivate, "deactivation") };
    }
  } catch (error) {
    await release(db, c, "END");
    log.warn({ err: (error as Error).message }, "campaign end not sent to Shopify");
    return shopifyFailure(error);
  }
  try {
    const { count } = await db.campaign.updateMany({
      where: { shopId: c.shopId, id: c.id, pendingAction: "END" },
      data: { endedAt: now, endsAt: now, startsAt: c.startsAt > now ? now : c.startsAt, pendingAction: null, pendingSince: null },
    });
    if (count !== 1) throw new Error("the end reservation was taken by another change");
  } catch (error) {
    log.error({ err: (error as Error).message }, "discount deactivated but the campaign end not saved");
    return { outcome: "not_saved" };
  }
  log.info("campaign ended");
  return { outcome: "ended", endedAt: now };
}

/** Deletes a campaign and its discount (discountCodeDelete; a discount already gone counts as deleted). */
export async function deleteCampaign(db: PrismaClient, admin: AdminGraphql, id: string, now = new Date()): Promise<DeleteOutcome> {
  const c = await loadCampaign(db, admin.shop, id);
  if (!c) return { outcome: "not_found" };
  const reserved = await reserve(db, c, "DELETE", now);
  if (reserved.outcome !== "reserved") return reserved;
  const log = logger.child({ shop: admin.shop, campaignId: c.id, action: "delete" });
  if (c.discountId) {
    const deletion = await deleteDiscount(admin, discountGid(c.discountId), log);
    if (!deletion.deleted) {
      await release(db, c, "DELETE");
      return deletion.unreachable ? { outcome: "unreachable", error: deletion.errors[0] } : { outcome: "shopify_rejected", errors: deletion.errors };
    }
  }
  try {
    await db.campaign.deleteMany({ where: { shopId: c.shopId, id: c.id, pendingAction: "DELETE" } });
  } catch (error) {
    log.error({ err: (error as Error).message }, "discount deleted but the campaign not removed");
    return { outcome: "not_saved" };
  }
  log.info("campaign deleted");
  return { outcome: "deleted" };
}
