import {
  Kind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  validate,
  type DocumentNode,
  type FieldNode,
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
  via: "edges" | "nodes";
  children: NestedConnection[];
}

export interface BulkQueryPlan {
  document: DocumentNode;
  rootField: string;
  rootKey: string;
  rootVia: "edges" | "nodes";
  rootArgs: FieldNode;
  nested: NestedConnection[];
  connectionCount: number;
}

function fieldsOf(set: SelectionSetNode | undefined): FieldNode[] {
  return (set?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

const keyOf = (f: FieldNode): string => f.alias?.value ?? f.name.value;

function nodeSelection(connection: FieldNode): { via: "edges" | "nodes"; set: SelectionSetNode | undefined } | null {
  for (const field of fieldsOf(connection.selectionSet)) {
    if (field.name.value === "nodes") return { via: "nodes", set: field.selectionSet };
    if (field.name.value === "edges") {
      const node = fieldsOf(field.selectionSet).find((f) => f.name.value === "node");
      if (node) return { via: "edges", set: node.selectionSet };
    }
  }
  return null;
}

interface Scan {
  count: number;
}

/** Finds connections under a node's selection, through plain object fields. */
function scanNode(type: GraphQLCompositeType, set: SelectionSetNode | undefined, depth: number, scan: Scan, parentName: string): NestedConnection[] {
  const found: NestedConnection[] = [];
  const walk = (t: GraphQLCompositeType, s: SelectionSetNode | undefined, path: string[]): void => {
    if (!isObjectType(t) && !isInterfaceType(t)) return;
    const defs = t.getFields();
    for (const field of fieldsOf(s)) {
      const def = defs[field.name.value];
      if (!def) continue;
      const named = getNamedType(def.type);
      if (!isObjectType(named) && !isInterfaceType(named)) continue;
      if (named.name.endsWith("Connection")) {
        scan.count++;
        if (depth + 1 > MAX_BULK_NESTING) throw new BulkValidationError(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.`);
        if (!fieldsOf(set).some((f) => f.name.value === "id" && !f.alias)) {
          throw new BulkValidationError(`The parent '${parentName}' field for a nested connection must select the 'id' field. Connection fields without 'id': ${field.name.value}.`);
        }
        const inner = nodeSelection(field);
        if (!inner) throw new BulkValidationError(`The connection '${field.name.value}' must select edges { node } or nodes.`);
        const nodeType = getNamedType(named.getFields().nodes.type) as GraphQLCompositeType;
        found.push({ path: [...path, keyOf(field)], via: inner.via, children: scanNode(nodeType, inner.set, depth + 1, scan, "node") });
      } else {
        walk(named, field.selectionSet, [...path, keyOf(field)]);
      }
    }
  };
  walk(type, set, []);
  return found;
}

/** Shopify's bulk query rules: one query, at least one and at most five connections, nesting at most two deep. */
export function planBulkQuery(query: string): BulkQueryPlan {
  const document = parseDocument(query);
  if (document instanceof Error) throw new BulkValidationError(`Invalid bulk query: ${document.message}`);
  const schema = adminSchema();
  const errors = validate(schema, document);
  if (errors.length > 0) throw new BulkValidationError(`Invalid bulk query: ${errors[0].message}`);
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].operation !== "query") throw new BulkValidationError("Bulk queries must contain exactly one query operation.");
  const roots = fieldsOf(ops[0].selectionSet).filter((f) => !f.name.value.startsWith("__"));
  if (roots.length !== 1) throw new BulkValidationError("Bulk queries must contain exactly one top-level field.");
  const root = roots[0];
  const rootDef = schema.getQueryType()!.getFields()[root.name.value];
  const rootType = getNamedType(rootDef.type);
  if (!rootType.name.endsWith("Connection")) throw new BulkValidationError("Bulk queries must contain at least one connection.");
  if (!BULK_ROOT_FIELDS.has(root.name.value)) throw new BulkValidationError(`The fake runs bulk queries over ${[...BULK_ROOT_FIELDS].join(", ")}, not ${root.name.value}.`);
  const inner = nodeSelection(root);
  if (!inner) throw new BulkValidationError(`The connection '${root.name.value}' must select edges { node } or nodes.`);
  if (!isObjectType(rootType)) throw new BulkValidationError("Bulk queries must contain at least one connection.");
  const nodeType = getNamedType(rootType.getFields().nodes.type) as GraphQLCompositeType;
  const scan: Scan = { count: 1 };
  const nested = scanNode(nodeType, inner.set, 1, scan, root.name.value);
  if (scan.count > MAX_BULK_CONNECTIONS) throw new BulkValidationError(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  return { document, rootField: root.name.value, rootKey: keyOf(root), rootVia: inner.via, rootArgs: root, nested, connectionCount: scan.count };
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
