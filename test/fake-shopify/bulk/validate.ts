import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { adminSchema } from "../admin/schema";
import { parseDocument } from "../admin/execute";

export class BulkValidationError extends Error {}

export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_NESTING = 2;
export const BULK_ROOT_FIELDS = new Set(["customers", "orders", "products", "segments"]);

/** Where a nested connection sits below its parent node, by response keys. */
export interface NestedConnection {
  path: string[];
  children: NestedConnection[];
}

export interface BulkQueryPlan {
  document: DocumentNode;
  rootField: string;
  rootKey: string;
  rootArgs: FieldNode;
  nested: NestedConnection[];
  connectionCount: number;
}

function fieldsOf(set: SelectionSetNode | undefined): FieldNode[] {
  return (set?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

const keyOf = (f: FieldNode): string => f.alias?.value ?? f.name.value;

/** A connection's `edges { node { … } }` selection; null when it selects its items otherwise. */
function nodeSelection(connection: FieldNode): SelectionSetNode | null {
  const edges = fieldsOf(connection.selectionSet).find((f) => f.name.value === "edges");
  const node = fieldsOf(edges?.selectionSet).find((f) => f.name.value === "node");
  return node?.selectionSet ?? null;
}

interface Scan {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  count: number;
  /** Connections selecting `nodes` (or nothing) instead of `edges { node }`. */
  notEdges: string[];
}

/** Finds connections under a node's selection, through plain object and list fields and through fragments. */
function scanNode(type: GraphQLCompositeType, set: SelectionSetNode | undefined, depth: number, scan: Scan, parentConnection: string): NestedConnection[] {
  const found: NestedConnection[] = [];
  const walk = (t: GraphQLCompositeType, s: SelectionSetNode | undefined, path: string[], inList: boolean): void => {
    if (!isObjectType(t) && !isInterfaceType(t)) return;
    const defs = t.getFields();
    for (const selection of s?.selections ?? []) {
      // A fragment's fields land in the same object: walked at the same path, as its type.
      if (selection.kind !== Kind.FIELD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? scan.fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const on = fragment.typeCondition ? scan.schema.getType(fragment.typeCondition.name.value) : t;
        if (on && (isObjectType(on) || isInterfaceType(on))) walk(on, fragment.selectionSet, path, inList);
        continue;
      }
      const field = selection;
      const def = defs[field.name.value];
      if (!def) continue;
      const named = getNamedType(def.type);
      if (!isObjectType(named) && !isInterfaceType(named)) continue;
      if (named.name.endsWith("Connection")) {
        // An order's refunds (a list) with their line items (a connection) cannot be exported.
        if (inList) throw new BulkValidationError("Queries that contain a connection field within a list field are not currently supported.");
        scan.count++;
        if (depth + 1 > MAX_BULK_NESTING) throw new BulkValidationError(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.`);
        if (!fieldsOf(set).some((f) => f.name.value === "id" && !f.alias)) {
          throw new BulkValidationError(
            `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${parentConnection}.`,
          );
        }
        const inner = nodeSelection(field);
        if (!inner) scan.notEdges.push(field.name.value);
        const nodeType = getNamedType(named.getFields().nodes.type) as GraphQLCompositeType;
        found.push({ path: [...path, keyOf(field)], children: scanNode(nodeType, inner ?? undefined, depth + 1, scan, field.name.value) });
      } else {
        walk(named, field.selectionSet, [...path, keyOf(field)], inList || isListType(getNullableType(def.type)));
      }
    }
  };
  walk(type, set, [], false);
  return found;
}

/**
 * Shopify's bulk query rules, with its messages: one query with one top-level connection,
 * at most five connections, nesting at most two deep, every connection read through
 * `edges { node }`, none inside a list field, and a node with a nested connection selects `id`.
 */
export function planBulkQuery(query: string): BulkQueryPlan {
  const document = parseDocument(query);
  if (document instanceof Error) throw new BulkValidationError(`Invalid bulk query: ${document.message}`);
  const schema = adminSchema();
  const errors = validate(schema, document);
  if (errors.length > 0) throw new BulkValidationError(`Invalid bulk query: ${errors[0].message}`);
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].operation !== "query") throw new BulkValidationError("Invalid operation type. Only `query` operations are supported.");
  const roots = fieldsOf(ops[0].selectionSet).filter((f) => !f.name.value.startsWith("__"));
  if (roots.some((f) => f.name.value === "node")) throw new BulkValidationError("Bulk queries cannot contain a top level `node` field.");
  if (roots.length !== 1) throw new BulkValidationError("Bulk queries must contain exactly one top-level field.");
  const root = roots[0];
  const rootDef = schema.getQueryType()!.getFields()[root.name.value];
  const rootType = getNamedType(rootDef.type);
  if (!rootType.name.endsWith("Connection") || !isObjectType(rootType)) throw new BulkValidationError("Bulk queries must contain at least one connection.");
  if (!BULK_ROOT_FIELDS.has(root.name.value)) throw new BulkValidationError(`The fake runs bulk queries over ${[...BULK_ROOT_FIELDS].join(", ")}, not ${root.name.value}.`);
  const inner = nodeSelection(root);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const scan: Scan = { schema, fragments, count: 1, notEdges: inner ? [] : [root.name.value] };
  const nodeType = getNamedType(rootType.getFields().nodes.type) as GraphQLCompositeType;
  const nested = scanNode(nodeType, inner ?? undefined, 1, scan, root.name.value);
  if (scan.count > MAX_BULK_CONNECTIONS) throw new BulkValidationError(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  if (scan.notEdges.length) {
    throw new BulkValidationError(
      `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${scan.notEdges[0]} { edges { node {'. ` +
        `Selecting via 'nodes' is not supported. Invalid connection fields: ${scan.notEdges.map((n) => `'${n}'`).join(", ")}.`,
    );
  }
  return { document, rootField: root.name.value, rootKey: keyOf(root), rootArgs: root, nested, connectionCount: scan.count };
}

export interface BulkMutationPlan {
  document: DocumentNode;
  rootField: string;
}

export function planBulkMutation(mutation: string): BulkMutationPlan {
  const document = parseDocument(mutation);
  if (document instanceof Error) throw new BulkValidationError(`Invalid mutation: ${document.message}`);
  const errors = validate(adminSchema(), document);
  if (errors.length > 0) throw new BulkValidationError(`Invalid mutation: ${errors[0].message}`);
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].operation !== "mutation") throw new BulkValidationError("Bulk mutations must contain exactly one mutation operation.");
  const roots = fieldsOf(ops[0].selectionSet);
  if (roots.length !== 1) throw new BulkValidationError("Bulk mutations must call exactly one mutation field.");
  if (roots[0].name.value.startsWith("bulkOperation")) throw new BulkValidationError(`${roots[0].name.value} cannot be run as a bulk mutation.`);
  return { document, rootField: roots[0].name.value };
}
