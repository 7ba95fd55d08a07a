import { execute, parse, validate, GraphQLError, Kind, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from "graphql";
import type { AdminContext } from "./context";
import { adminSchema } from "./schema";
import { queryResolvers } from "./resolvers/query";
import { mutationResolvers } from "./resolvers/mutation";
import { actualQueryCost, requestedQueryCost } from "../cost";
import { MAX_SINGLE_QUERY_COST, type LeakyBucket, type ThrottleStatus } from "../throttle";

const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

export interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminResponse {
  status: number;
  body: { data?: unknown; errors?: unknown; extensions?: { cost: CostExtension } };
}

/** graphql-js wording replaced by Shopify's for the error apps most often see. */
function shopifyFlavour(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  const undefinedField = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message);
  if (undefinedField) {
    return { ...formatted, message: `Field '${undefinedField[1]}' doesn't exist on type '${undefinedField[2]}'`, extensions: { code: "undefinedField", typeName: undefinedField[2], fieldName: undefinedField[1] } };
  }
  return formatted;
}

const typeResolver = (value: unknown): string | undefined =>
  value && typeof value === "object" && "__typename" in value && typeof value.__typename === "string" ? value.__typename : undefined;

export function parseDocument(source: string): DocumentNode | GraphQLError {
  try {
    return parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

export function operationKind(document: DocumentNode, operationName?: string | null): "query" | "mutation" | "subscription" | null {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  return op?.operation ?? null;
}

/** Runs a document against the shop with no cost accounting: the bulk runners use it. */
export async function executeUnmetered(ctx: AdminContext, document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null) {
  const kind = operationKind(document, operationName);
  return execute({
    schema: adminSchema(),
    document,
    rootValue: kind === "mutation" ? mutationResolvers : queryResolvers,
    contextValue: ctx,
    variableValues: variables,
    operationName: operationName ?? undefined,
    typeResolver,
  });
}

/** Shopify refuses any input array longer than this, in every API (shopify.dev/docs/api/usage/limits). */
export const MAX_INPUT_ARRAY = 250;

/** The first array in the variables longer than MAX_INPUT_ARRAY, with its path; null when none is. */
function oversizedInputArray(value: unknown, path: (string | number)[] = []): { size: number; path: (string | number)[] } | null {
  if (Array.isArray(value)) {
    if (value.length > MAX_INPUT_ARRAY) return { size: value.length, path };
    for (let i = 0; i < value.length; i++) {
      const found = oversizedInputArray(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const found = oversizedInputArray(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

export async function executeAdmin(ctx: AdminContext, bucket: LeakyBucket, body: GraphqlBody): Promise<AdminResponse> {
  const counters = ctx.store.counters;
  counters.requests++;
  const cost = (requested: number, actual: number | null): { cost: CostExtension } => ({
    cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() },
  });
  if (typeof body.query !== "string" || body.query.trim() === "") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } as AdminResponse["body"] };
  }
  const variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  const schema = adminSchema();
  const document = parseDocument(body.query);
  if (document instanceof GraphQLError) return { status: 200, body: { errors: [document.toJSON()], extensions: cost(0, 0) } };
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { status: 200, body: { errors: invalid.map(shopifyFlavour), extensions: cost(0, 0) } };

  const oversized = oversizedInputArray(variables);
  if (oversized) {
    const message = `The input array size of ${oversized.size} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`;
    return { status: 200, body: { errors: [{ message, path: oversized.path, extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } }], extensions: cost(0, 0) } };
  }

  const requested = requestedQueryCost(schema, document, variables, operationName);
  if (requested.errors.length > 0) {
    return { status: 200, body: { data: null, errors: requested.errors.map((e) => e.toJSON()), extensions: cost(requested.cost, 0) } };
  }
  if (requested.cost > MAX_SINGLE_QUERY_COST) {
    counters.maxCostExceeded++;
    const message =
      `Query cost is ${requested.cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n";
    return {
      status: 200,
      body: {
        errors: [{ message, extensions: { code: "MAX_COST_EXCEEDED", cost: requested.cost, maxCost: MAX_SINGLE_QUERY_COST, documentation: RATE_LIMIT_DOCS } }],
        extensions: cost(requested.cost, null),
      },
    };
  }
  if (!bucket.tryTake(requested.cost)) {
    counters.throttled++;
    return {
      status: 200,
      body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }], extensions: cost(requested.cost, null) },
    };
  }
  const result = await executeUnmetered(ctx, document, variables, operationName);
  const actual = Math.min(requested.cost, actualQueryCost(schema, document, variables, result.data as Record<string, unknown> | null, operationName));
  bucket.refund(requested.cost - actual);
  counters.costSpent += actual;
  const responseBody: AdminResponse["body"] = { data: result.data ?? null };
  if (result.errors?.length) responseBody.errors = result.errors.map((e) => e.toJSON());
  responseBody.extensions = cost(requested.cost, actual);
  return { status: 200, body: responseBody };
}
