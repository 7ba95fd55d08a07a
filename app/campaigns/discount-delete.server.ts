import type { logger } from "../logger.server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { CODE_DISCOUNT_NODE_QUERY, type CodeDiscountNodeResult } from "../shopify/operations/code-discount-node";
import { DISCOUNT_CODE_DELETE_MUTATION, type DiscountCodeDeleteResult } from "../shopify/operations/discount-code-delete";

export type DiscountDeletion = { deleted: true } | { deleted: false; errors: string[]; unreachable: boolean };

/**
 * Deletes a code discount in Shopify. A discount Shopify no longer has (the merchant
 * deleted it in admin, or an earlier attempt got through) counts as deleted: Shopify's
 * refusal is checked against `codeDiscountNode`, so a retry is safe. Never throws: when
 * Shopify cannot be reached the answer says so (`unreachable`), with the error.
 */
export async function deleteDiscount(admin: AdminGraphql, discountId: string, log: typeof logger): Promise<DiscountDeletion> {
  try {
    const result = await admin.request<DiscountCodeDeleteResult>(DISCOUNT_CODE_DELETE_MUTATION, { id: discountId });
    if (result.discountCodeDelete?.deletedCodeDiscountId) return { deleted: true };
    const errors = (result.discountCodeDelete?.userErrors ?? []).map((e) => e.message);
    const still = await admin.request<CodeDiscountNodeResult>(CODE_DISCOUNT_NODE_QUERY, { id: discountId }, { expectedCost: 1 });
    if (!still.codeDiscountNode) return { deleted: true };
    log.error({ discountId, errors }, "Shopify refused to delete the discount");
    return { deleted: false, errors: errors.length ? errors : ["Shopify did not delete the discount"], unreachable: false };
  } catch (error) {
    log.error({ discountId, err: (error as Error).message }, "discount not deleted");
    return { deleted: false, errors: [(error as Error).message], unreachable: true };
  }
}
