// Shopify's calculated query cost (shopify.dev "GraphQL Admin API rate limits"):
// scalars and enums 0, objects 1, connections 2 plus `first`/`last` times the cost
// of one node, interfaces and unions the maximum of their possible selections,
// mutations 10. The actual cost redoes the sum over what was returned.
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type GraphQLNamedType,
} from "graphql";

export const MAX_PAGE_SIZE = 250;
export const MUTATION_COST = 10;
export const CONNECTION_COST = 2;

type Variables = Record<string, unknown>;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
  errors: GraphQLError[];
}

function argValue(node: FieldNode, name: string, variables: Variables): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? literal(arg.value, variables) : undefined;
}

function literal(value: ValueNode, variables: Variables): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.INT:
      return Number(value.value);
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

const isConnection = (type: GraphQLNamedType): boolean => type.name.endsWith("Connection");

function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

interface Grouped {
  common: FieldNode[];
  byType: Map<string, FieldNode[]>;
}

/** Fields that always apply, and fields that apply only for one concrete type of an abstract parent. */
function group(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode, into: Grouped = { common: [], byType: new Map() }, condition?: string): Grouped {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (condition) into.byType.set(condition, [...(into.byType.get(condition) ?? []), sel]);
      else into.common.push(sel);
    } else {
      const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? walk.fragments.get(sel.name.value) : sel;
      if (!fragment) continue;
      const typeName = fragment.typeCondition?.name.value;
      const applies = !typeName || typeName === parent.name || !isAbstractType(parent) ? condition : typeName;
      group(walk, parent, fragment.selectionSet, into, applies);
    }
  }
  return into;
}

function typeFor(walk: Walk, parent: GraphQLCompositeType, name: string): GraphQLCompositeType {
  const type = walk.schema.getType(name);
  return type && (isObjectType(type) || isInterfaceType(type)) ? type : parent;
}

function selectionCost(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode | undefined, path: string[]): number {
  if (!set) return 0;
  const grouped = group(walk, parent, set);
  const sum = (fields: FieldNode[], type: GraphQLCompositeType): number => fields.reduce((total, f) => total + fieldCost(walk, type, f, path), 0);
  let max = 0;
  for (const [typeName, fields] of grouped.byType) max = Math.max(max, sum(fields, typeFor(walk, parent, typeName)));
  return sum(grouped.common, parent) + max;
}

function pageSize(walk: Walk, node: FieldNode, path: string[]): number {
  const first = argValue(node, "first", walk.variables);
  const last = argValue(node, "last", walk.variables);
  const size = typeof first === "number" ? first : typeof last === "number" ? last : null;
  const fieldPath = [...path, node.alias?.value ?? node.name.value];
  if (size === null) {
    walk.errors.push(new GraphQLError("you must provide one of first or last", { nodes: node, path: fieldPath, extensions: { code: "BAD_REQUEST" } }));
    return 0;
  }
  if (size > MAX_PAGE_SIZE) {
    walk.errors.push(
      new GraphQLError(`The maximum page size is ${MAX_PAGE_SIZE}, but ${node.name.value} requested ${size}.`, { nodes: node, path: fieldPath, extensions: { code: "BAD_REQUEST" } }),
    );
  }
  return Math.max(0, size);
}

/** The cost of one node of a connection: the larger of `edges { node }` and `nodes`. */
function nodeCost(walk: Walk, connectionType: GraphQLCompositeType, set: SelectionSetNode | undefined, path: string[]): number {
  if (!set) return 0;
  let cost = 0;
  const grouped = group(walk, connectionType, set);
  for (const field of grouped.common) {
    const name = field.name.value;
    const def = fieldDef(connectionType, name);
    if (!def) continue;
    if (name === "nodes") {
      cost = Math.max(cost, 1 + selectionCost(walk, getNamedType(def.type) as GraphQLCompositeType, field.selectionSet, path));
    } else if (name === "edges") {
      const edgeType = getNamedType(def.type) as GraphQLCompositeType;
      for (const edgeField of group(walk, edgeType, field.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] }).common) {
        const edgeDef = fieldDef(edgeType, edgeField.name.value);
        if (edgeField.name.value === "node" && edgeDef) {
          cost = Math.max(cost, 1 + selectionCost(walk, getNamedType(edgeDef.type) as GraphQLCompositeType, edgeField.selectionSet, path));
        }
      }
      cost = Math.max(cost, 1);
    }
  }
  return cost;
}

function fieldCost(walk: Walk, parent: GraphQLCompositeType, node: FieldNode, path: string[]): number {
  if (node.name.value.startsWith("__")) return 0;
  const def = fieldDef(parent, node.name.value);
  if (!def) return 0;
  const type = getNamedType(def.type);
  if (isLeafType(type)) return 0;
  const composite = type as GraphQLCompositeType;
  const here = [...path, node.alias?.value ?? node.name.value];
  if (isConnection(type)) return CONNECTION_COST + pageSize(walk, node, path) * nodeCost(walk, composite, node.selectionSet, here);
  const first = argValue(node, "first", walk.variables);
  const times = typeof first === "number" ? first : 1;
  return times * (1 + selectionCost(walk, composite, node.selectionSet, here));
}

function operationOf(document: { definitions: readonly unknown[] }, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = (document.definitions as { kind: string }[]).filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((op) => op.name?.value === operationName) : ops[0];
}

function fragmentsOf(document: { definitions: readonly unknown[] }): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions as { kind: string }[]) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = def as FragmentDefinitionNode;
      map.set(fragment.name.value, fragment);
    }
  }
  return map;
}

export interface RequestedCost {
  cost: number;
  errors: GraphQLError[];
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  document: { definitions: readonly unknown[] },
  variables: Variables,
  operationName?: string | null,
): RequestedCost {
  const operation = operationOf(document, operationName);
  const walk: Walk = { schema, fragments: fragmentsOf(document), variables, errors: [] };
  if (!operation) return { cost: 0, errors: [] };
  if (operation.operation === "mutation") {
    const fields = group(walk, schema.getMutationType()!, operation.selectionSet).common;
    return { cost: fields.filter((f) => !f.name.value.startsWith("__")).length * MUTATION_COST, errors: [] };
  }
  const root = schema.getQueryType()!;
  return { cost: selectionCost(walk, root, operation.selectionSet, []), errors: walk.errors };
}

type Data = Record<string, unknown>;

function actualSelection(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode | undefined, data: unknown): number {
  if (!set || data === null || typeof data !== "object") return 0;
  const grouped = group(walk, parent, set);
  const fields = [...grouped.common, ...[...grouped.byType.values()].flat()];
  const seen = new Set<string>();
  let total = 0;
  for (const field of fields) {
    const key = field.alias?.value ?? field.name.value;
    if (seen.has(key) || !(key in (data as Data))) continue;
    seen.add(key);
    const owner = [parent, ...[...grouped.byType.keys()].map((n) => typeFor(walk, parent, n))].find((t) => fieldDef(t, field.name.value));
    const def = owner ? fieldDef(owner, field.name.value) : undefined;
    if (!def) continue;
    total += actualField(walk, getNamedType(def.type), field, (data as Data)[key]);
  }
  return total;
}

function actualField(walk: Walk, type: GraphQLNamedType, node: FieldNode, value: unknown): number {
  if (isLeafType(type) || value === null || value === undefined) return 0;
  const composite = type as GraphQLCompositeType;
  if (isConnection(type)) {
    const conn = value as { edges?: { node?: unknown }[]; nodes?: unknown[] };
    const items = conn.nodes ?? conn.edges?.map((e) => e.node) ?? [];
    const nodeField = (conn.nodes ? "nodes" : "edges") as string;
    const nodeType = connectionNodeType(composite);
    const nodeSet = findNodeSelection(walk, composite, node.selectionSet, nodeField);
    return CONNECTION_COST + items.reduce<number>((sum, item) => sum + 1 + actualSelection(walk, nodeType, nodeSet, item), 0);
  }
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + 1 + actualSelection(walk, composite, node.selectionSet, item), 0);
  return 1 + actualSelection(walk, composite, node.selectionSet, value);
}

function connectionNodeType(connection: GraphQLCompositeType): GraphQLCompositeType {
  const nodes = fieldDef(connection, "nodes");
  if (nodes) return getNamedType(nodes.type) as GraphQLCompositeType;
  const edgeType = getNamedType(fieldDef(connection, "edges")!.type) as GraphQLCompositeType;
  return getNamedType(fieldDef(edgeType, "node")!.type) as GraphQLCompositeType;
}

function findNodeSelection(walk: Walk, connectionType: GraphQLCompositeType, set: SelectionSetNode | undefined, via: string): SelectionSetNode | undefined {
  if (!set) return undefined;
  for (const field of group(walk, connectionType, set).common) {
    if (via === "nodes" && field.name.value === "nodes") return field.selectionSet;
    if (via === "edges" && field.name.value === "edges" && field.selectionSet) {
      const edgeType = getNamedType(fieldDef(connectionType, "edges")!.type) as GraphQLCompositeType;
      const nodeField = group(walk, edgeType, field.selectionSet).common.find((f) => f.name.value === "node");
      if (nodeField) return nodeField.selectionSet;
    }
  }
  return undefined;
}

export function actualQueryCost(
  schema: GraphQLSchema,
  document: { definitions: readonly unknown[] },
  variables: Variables,
  data: Data | null | undefined,
  operationName?: string | null,
): number {
  const operation = operationOf(document, operationName);
  if (!operation || !data) return 0;
  const walk: Walk = { schema, fragments: fragmentsOf(document), variables, errors: [] };
  if (operation.operation === "mutation") return Object.keys(data).length * MUTATION_COST;
  return actualSelection(walk, schema.getQueryType()!, operation.selectionSet, data);
}
