import type { Prisma, PrismaClient } from "@prisma/client";
import type { Group } from "../scoring";

export interface GroupChangeRow {
  customerId: bigint;
  /** null for a customer's first group. */
  from: Group | null;
  to: Group;
  /** 0–1. */
  valueScore: number;
}

const INSERT_CHUNK = 50_000;

/**
 * Inserts a shop's group changes, all dated `at`, as one statement per 50,000 rows over
 * unnest()ed arrays. Prisma's createMany built every row through its query compiler:
 * about 1,500 rows a second, so a 100,000-customer history took minutes to write.
 * `reconstructed` marks changes worked out from past month-ends rather than seen happen.
 */
export async function insertGroupChanges(
  db: PrismaClient | Prisma.TransactionClient,
  shopId: number,
  rows: readonly GroupChangeRow[],
  at: Date,
  reconstructed = false,
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await db.$executeRawUnsafe(
      `INSERT INTO "GroupChange" ("shopId", "customerId", "from", "to", "valueScore", "at", reconstructed)
       SELECT $1, t.cid, t.src::"CustomerGroup", t.dst::"CustomerGroup", t.vs, $2, $3
       FROM unnest($4::bigint[], $5::text[], $6::text[], $7::float8[]) AS t(cid, src, dst, vs)`,
      shopId,
      at.toISOString(),
      reconstructed,
      chunk.map((r) => r.customerId.toString()),
      chunk.map((r) => r.from),
      chunk.map((r) => r.to),
      chunk.map((r) => r.valueScore),
    );
  }
}
