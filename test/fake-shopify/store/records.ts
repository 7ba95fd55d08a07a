// State the fake keeps beside the generator's data: what the app creates through the API.

export interface SegmentRecord {
  id: string;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

export type DiscountValue = { kind: "percentage"; percentage: number } | { kind: "amount"; amount: string; appliesOnEachItem: boolean };
export type DiscountContext = { kind: "all" } | { kind: "customers"; customerIds: string[] } | { kind: "segments"; segmentIds: string[] };
export type MinimumRequirement = { kind: "quantity"; quantity: string } | { kind: "subtotal"; subtotal: string } | null;

export interface DiscountRecord {
  id: string;
  kind: "basic" | "freeShipping";
  title: string;
  codes: { id: string; code: string }[];
  startsAt: string;
  endsAt: string | null;
  value: DiscountValue | null;
  context: DiscountContext;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  minimumRequirement: MinimumRequirement;
  createdAt: string;
  updatedAt: string;
}

export interface MetafieldDefinitionRecord {
  id: string;
  name: string;
  namespace: string;
  key: string;
  type: string;
  ownerType: string;
  description: string | null;
  pinned: boolean;
  adminFilterable: boolean;
  smartCollectionCondition: boolean;
  uniqueValues: boolean;
  createdAt: string;
}

export interface FlowTriggerCall {
  handle: string;
  payload: unknown;
  receivedAt: string;
  payloadBytes: number;
}

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";
export type BulkType = "QUERY" | "MUTATION";

export interface BulkOperationRecord {
  id: string;
  type: BulkType;
  status: BulkStatus;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  query: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  filePath: string | null;
  url: string | null;
  partialDataUrl: string | null;
  cancelRequested: boolean;
}

export interface TokenRecord {
  token: string;
  shop: string;
  scope: string[];
  online: boolean;
  userId: string | null;
  expiresAt: number | null;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  revoked: boolean;
}
