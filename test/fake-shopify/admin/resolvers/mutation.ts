import { tagsAdd, tagsRemove } from "./tags";
import { metafieldDefinitionCreate, metafieldsSet } from "./metafields";
import { segmentCreate } from "./segments";
import { discountCodeBasicCreate, discountCodeDelete, discountCodeFreeShippingCreate } from "./discounts";
import { flowTriggerReceive } from "./flow";
import { stagedUploadsCreate } from "./staged";
import { guarded } from "../scopes";
import { bulkOperationCancel, bulkOperationRunMutation, bulkOperationRunQuery } from "./bulk";

export const mutationResolvers = guarded({
  tagsAdd,
  tagsRemove,
  metafieldsSet,
  metafieldDefinitionCreate,
  segmentCreate,
  discountCodeBasicCreate,
  discountCodeFreeShippingCreate,
  discountCodeDelete,
  flowTriggerReceive,
  stagedUploadsCreate,
  bulkOperationRunQuery,
  bulkOperationRunMutation,
  bulkOperationCancel,
});
