import { msg } from "../i18n/message";
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { ShopifyPermanentError, type AdminGraphql } from "../shopify/admin-graphql.server";
import {
  DISCOUNT_CODE_BASIC_CREATE_MUTATION,
  type DiscountCodeBasicCreateResult,
  type DiscountCodeBasicInput,
  type DiscountCommonInput,
  type DiscountContextInput,
  type DiscountCreatePayload,
} from "../shopify/operations/discount-code-basic-create";
import {
  DISCOUNT_CODE_FREE_SHIPPING_CREATE_MUTATION,
  type DiscountCodeFreeShippingCreateResult,
  type DiscountCodeFreeShippingInput,
} from "../shopify/operations/discount-code-free-shipping-create";
import { SEGMENT_CREATE_MUTATION, type SegmentCreateResult } from "../shopify/operations/segment-create";
import { SEGMENT_QUERY, type SegmentResult } from "../shopify/operations/segment";
import { SEGMENTS_QUERY, type SegmentsResult } from "../shopify/operations/segments";
import { loadAudience, loadCampaignShop, type CampaignShop } from "./audience.server";
import { deleteDiscount } from "./discount-delete.server";
import { splitAudience } from "./control-group";
import { listingRow, queueListing, SHOPIFY_INPUT_MAX, treatedMembers, type ListingProgress } from "./listing.server";
import { filtersToParams } from "../customers/list.server";
import type { CampaignRequest, FieldErrors } from "./form";
import { guardrails, projectCost, selectAudience, verdict, type AudienceCustomer, type Guardrail, type Projection, type Verdict } from "./guardrails";

// Creating a campaign: guardrails first, then the campaign reserved in the database
// (PENDING), then Shopify (segment, then discount), then the reservation committed
// (ACTIVE). A refusal from Shopify removes the reservation; a commit that fails deletes
// the discount in Shopify again, so no live discount is ever orphaned.

/**
 * Customers one discount lists by id. Shopify documents no cap on the list itself, only
 * 250 per call: creation lists the first 250 and a background job the rest (listing.server.ts),
 * 200 calls at this cap. Larger audiences go by group (a tag segment) instead.
 */
export const MAX_LISTED_CUSTOMERS = 50_000;
/** Customers loaded for a preview; larger audiences are sampled. */
const PREVIEW_SAMPLE = 20_000;
const OPEN_ENDED_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Preview {
  verdict: Verdict;
  projection: Projection;
  guardrails: Guardrail[];
  audienceSize: number;
  volumeExcluded: number;
  expectedHoldouts: number;
  windowDays: number;
  openEnded: boolean;
  sampled: boolean;
  currency: string;
}

export function windowDays(startsAt: Date, endsAt: Date | null): number {
  return endsAt ? Math.max((endsAt.getTime() - startsAt.getTime()) / DAY_MS, 0) : OPEN_ENDED_WINDOW_DAYS;
}

function evaluate(shop: CampaignShop, request: CampaignRequest, audience: AudienceCustomer[], treated: AudienceCustomer[], scale: number, treatedScale: number) {
  const days = windowDays(request.startsAt, request.endsAt);
  const projection = projectCost(
    treated,
    {
      kind: request.discount.kind,
      value: request.discount.value,
      shippingCostPerOrder: request.shippingCostPerOrder,
      windowDays: days,
      oncePerCustomer: request.oncePerCustomer,
      usageLimit: request.usageLimit,
    },
    { horizonWeeks: shop.horizonWeeks, fallbackOrderValue: shop.averageOrderValue, defaultMarginRate: shop.settings.defaultMarginRate, scale: treatedScale },
  );
  const volumeBeforeExclusion = Math.round(audience.filter((c) => c.group === "volume").length * scale);
  const rails = guardrails({
    audience: request.audience.kind,
    customers: treated,
    volumeBeforeExclusion,
    excludeVolume: request.excludeVolume,
    controlShare: request.controlShare,
    projection,
    scale: treatedScale,
    currency: shop.currency,
  });
  return { projection, rails, days, volumeBeforeExclusion };
}

/** The guardrails panel: projected cost and warnings for the form as it stands. */
export async function previewCampaign(db: PrismaClient, shopDomain: string, request: CampaignRequest): Promise<Preview> {
  const shop = await loadCampaignShop(db, shopDomain);
  const loaded = await loadAudience(db, shop.id, request.audience, PREVIEW_SAMPLE);
  const eligible = selectAudience(loaded.customers, request.excludeVolume);
  // The campaign id (and so the exact split) does not exist yet: the expected share stands in.
  const treatedScale = loaded.scale * (1 - request.controlShare);
  const { projection, rails, days, volumeBeforeExclusion } = evaluate(shop, request, loaded.customers, eligible, loaded.scale, treatedScale);
  return {
    verdict: verdict(rails),
    projection,
    guardrails: rails,
    audienceSize: loaded.total,
    volumeExcluded: request.excludeVolume ? volumeBeforeExclusion : 0,
    expectedHoldouts: Math.round(eligible.length * loaded.scale * request.controlShare),
    windowDays: Math.round(days),
    openEnded: request.endsAt === null,
    sampled: loaded.scale !== 1,
    currency: shop.currency,
  };
}

export type CreateOutcome =
  /** `listing`: the members beyond the first 250 being added to the discount in the background; null when none are left. */
  | { outcome: "created"; campaignId: string; listing: ListingProgress | null }
  | { outcome: "invalid"; errors: FieldErrors }
  | { outcome: "blocked"; preview: Preview }
  | { outcome: "needs_confirmation"; preview: Preview }
  | { outcome: "shopify_rejected"; errors: string[]; campaignId: string | null }
  /** Shopify created the discount but the campaign could not be saved: the discount was deleted again (or, if Shopify could not be reached, is named here). */
  | { outcome: "not_saved"; discountDeleted: boolean; discountId: string };

export interface CreateOptions {
  /** The merchant saw the warnings and confirmed. */
  confirmed: boolean;
  now?: Date;
  campaignId?: string;
}

const tagOf = (prefix: string, group: string) => `${prefix}${group.replace(/_/g, "-")}`;

type Plan =
  | { context: "customers"; treated: AudienceCustomer[]; holdouts: AudienceCustomer[] }
  | { context: "segment"; query: string; name: string }
  | { context: "all" };

/**
 * Hold-outs must never be able to use the code. With a control group, the discount
 * lists the treated customers by id: fixed at creation, one atomic Shopify call, and
 * independent of tags that scoring may rewrite. Without one, a group campaign targets
 * Patron's tag segment, which follows customers into and out of the group.
 */
function contextPlan(shop: CampaignShop, request: CampaignRequest, eligible: AudienceCustomer[], campaignId: string): Plan {
  const prefix = shop.settings.tagPrefix;
  // A filter is a snapshot: Shopify has nothing that follows the list's filter, so its members are listed.
  if (request.audience.kind === "customers" || request.audience.kind === "filter" || request.controlShare > 0) {
    const { treatment, control } = splitAudience(campaignId, eligible, request.controlShare);
    return { context: "customers", treated: treatment, holdouts: control };
  }
  if (request.audience.kind === "group") {
    const tag = tagOf(prefix, request.audience.group);
    return { context: "segment", query: `customer_tags CONTAINS '${tag}'`, name: `Patron: customers tagged ${tag}` };
  }
  if (request.excludeVolume) {
    const tag = tagOf(prefix, "volume");
    return { context: "segment", query: `customer_tags NOT CONTAINS '${tag}'`, name: `Patron: customers not tagged ${tag}` };
  }
  return { context: "all" };
}

export function userErrorMessages(payload: { userErrors: { field?: string[] | null; message: string }[] } | null | undefined, what: string): string[] {
  if (!payload) return [`Shopify did not answer the ${what}`];
  return payload.userErrors.map((e) => (e.field?.length ? `${e.field.at(-1)}: ${e.message}` : e.message));
}

export const numericId = (gid: string) => BigInt(gid.slice(gid.lastIndexOf("/") + 1));

export async function createCampaign(
  db: PrismaClient,
  admin: AdminGraphql,
  request: CampaignRequest,
  options: CreateOptions,
): Promise<CreateOutcome> {
  const now = options.now ?? new Date();
  const campaignId = options.campaignId ?? randomUUID();
  const shop = await loadCampaignShop(db, admin.shop);

  if (await db.campaign.findUnique({ where: { shopId_code: { shopId: shop.id, code: request.code } }, select: { id: true } })) {
    return { outcome: "invalid", errors: { code: msg("campaignForm.errors.codeTaken", { code: request.code }) } };
  }
  const loaded = await loadAudience(db, shop.id, request.audience);
  if (loaded.unknownIds.length) {
    return { outcome: "invalid", errors: { customers: msg("campaignForm.errors.unknownCustomers", { count: loaded.unknownIds.length, ids: loaded.unknownIds.slice(0, 5).join(", ") }) } };
  }
  const eligible = selectAudience(loaded.customers, request.excludeVolume);
  const plan = contextPlan(shop, request, eligible, campaignId);
  if (plan.context === "customers" && plan.treated.length > MAX_LISTED_CUSTOMERS) {
    return {
      outcome: "invalid",
      errors:
        request.audience.kind === "filter"
          ? { filter: msg("campaignForm.errors.tooManyInFilter", { treated: plan.treated.length, max: MAX_LISTED_CUSTOMERS }) }
          : { controlPercent: msg("campaignForm.errors.tooManyListed", { treated: plan.treated.length, max: MAX_LISTED_CUSTOMERS }) },
    };
  }
  if (plan.context === "segment" && !shop.settings.autoTagging) {
    return { outcome: "invalid", errors: { audience: msg("campaignForm.errors.taggingOff") } };
  }

  const treated = plan.context === "customers" ? plan.treated : eligible;
  const { projection, rails, days, volumeBeforeExclusion } = evaluate(shop, request, loaded.customers, treated, 1, 1);
  const preview: Preview = {
    verdict: verdict(rails),
    projection,
    guardrails: rails,
    audienceSize: loaded.total,
    volumeExcluded: request.excludeVolume ? volumeBeforeExclusion : 0,
    expectedHoldouts: plan.context === "customers" ? plan.holdouts.length : 0,
    windowDays: Math.round(days),
    openEnded: request.endsAt === null,
    sampled: false,
    currency: shop.currency,
  };
  if (preview.verdict === "block") return { outcome: "blocked", preview };
  if (preview.verdict === "warn" && !options.confirmed) return { outcome: "needs_confirmation", preview };

  const log = logger.child({ shop: shop.domain, campaignId });
  // Shopify last: the campaign is reserved first (its code, dates and members must fit the
  // database), so a value the database refuses never leaves a live discount behind.
  const members = plan.context === "customers" ? [...plan.treated.map((c) => ({ id: c.customerId, holdout: false })), ...plan.holdouts.map((c) => ({ id: c.customerId, holdout: true }))] : [];
  try {
    await reserveCampaign(db, shop.id, campaignId, request, { preview, members });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { outcome: "invalid", errors: { code: msg("campaignForm.errors.codeTaken", { code: request.code }) } };
    }
    throw error;
  }
  let created = false;
  let segment: { id: string; query: string } | null = null;
  try {
    if (plan.context === "segment") {
      const found = await ensureSegment(db, admin, shop.id, plan);
      if ("errors" in found) return { outcome: "shopify_rejected", errors: found.errors, campaignId: null };
      segment = found;
    }
    // Shopify takes 250 ids per call: the first 250 (by id, the job's order) now, the rest in the background.
    const firstListed = plan.context === "customers" ? await treatedMembers(db, shop.id, campaignId, 0, SHOPIFY_INPUT_MAX) : [];
    const context: DiscountContextInput =
      plan.context === "customers"
        ? { customers: { add: firstListed.map((id) => `gid://shopify/Customer/${id}`) } }
        : segment
          ? { customerSegments: { add: [segment.id] } }
          : { all: "ALL" };
    // Shopify's order timestamps have whole seconds: an order placed in the second the
    // campaign was created must still fall inside its window.
    const startsAt = new Date(Math.floor(Math.max(request.startsAt.getTime(), now.getTime()) / 1000) * 1000);
    const common: DiscountCommonInput = {
      title: request.title,
      code: request.code,
      startsAt: startsAt.toISOString(),
      endsAt: request.endsAt?.toISOString() ?? null,
      context,
      usageLimit: request.usageLimit,
      appliesOncePerCustomer: request.oncePerCustomer,
      combinesWith: request.combinesWith,
    };
    let payload: DiscountCreatePayload | null;
    if (request.discount.kind === "free_shipping") {
      const input: DiscountCodeFreeShippingInput = { ...common, destination: { all: true } };
      const result = await admin.request<DiscountCodeFreeShippingCreateResult>(DISCOUNT_CODE_FREE_SHIPPING_CREATE_MUTATION, { freeShippingCodeDiscount: input });
      payload = result.discountCodeFreeShippingCreate;
    } else {
      const value: DiscountCodeBasicInput["customerGets"]["value"] =
        request.discount.kind === "percentage"
          ? { percentage: Math.round(request.discount.value * 100) / 10_000 }
          : { discountAmount: { amount: request.discount.value.toFixed(2), appliesOnEachItem: false } };
      const input: DiscountCodeBasicInput = { ...common, customerGets: { value, items: { all: true } } };
      const result = await admin.request<DiscountCodeBasicCreateResult>(DISCOUNT_CODE_BASIC_CREATE_MUTATION, { basicCodeDiscount: input });
      payload = result.discountCodeBasicCreate;
    }
    const node = payload?.codeDiscountNode;
    if (!node) {
      const errors = userErrorMessages(payload, "discount");
      log.warn({ errors }, "Shopify rejected the campaign discount");
      return { outcome: "shopify_rejected", errors, campaignId: null };
    }
    // Members past the first 250 are listed by a job whose record commits with the campaign.
    const rest = plan.context === "customers" && plan.treated.length > firstListed.length ? listingRow(shop.id, campaignId, plan.treated.length, firstListed.length) : null;
    try {
      await commitCampaign(db, shop.id, campaignId, { startsAt, segment, discountId: numericId(node.id), listing: rest });
    } catch (error) {
      // Or undone: the discount must not stay live with no campaign in Patron.
      log.error({ err: (error as Error).message, discountId: node.id }, "campaign not saved; deleting its discount in Shopify");
      const deletion = await deleteDiscount(admin, node.id, log);
      return { outcome: "not_saved", discountDeleted: deletion.deleted, discountId: node.id };
    }
    created = true;
    log.info({ discountId: node.id, segmentId: segment?.id ?? null, treated: treated.length, holdouts: preview.expectedHoldouts }, "campaign created");
    return { outcome: "created", campaignId, listing: rest ? await queueListing(db, shop.id, rest.id) : null };
  } catch (error) {
    if (error instanceof ShopifyPermanentError) {
      log.warn({ err: error.message }, "Shopify refused a campaign request");
      return { outcome: "shopify_rejected", errors: [error.message], campaignId: null };
    }
    throw error;
  } finally {
    if (!created) await db.campaign.deleteMany({ where: { shopId: shop.id, id: campaignId, status: "PENDING" } });
  }
}

async function reserveCampaign(
  db: PrismaClient,
  shopId: number,
  campaignId: string,
  request: CampaignRequest,
  result: { preview: Preview; members: { id: string; holdout: boolean }[] },
) {
  await db.$transaction(async (tx) => {
    await tx.campaign.create({
      data: {
        shopId,
        id: campaignId,
        title: request.title,
        code: request.code,
        status: "PENDING",
        audience: request.audience.kind,
        group: request.audience.kind === "group" ? request.audience.group : null,
        audienceFilter: request.audience.kind === "filter" ? filtersToParams(request.audience.filters) : undefined,
        excludeVolume: request.excludeVolume,
        discount: request.discount.kind,
        value: request.discount.kind === "free_shipping" ? null : new Prisma.Decimal(request.discount.value),
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        usageLimit: request.usageLimit,
        oncePerCustomer: request.oncePerCustomer,
        combinesOrder: request.combinesWith.orderDiscounts,
        combinesProduct: request.combinesWith.productDiscounts,
        combinesShipping: request.combinesWith.shippingDiscounts,
        controlShare: request.controlShare,
        projection: result.preview as unknown as Prisma.InputJsonValue,
      },
    });
    const rows = result.members.map((m) => ({ shopId, campaignId, customerId: BigInt(m.id), holdout: m.holdout }));
    for (let i = 0; i < rows.length; i += 5000) await tx.campaignMember.createMany({ data: rows.slice(i, i + 5000) });
  });
}

/** The reserved campaign becomes ACTIVE with what Shopify created, with the listing of its remaining members if any. Throws if the reservation is gone. */
async function commitCampaign(
  db: PrismaClient,
  shopId: number,
  campaignId: string,
  result: { startsAt: Date; segment: { id: string; query: string } | null; discountId: bigint; listing: Prisma.BulkActionUncheckedCreateInput | null },
) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { shopId, id: campaignId, status: "PENDING" },
      data: {
        status: "ACTIVE",
        startsAt: result.startsAt,
        segmentId: result.segment ? numericId(result.segment.id) : null,
        segmentQuery: result.segment?.query ?? null,
        discountId: result.discountId,
      },
    });
    if (count !== 1) throw new Error(`campaign ${campaignId} was no longer reserved`);
    if (result.listing) await tx.bulkAction.create({ data: result.listing });
  });
}

/**
 * One Shopify segment per audience query, shared by every campaign that targets it:
 * taken from an earlier campaign if Shopify still has it, else created, else (a name already taken, say by
 * an attempt whose discount Shopify refused) found by name. A refused discount so
 * never strands a segment that only it would have used.
 */
async function ensureSegment(
  db: PrismaClient,
  admin: AdminGraphql,
  shopId: number,
  plan: { query: string; name: string },
): Promise<{ id: string; query: string } | { errors: string[] }> {
  const earlier = await db.campaign.findFirst({
    where: { shopId, segmentQuery: plan.query, segmentId: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { segmentId: true },
  });
  if (earlier?.segmentId) {
    const id = `gid://shopify/Segment/${earlier.segmentId}`;
    // The merchant may have deleted it in Shopify since; then it is made again below.
    const existing = await admin.request<SegmentResult>(SEGMENT_QUERY, { id }, { expectedCost: 2 });
    if (existing.segment?.query === plan.query) return { id, query: plan.query };
  }
  const name = plan.name;
  const result = await admin.request<SegmentCreateResult>(SEGMENT_CREATE_MUTATION, { name, query: plan.query });
  const created = result.segmentCreate?.segment;
  if (created) return { id: created.id, query: created.query };
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const found: SegmentsResult = await admin.request<SegmentsResult>(SEGMENTS_QUERY, { first: 100, after, query: `name:'${name.replace(/'/g, "\\'")}'` }, { expectedCost: 102 });
    const match = found.segments.nodes.find((s) => s.name === name && s.query === plan.query);
    if (match) return { id: match.id, query: match.query };
    if (!found.segments.pageInfo.hasNextPage) break;
    after = found.segments.pageInfo.endCursor;
  }
  return { errors: userErrorMessages(result.segmentCreate, "segment") };
}
