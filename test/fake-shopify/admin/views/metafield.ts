import { createHash } from "node:crypto";
import type { FakeMetafield } from "../../store/model";
import type { AdminContext } from "../context";
import { gid } from "../../util/ids";

export const compareDigestOf = (m: FakeMetafield): string =>
  createHash("sha256").update(`${m.type}\u0000${m.value}\u0000${m.updatedAt}`).digest("hex");

function jsonValue(m: FakeMetafield): unknown {
  if (m.type.startsWith("number_integer")) return Number(m.value);
  if (m.type === "number_decimal") return m.value;
  if (m.type === "boolean") return m.value === "true";
  if (m.type === "json" || m.type.startsWith("list.")) {
    try {
      return JSON.parse(m.value);
    } catch {
      return m.value;
    }
  }
  return m.value;
}

export function metafieldView(ctx: AdminContext, m: FakeMetafield, ownerType: string) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    jsonValue: jsonValue(m),
    compareDigest: compareDigestOf(m),
    createdAt: m.updatedAt,
    updatedAt: m.updatedAt,
    ownerType,
    definition: () => {
      const def = ctx.store.metafieldDefinitions.find((d) => d.ownerType === ownerType && d.namespace === m.namespace && d.key === m.key);
      return def ?? null;
    },
  };
}
