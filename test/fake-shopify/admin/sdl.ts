// The subset of Shopify's Admin GraphQL schema (2026-07) the fake serves. Field names,
// nullability and argument names follow shopify.dev so a query that Shopify would
// reject fails validation here too.
export const adminSdl = /* GraphQL */ `
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar UnsignedInt64
scalar JSON

interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

enum CurrencyCode { USD EUR GBP CAD AUD NZD JPY CHF SEK NOK DKK PLN CZK HUF INR BRL MXN SGD HKD ZAR AED ILS KRW TRY RON BGN CNY TWD THB MYR IDR PHP }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

type ShopPlan { displayName: String! partnerDevelopment: Boolean! shopifyPlus: Boolean! publicDisplayName: String! }
type Shop implements Node {
  id: ID! name: String! email: String! currencyCode: CurrencyCode! plan: ShopPlan! myshopifyDomain: String! url: URL! createdAt: DateTime!
  ianaTimezone: String! timezoneAbbreviation: String! timezoneOffset: String! timezoneOffsetMinutes: Int! taxesIncluded: Boolean!
}

enum CustomerEmailMarketingState { INVALID NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
enum CustomerSmsMarketingState { NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
enum CustomerMarketingOptInLevel { CONFIRMED_OPT_IN SINGLE_OPT_IN UNKNOWN }
type CustomerEmailMarketingConsentState { marketingState: CustomerEmailMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel consentUpdatedAt: DateTime }
type CustomerSmsMarketingConsentState { marketingState: CustomerSmsMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel! consentUpdatedAt: DateTime }
type CustomerEmailAddress { emailAddress: String! marketingState: CustomerEmailMarketingState! }
type CustomerPhoneNumber { phoneNumber: String! marketingState: CustomerSmsMarketingState! }

enum CustomerRfmGroup { ACTIVE ALMOST_LOST AT_RISK CHAMPIONS DORMANT LOYAL NEEDS_ATTENTION NEW PREVIOUSLY_LOYAL PROMISING PROSPECTS }
enum CustomerPredictedSpendTier { HIGH LOW MEDIUM }
type CustomerStatistics { predictedSpendTier: CustomerPredictedSpendTier rfmGroup: CustomerRfmGroup }

enum CustomerSortKeys { CREATED_AT ID LOCATION NAME RELEVANCE UPDATED_AT }
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME FINANCIAL_STATUS ID NUMBER ORDER_NUMBER PROCESSED_AT RELEVANCE TOTAL_PRICE UPDATED_AT }
enum ProductSortKeys { CREATED_AT ID TITLE UPDATED_AT VENDOR PRODUCT_TYPE }

type Customer implements Node {
  id: ID!
  firstName: String
  lastName: String
  displayName: String!
  email: String
  phone: String
  defaultEmailAddress: CustomerEmailAddress
  defaultPhoneNumber: CustomerPhoneNumber
  tags: [String!]!
  note: String
  amountSpent: MoneyV2!
  numberOfOrders: UnsignedInt64!
  emailMarketingConsent: CustomerEmailMarketingConsentState
  smsMarketingConsent: CustomerSmsMarketingConsentState
  createdAt: DateTime!
  updatedAt: DateTime!
  statistics: CustomerStatistics!
  lastOrder: Order
  metafield(namespace: String, key: String!): Metafield
  metafields(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, namespace: String, keys: [String!]): MetafieldConnection!
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String, sortKey: OrderSortKeys = ID): OrderConnection!
}
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

enum MetafieldOwnerType { CUSTOMER ORDER PRODUCT PRODUCTVARIANT SHOP }
type Metafield implements Node {
  id: ID! namespace: String! key: String! type: String! value: String! jsonValue: JSON! compareDigest: String!
  createdAt: DateTime! updatedAt: DateTime! ownerType: MetafieldOwnerType! definition: MetafieldDefinition
}
type MetafieldEdge { cursor: String! node: Metafield! }
type MetafieldConnection { edges: [MetafieldEdge!]! nodes: [Metafield!]! pageInfo: PageInfo! }

type MetafieldDefinitionType { name: String! category: String! }
type MetafieldCapabilityAdminFilterable { eligible: Boolean! enabled: Boolean! }
type MetafieldCapabilitySmartCollectionCondition { eligible: Boolean! enabled: Boolean! }
type MetafieldCapabilityUniqueValues { eligible: Boolean! enabled: Boolean! }
type MetafieldCapabilities {
  adminFilterable: MetafieldCapabilityAdminFilterable!
  smartCollectionCondition: MetafieldCapabilitySmartCollectionCondition!
  uniqueValues: MetafieldCapabilityUniqueValues!
}
type MetafieldDefinition implements Node {
  id: ID! name: String! namespace: String! key: String! description: String type: MetafieldDefinitionType!
  ownerType: MetafieldOwnerType! pinnedPosition: Int capabilities: MetafieldCapabilities!
}
type MetafieldDefinitionEdge { cursor: String! node: MetafieldDefinition! }
type MetafieldDefinitionConnection { edges: [MetafieldDefinitionEdge!]! nodes: [MetafieldDefinition!]! pageInfo: PageInfo! }

type InventoryItem implements Node { id: ID! unitCost: MoneyV2 tracked: Boolean! sku: String }
type ProductVariant implements Node {
  id: ID! title: String! displayName: String! sku: String price: Money! compareAtPrice: Money product: Product! inventoryItem: InventoryItem!
}
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }
type Product implements Node {
  id: ID! title: String! productType: String! vendor: String! createdAt: DateTime! updatedAt: DateTime! isGiftCard: Boolean!
  variants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ProductVariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

enum DiscountApplicationAllocationMethod { ACROSS EACH ONE }
enum DiscountApplicationTargetSelection { ALL ENTITLED EXPLICIT }
enum DiscountApplicationTargetType { LINE_ITEM SHIPPING_LINE }
type PricingPercentageValue { percentage: Float! }
union PricingValue = MoneyV2 | PricingPercentageValue
interface DiscountApplication {
  allocationMethod: DiscountApplicationAllocationMethod! index: Int! targetSelection: DiscountApplicationTargetSelection!
  targetType: DiscountApplicationTargetType! value: PricingValue!
}
type DiscountCodeApplication implements DiscountApplication {
  allocationMethod: DiscountApplicationAllocationMethod! index: Int! targetSelection: DiscountApplicationTargetSelection!
  targetType: DiscountApplicationTargetType! value: PricingValue! code: String!
}
type AutomaticDiscountApplication implements DiscountApplication {
  allocationMethod: DiscountApplicationAllocationMethod! index: Int! targetSelection: DiscountApplicationTargetSelection!
  targetType: DiscountApplicationTargetType! value: PricingValue! title: String!
}
type ManualDiscountApplication implements DiscountApplication {
  allocationMethod: DiscountApplicationAllocationMethod! index: Int! targetSelection: DiscountApplicationTargetSelection!
  targetType: DiscountApplicationTargetType! value: PricingValue! title: String! description: String
}
type ScriptDiscountApplication implements DiscountApplication {
  allocationMethod: DiscountApplicationAllocationMethod! index: Int! targetSelection: DiscountApplicationTargetSelection!
  targetType: DiscountApplicationTargetType! value: PricingValue! title: String!
}
type DiscountApplicationEdge { cursor: String! node: DiscountApplication! }
type DiscountApplicationConnection { edges: [DiscountApplicationEdge!]! nodes: [DiscountApplication!]! pageInfo: PageInfo! }
type DiscountAllocation { allocatedAmountSet: MoneyBag! discountApplication: DiscountApplication! }

type TaxLine { title: String! rate: Float ratePercentage: Float priceSet: MoneyBag! channelLiable: Boolean source: String }
type LineItem implements Node {
  id: ID! name: String! title: String! sku: String quantity: Int! currentQuantity: Int! unfulfilledQuantity: Int! refundableQuantity: Int!
  isGiftCard: Boolean! taxable: Boolean! requiresShipping: Boolean! taxLines(first: Int): [TaxLine!]! vendor: String variantTitle: String
  originalUnitPriceSet: MoneyBag! discountedUnitPriceSet: MoneyBag! originalTotalSet: MoneyBag! discountedTotalSet: MoneyBag!
  discountedUnitPriceAfterAllDiscountsSet: MoneyBag!
  totalDiscountSet: MoneyBag! variant: ProductVariant product: Product discountAllocations: [DiscountAllocation!]!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
type RefundLineItem {
  id: ID lineItem: LineItem! quantity: Int! restockType: RefundLineItemRestockType! restocked: Boolean!
  subtotalSet: MoneyBag! priceSet: MoneyBag! totalTaxSet: MoneyBag!
}
type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
type RefundLineItemConnection { edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo! }

enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
type OrderTransaction implements Node {
  id: ID! kind: OrderTransactionKind! status: OrderTransactionStatus! gateway: String formattedGateway: String
  amountSet: MoneyBag! createdAt: DateTime! processedAt: DateTime test: Boolean!
}
type OrderTransactionEdge { cursor: String! node: OrderTransaction! }
type OrderTransactionConnection { edges: [OrderTransactionEdge!]! nodes: [OrderTransaction!]! pageInfo: PageInfo! }

type ShippingLine { id: ID title: String! code: String originalPriceSet: MoneyBag! discountedPriceSet: MoneyBag! taxLines: [TaxLine!]! isRemoved: Boolean! }
type ShippingLineEdge { cursor: String! node: ShippingLine! }
type ShippingLineConnection { edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo! }
type RefundShippingLine implements Node { id: ID! shippingLine: ShippingLine! subtotalAmountSet: MoneyBag! taxAmountSet: MoneyBag! }
type RefundShippingLineEdge { cursor: String! node: RefundShippingLine! }
type RefundShippingLineConnection { edges: [RefundShippingLineEdge!]! nodes: [RefundShippingLine!]! pageInfo: PageInfo! }

enum OrderAdjustmentDiscrepancyReason { CUSTOMER DAMAGE FULL_RETURN_BALANCING_ADJUSTMENT PENDING_REFUND_DISCREPANCY REFUND_DISCREPANCY RESTOCK }
type OrderAdjustment implements Node { id: ID! amountSet: MoneyBag! taxAmountSet: MoneyBag! reason: OrderAdjustmentDiscrepancyReason }
type OrderAdjustmentEdge { cursor: String! node: OrderAdjustment! }
type OrderAdjustmentConnection { edges: [OrderAdjustmentEdge!]! nodes: [OrderAdjustment!]! pageInfo: PageInfo! }

type Refund implements Node {
  id: ID! createdAt: DateTime updatedAt: DateTime! note: String totalRefundedSet: MoneyBag!
  refundLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundLineItemConnection!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderTransactionConnection!
  refundShippingLines(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundShippingLineConnection!
  orderAdjustments(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderAdjustmentConnection!
}

enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
type Order implements Node {
  id: ID! name: String! createdAt: DateTime! processedAt: DateTime! updatedAt: DateTime! cancelledAt: DateTime cancelReason: OrderCancelReason
  closedAt: DateTime closed: Boolean! customer: Customer email: String phone: String currencyCode: CurrencyCode! presentmentCurrencyCode: CurrencyCode!
  displayFinancialStatus: OrderDisplayFinancialStatus sourceName: String tags: [String!]! test: Boolean! taxesIncluded: Boolean! edited: Boolean!
  paymentGatewayNames: [String!]!
  subtotalPriceSet: MoneyBag totalPriceSet: MoneyBag! currentTotalPriceSet: MoneyBag! currentSubtotalPriceSet: MoneyBag!
  totalDiscountsSet: MoneyBag currentTotalDiscountsSet: MoneyBag! totalRefundedSet: MoneyBag! totalRefundedShippingSet: MoneyBag!
  totalShippingPriceSet: MoneyBag! currentShippingPriceSet: MoneyBag! totalTaxSet: MoneyBag currentTotalTaxSet: MoneyBag!
  totalLineItemsPriceSet: MoneyBag! totalReceivedSet: MoneyBag! netPaymentSet: MoneyBag!
  subtotalLineItemsQuantity: Int! currentSubtotalLineItemsQuantity: Int!
  discountCode: String discountCodes: [String!]!
  transactions(first: Int): [OrderTransaction!]!
  shippingLines(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, includeRemovals: Boolean = false): ShippingLineConnection!
  discountApplications(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): DiscountApplicationConnection!
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  refunds(first: Int): [Refund!]!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type Segment implements Node { id: ID! name: String! query: String! creationDate: DateTime! lastEditDate: DateTime! }
type SegmentEdge { cursor: String! node: Segment! }
type SegmentConnection { edges: [SegmentEdge!]! nodes: [Segment!]! pageInfo: PageInfo! }
type CustomerSegmentMember {
  id: ID! firstName: String lastName: String displayName: String! defaultEmailAddress: CustomerEmailAddress
  amountSpent: MoneyV2 numberOfOrders: UnsignedInt64!
}
type CustomerSegmentMemberEdge { cursor: String! node: CustomerSegmentMember! }
type CustomerSegmentMemberConnection { edges: [CustomerSegmentMemberEdge!]! pageInfo: PageInfo! totalCount: Int! }
type SegmentMembership { segmentId: ID! isMember: Boolean! }
type SegmentMembershipResponse { memberships: [SegmentMembership!]! }

enum DiscountStatus { ACTIVE EXPIRED SCHEDULED }
type DiscountRedeemCode { id: ID! code: String! asyncUsageCount: Int! }
type DiscountRedeemCodeEdge { cursor: String! node: DiscountRedeemCode! }
type DiscountRedeemCodeConnection { edges: [DiscountRedeemCodeEdge!]! nodes: [DiscountRedeemCode!]! pageInfo: PageInfo! }
type Count { count: Int! }
type DiscountPercentage { percentage: Float! }
type DiscountAmount { amount: MoneyV2! appliesOnEachItem: Boolean! }
union DiscountCustomerGetsValue = DiscountPercentage | DiscountAmount
type AllDiscountItems { allItems: Boolean! }
union DiscountItems = AllDiscountItems
type DiscountCustomerGets { value: DiscountCustomerGetsValue! items: DiscountItems! }
enum DiscountBuyerSelection { ALL }
type DiscountBuyerSelectionAll { all: DiscountBuyerSelection! }
type DiscountCustomers { customers: [Customer!]! }
type DiscountCustomerSegments { segments: [Segment!]! }
union DiscountContext = DiscountBuyerSelectionAll | DiscountCustomers | DiscountCustomerSegments
type DiscountCombinesWith { orderDiscounts: Boolean! productDiscounts: Boolean! shippingDiscounts: Boolean! }
type DiscountMinimumQuantity { greaterThanOrEqualToQuantity: UnsignedInt64! }
type DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal: MoneyV2! }
union DiscountMinimumRequirement = DiscountMinimumQuantity | DiscountMinimumSubtotal
type DiscountCodeBasic {
  title: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime asyncUsageCount: Int! usageLimit: Int
  appliesOncePerCustomer: Boolean! codes(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): DiscountRedeemCodeConnection!
  codesCount: Count customerGets: DiscountCustomerGets! context: DiscountContext! combinesWith: DiscountCombinesWith!
  minimumRequirement: DiscountMinimumRequirement createdAt: DateTime! updatedAt: DateTime! summary: String!
}
type DiscountCodeFreeShipping {
  title: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime asyncUsageCount: Int! usageLimit: Int
  appliesOncePerCustomer: Boolean! codes(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): DiscountRedeemCodeConnection!
  codesCount: Count context: DiscountContext! combinesWith: DiscountCombinesWith! minimumRequirement: DiscountMinimumRequirement
  createdAt: DateTime! updatedAt: DateTime! summary: String!
}
union DiscountCode = DiscountCodeBasic | DiscountCodeFreeShipping
type DiscountCodeNode implements Node { id: ID! codeDiscount: DiscountCode! }

enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationType { MUTATION QUERY }
type BulkOperation implements Node {
  id: ID! status: BulkOperationStatus! errorCode: BulkOperationErrorCode objectCount: UnsignedInt64! rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64 url: URL partialDataUrl: URL createdAt: DateTime! completedAt: DateTime query: String! type: BulkOperationType!
}
type BulkOperationEdge { cursor: String! node: BulkOperation! }
type BulkOperationConnection { edges: [BulkOperationEdge!]! nodes: [BulkOperation!]! pageInfo: PageInfo! }

type Query {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  customer(id: ID!): Customer
  customers(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String, sortKey: CustomerSortKeys = ID): CustomerConnection!
  order(id: ID!): Order
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String, sortKey: OrderSortKeys = PROCESSED_AT): OrderConnection!
  product(id: ID!): Product
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String, sortKey: ProductSortKeys = ID): ProductConnection!
  productVariant(id: ID!): ProductVariant
  segment(id: ID!): Segment
  segments(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): SegmentConnection!
  customerSegmentMembers(segmentId: ID, query: String, first: Int, after: String, last: Int, before: String, reverse: Boolean = false): CustomerSegmentMemberConnection!
  customerSegmentMembership(segmentIds: [ID!]!, customerId: ID!): SegmentMembershipResponse!
  codeDiscountNode(id: ID!): DiscountCodeNode
  codeDiscountNodeByCode(code: String!): DiscountCodeNode
  metafieldDefinitions(ownerType: MetafieldOwnerType!, namespace: String, key: String, first: Int, after: String, last: Int, before: String, reverse: Boolean = false): MetafieldDefinitionConnection!
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  bulkOperations(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): BulkOperationConnection!
}

type UserError { field: [String!] message: String! }

type TagsAddPayload { node: Node userErrors: [UserError!]! }
type TagsRemovePayload { node: Node userErrors: [UserError!]! }

input MetafieldsSetInput { ownerId: ID! namespace: String key: String! value: String! type: String compareDigest: String }
enum MetafieldsSetUserErrorCode { APP_NOT_AUTHORIZED BLANK INCLUSION INVALID INVALID_COMPARE_DIGEST INVALID_TYPE INVALID_VALUE LESS_THAN_OR_EQUAL_TO PRESENT STALE_OBJECT TAKEN TOO_LONG TOO_SHORT CAPABILITY_VIOLATION }
type MetafieldsSetUserError { field: [String!] message: String! code: MetafieldsSetUserErrorCode elementIndex: Int }
type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }

input MetafieldCapabilityAdminFilterableInput { enabled: Boolean! }
input MetafieldCapabilitySmartCollectionConditionInput { enabled: Boolean! }
input MetafieldCapabilityUniqueValuesInput { enabled: Boolean! }
input MetafieldCapabilityCreateInput {
  adminFilterable: MetafieldCapabilityAdminFilterableInput
  smartCollectionCondition: MetafieldCapabilitySmartCollectionConditionInput
  uniqueValues: MetafieldCapabilityUniqueValuesInput
}
input MetafieldDefinitionValidationInput { name: String! value: String! }
input MetafieldDefinitionInput {
  name: String! namespace: String key: String! type: String! ownerType: MetafieldOwnerType! description: String
  validations: [MetafieldDefinitionValidationInput!] pin: Boolean = false capabilities: MetafieldCapabilityCreateInput
}
enum MetafieldDefinitionCreateUserErrorCode { INVALID TAKEN BLANK TOO_LONG INCLUSION INVALID_CAPABILITY RESERVED_NAMESPACE_KEY UNSTRUCTURED_ALREADY_EXISTS }
type MetafieldDefinitionCreateUserError { field: [String!] message: String! code: MetafieldDefinitionCreateUserErrorCode }
type MetafieldDefinitionCreatePayload { createdDefinition: MetafieldDefinition userErrors: [MetafieldDefinitionCreateUserError!]! }

type SegmentCreatePayload { segment: Segment userErrors: [UserError!]! }

input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput }
input DiscountItemsInput { all: Boolean }
input DiscountCustomerGetsInput { value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean }
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
input DiscountCustomerSegmentsInput { add: [ID!] remove: [ID!] }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput customerSegments: DiscountCustomerSegmentsInput }
input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
input DiscountMinimumQuantityInput { greaterThanOrEqualToQuantity: UnsignedInt64 }
input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
input DiscountMinimumRequirementInput { quantity: DiscountMinimumQuantityInput subtotal: DiscountMinimumSubtotalInput }
input DiscountCodeBasicInput {
  title: String code: String startsAt: DateTime endsAt: DateTime customerGets: DiscountCustomerGetsInput context: DiscountContextInput
  usageLimit: Int appliesOncePerCustomer: Boolean combinesWith: DiscountCombinesWithInput minimumRequirement: DiscountMinimumRequirementInput
}
input DiscountShippingDestinationSelectionInput { all: Boolean }
input DiscountCodeFreeShippingInput {
  title: String code: String startsAt: DateTime endsAt: DateTime context: DiscountContextInput usageLimit: Int appliesOncePerCustomer: Boolean
  combinesWith: DiscountCombinesWithInput minimumRequirement: DiscountMinimumRequirementInput destination: DiscountShippingDestinationSelectionInput
  maximumShippingPrice: Decimal
}
enum DiscountErrorCode { BLANK INVALID TAKEN TOO_LONG TOO_SHORT VALUE_OUTSIDE_RANGE EXCEEDED_MAX CONFLICT PRESENT MISSING_ARGUMENT GREATER_THAN INVALID_DATE_TIME_RANGE }
type DiscountUserError { field: [String!] message: String! code: DiscountErrorCode extraInfo: String }
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeDeletePayload { deletedCodeDiscountId: ID userErrors: [DiscountUserError!]! }
type DiscountCodeBasicUpdatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeFreeShippingUpdatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeDeactivatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }

type FlowTriggerReceivePayload { userErrors: [UserError!]! }

enum StagedUploadTargetGenerateUploadResource { BULK_MUTATION_VARIABLES COLLECTION_IMAGE FILE IMAGE PRODUCT_IMAGE SHOP_IMAGE URL_REDIRECT_IMPORT VIDEO MODEL_3D }
enum StagedUploadHttpMethodType { POST PUT }
input StagedUploadInput { resource: StagedUploadTargetGenerateUploadResource! filename: String! mimeType: String! httpMethod: StagedUploadHttpMethodType = PUT fileSize: UnsignedInt64 }
type StagedUploadParameter { name: String! value: String! }
type StagedMediaUploadTarget { url: URL resourceUrl: URL parameters: [StagedUploadParameter!]! }
type StagedUploadsCreatePayload { stagedTargets: [StagedMediaUploadTarget!] userErrors: [UserError!]! }

enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS NO_SUCH_FILE INTERNAL_FILE_SERVER_ERROR }
type BulkOperationUserError { field: [String!] message: String! code: BulkOperationUserErrorCode }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
type BulkOperationRunMutationPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
type BulkOperationCancelPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }

type Mutation {
  tagsAdd(id: ID!, tags: [String!]!): TagsAddPayload
  tagsRemove(id: ID!, tags: [String!]!): TagsRemovePayload
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  metafieldDefinitionCreate(definition: MetafieldDefinitionInput!): MetafieldDefinitionCreatePayload
  segmentCreate(name: String!, query: String!): SegmentCreatePayload
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
  discountCodeDelete(id: ID!): DiscountCodeDeletePayload
  discountCodeBasicUpdate(id: ID!, basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicUpdatePayload
  discountCodeFreeShippingUpdate(id: ID!, freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingUpdatePayload
  discountCodeDeactivate(id: ID!): DiscountCodeDeactivatePayload
  flowTriggerReceive(handle: String, payload: JSON): FlowTriggerReceivePayload
  stagedUploadsCreate(input: [StagedUploadInput!]!): StagedUploadsCreatePayload
  bulkOperationRunQuery(query: String!, groupObjects: Boolean = false): BulkOperationRunQueryPayload
  bulkOperationRunMutation(mutation: String!, stagedUploadPath: String!, clientIdentifier: String, groupObjects: Boolean = false): BulkOperationRunMutationPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
}
`;
