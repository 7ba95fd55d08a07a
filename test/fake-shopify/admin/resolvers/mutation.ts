import { tagsAdd, tagsRemove } from "./tags";
import { metafieldDefinitionCreate, metafieldsSet } from "./metafields";
import { segmentCreate } from "./segments";
import { discountCodeBasicCreate, discountCodeBasicUpdate, discountCodeDeactivate, discountCodeDelete, discountCodeFreeShippingCreate, discountCodeFreeShippingUpdate } from "./discounts";
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
  discountCodeBasicUpdate,
  discountCodeFreeShippingUpdate,
  discountCodeDeactivate,
  flowTriggerReceive,
  stagedUploadsCreate,
  bulkOperationRunQuery,
  bulkOperationRunMutation,
  bulkOperationCancel,
});
