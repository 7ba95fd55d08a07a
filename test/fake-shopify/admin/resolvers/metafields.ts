import type { AdminContext } from "../context";
import { nowIso, resolveNamespace } from "../context";
import type { FakeMetafield } from "../../store/model";
import type { MetafieldDefinitionRecord } from "../../store/records";
import { gid, parseGid } from "../../util/ids";
import { compareDigestOf, metafieldView } from "../views/metafield";
import { listConnection } from "../views/connection";
import type { ConnectionArgs } from "../../util/connection";

const MAX_METAFIELDS_PER_CALL = 25;

interface SetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
  compareDigest?: string | null;
}

type SetError = { field: string[]; message: string; code: string; elementIndex: number | null };

const VALUE_CHECKS: Record<string, (value: string) => boolean> = {
  single_line_text_field: (v) => !/[\r\n]/.test(v),
  multi_line_text_field: () => true,
  number_integer: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER,
  number_decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  boolean: (v) => v === "true" || v === "false",
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  date_time: (v) => !Number.isNaN(Date.parse(v)),
  json: (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  "list.single_line_text_field": (v) => {
    try {
      const parsed: unknown = JSON.parse(v);
      return Array.isArray(parsed) && parsed.every((item) => typeof item === "string");
    } catch {
      return false;
    }
  },
};

export const KNOWN_TYPES = new Set(Object.keys(VALUE_CHECKS));

// Which types Shopify lets each capability use (metafield capabilities guide); smart
// collection conditions exist only for products and variants.
const ADMIN_FILTERABLE_TYPES = new Set(["boolean", "number_integer", "number_decimal", "single_line_text_field", "list.single_line_text_field", "date", "date_time"]);
const SMART_COLLECTION_TYPES = new Set(["boolean", "number_integer", "number_decimal", "single_line_text_field"]);
const UNIQUE_VALUE_TYPES = new Set(["single_line_text_field", "number_integer"]);

function definitionFor(ctx: AdminContext, ownerType: string, namespace: string, key: string): MetafieldDefinitionRecord | undefined {
  return ctx.store.metafieldDefinitions.find((d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key);
}

export function metafieldsSet(args: { metafields: SetInput[] }, ctx: AdminContext) {
  if (args.metafields.length > MAX_METAFIELDS_PER_CALL) {
    return {
      metafields: null,
      userErrors: [{ field: ["metafields"], message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_CALL}.`, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }],
    };
  }
  const errors: SetError[] = [];
  const planned: { owner: { metafields: FakeMetafield[] }; namespace: string; input: SetInput; type: string }[] = [];
  args.metafields.forEach((input, index) => {
    const err = (field: string, code: string, message: string): void => {
      errors.push({ field: ["metafields", String(index), field], message, code, elementIndex: index });
    };
    const parsed = parseGid(input.ownerId);
    const owner = parsed?.type === "Customer" ? ctx.store.customersById.get(parsed.id) : undefined;
    if (!owner || owner.deletedAt) return err("ownerId", "INVALID", "Owner does not exist.");
    const namespace = resolveNamespace(input.namespace);
    if (input.key.length < 2) return err("key", "TOO_SHORT", "Key is too short (minimum is 2 characters)");
    if (input.key.length > 64) return err("key", "TOO_LONG", "Key is too long (maximum is 64 characters)");
    const definition = definitionFor(ctx, "CUSTOMER", namespace, input.key);
    const type = input.type ?? definition?.type;
    if (!type) return err("type", "BLANK", "Type can't be blank");
    if (!KNOWN_TYPES.has(type)) return err("type", "INCLUSION", `Type '${type}' is not a valid metafield type.`);
    if (definition && definition.type !== type) return err("type", "INVALID_TYPE", `Type must be ${definition.type} to match the definition.`);
    if (!VALUE_CHECKS[type](input.value)) return err("value", "INVALID_VALUE", `Value is invalid for type ${type}.`);
    const existing = owner.metafields.find((m) => m.namespace === namespace && m.key === input.key);
    if ("compareDigest" in input && input.compareDigest !== undefined) {
      const current = existing ? compareDigestOf(existing) : null;
      if (current !== input.compareDigest) {
        return err("compareDigest", "STALE_OBJECT", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.");
      }
    }
    planned.push({ owner, namespace, input, type });
  });
  if (errors.length > 0) return { metafields: null, userErrors: errors };
  const now = nowIso(ctx);
  const written = planned.map(({ owner, namespace, input, type }) => {
    let metafield = owner.metafields.find((m) => m.namespace === namespace && m.key === input.key);
    if (metafield) {
      metafield.value = input.value;
      metafield.type = type;
      metafield.updatedAt = now;
    } else {
      metafield = { id: ctx.store.newId(), namespace, key: input.key, type, value: input.value, updatedAt: now };
      owner.metafields.push(metafield);
    }
    return metafieldView(ctx, metafield, "CUSTOMER");
  });
  ctx.store.touch("customers");
  return { metafields: written, userErrors: [] };
}

interface DefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: string;
  description?: string | null;
  pin?: boolean | null;
  capabilities?: {
    adminFilterable?: { enabled: boolean } | null;
    smartCollectionCondition?: { enabled: boolean } | null;
    uniqueValues?: { enabled: boolean } | null;
  } | null;
}

export function metafieldDefinitionView(d: MetafieldDefinitionRecord, pinnedPosition: number | null): object {
  const isProductish = d.ownerType === "PRODUCT" || d.ownerType === "PRODUCTVARIANT";
  return {
    __typename: "MetafieldDefinition",
    id: gid("MetafieldDefinition", d.id),
    name: d.name,
    namespace: d.namespace,
    key: d.key,
    description: d.description,
    type: { name: d.type, category: d.type.startsWith("number") ? "NUMBER" : "TEXT" },
    ownerType: d.ownerType,
    pinnedPosition,
    capabilities: {
      adminFilterable: { eligible: ADMIN_FILTERABLE_TYPES.has(d.type), enabled: d.adminFilterable },
      smartCollectionCondition: { eligible: isProductish && SMART_COLLECTION_TYPES.has(d.type), enabled: d.smartCollectionCondition },
      uniqueValues: { eligible: UNIQUE_VALUE_TYPES.has(d.type), enabled: d.uniqueValues },
    },
  };
}

function pinnedPosition(ctx: AdminContext, d: MetafieldDefinitionRecord): number | null {
  if (!d.pinned) return null;
  return ctx.store.metafieldDefinitions.filter((x) => x.pinned && x.ownerType === d.ownerType).indexOf(d) + 1;
}

export function metafieldDefinitionCreate(args: { definition: DefinitionInput }, ctx: AdminContext) {
  const input = args.definition;
  const errors: { field: string[]; message: string; code: string }[] = [];
  const err = (field: string, code: string, message: string): void => {
    errors.push({ field: ["definition", field], message, code });
  };
  const namespace = resolveNamespace(input.namespace);
  if (!input.name.trim()) err("name", "BLANK", "Name can't be blank");
  if (input.key.length < 2 || input.key.length > 64) err("key", input.key.length < 2 ? "TOO_SHORT" : "TOO_LONG", "Key must be between 2 and 64 characters");
  if (!KNOWN_TYPES.has(input.type)) err("type", "INCLUSION", `Type '${input.type}' is not a valid metafield type.`);
  if (definitionFor(ctx, input.ownerType, namespace, input.key)) {
    const owner = input.ownerType.charAt(0) + input.ownerType.slice(1).toLowerCase();
    err("key", "TAKEN", `Key is in use for ${owner} metafields on the '${namespace}' namespace.`);
  }
  const caps = input.capabilities;
  const isProductish = input.ownerType === "PRODUCT" || input.ownerType === "PRODUCTVARIANT";
  if (caps?.adminFilterable?.enabled && !ADMIN_FILTERABLE_TYPES.has(input.type))
    err("capabilities", "INVALID_CAPABILITY", `The admin filterable capability is not available for type ${input.type}.`);
  if (caps?.smartCollectionCondition?.enabled && (!isProductish || !SMART_COLLECTION_TYPES.has(input.type)))
    err("capabilities", "INVALID_CAPABILITY", "The smart collection condition capability is only available for product and variant definitions of a supported type.");
  if (caps?.uniqueValues?.enabled && !UNIQUE_VALUE_TYPES.has(input.type))
    err("capabilities", "INVALID_CAPABILITY", `The unique values capability is not available for type ${input.type}.`);
  if (errors.length > 0) return { createdDefinition: null, userErrors: errors };
  const record: MetafieldDefinitionRecord = {
    id: ctx.store.newId(),
    name: input.name.trim(),
    namespace,
    key: input.key,
    type: input.type,
    ownerType: input.ownerType,
    description: input.description ?? null,
    pinned: input.pin ?? false,
    adminFilterable: caps?.adminFilterable?.enabled ?? false,
    smartCollectionCondition: caps?.smartCollectionCondition?.enabled ?? false,
    uniqueValues: caps?.uniqueValues?.enabled ?? false,
    createdAt: nowIso(ctx),
  };
  ctx.store.metafieldDefinitions.push(record);
  ctx.store.touch();
  return { createdDefinition: metafieldDefinitionView(record, pinnedPosition(ctx, record)), userErrors: [] };
}

export function metafieldDefinitionsConnection(ctx: AdminContext, args: ConnectionArgs & { ownerType: string; namespace?: string | null; key?: string | null }) {
  const namespace = args.namespace == null ? null : resolveNamespace(args.namespace);
  const list = ctx.store.metafieldDefinitions.filter(
    (d) => d.ownerType === args.ownerType && (namespace === null || d.namespace === namespace) && (args.key == null || d.key === args.key),
  );
  return listConnection(list, args, (d) => d.id, (d) => metafieldDefinitionView(d, pinnedPosition(ctx, d)));
}
