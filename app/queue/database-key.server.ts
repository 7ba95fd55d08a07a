import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";

/**
 * This database's key: 12 hex characters, made on first use and kept in the one-row
 * `Installation` table. Every job id the app chooses starts with it (see `jobIdFor`),
 * so an id never names work in another database: a recreated database numbers its
 * shops, sync runs, inbox rows and fits from 1 again, and BullMQ silently ignores an
 * add whose id a kept finished job still holds.
 *
 * Read on every call (one single-row query), not cached: a database recreated under a
 * running process must not go on with the old key.
 */
export async function databaseKey(db: PrismaClient): Promise<string> {
  const found = await db.installation.findUnique({ where: { id: 1 }, select: { key: true } });
  if (found) return found.key;
  await db.installation.createMany({ data: [{ id: 1, key: randomBytes(6).toString("hex") }], skipDuplicates: true });
  return (await db.installation.findUniqueOrThrow({ where: { id: 1 }, select: { key: true } })).key;
}

/** The BullMQ id for `id` in the database with `key`, e.g. `3f2a9c0d41be-wh-17`. */
export function jobIdFor(key: string, id: string): string {
  return `${key}-${id}`;
}

/**
 * Whether a job belongs to the database with `key`. Scheduler-made jobs (`repeat:…`)
 * carry no database and belong to whichever worker runs them; a job whose id names
 * another database's key was left in Redis by an earlier database and must not run
 * against this one (its ids name other rows).
 */
export function jobBelongsTo(jobId: string | undefined, key: string): boolean {
  if (!jobId || jobId.startsWith("repeat:")) return true;
  return jobId.startsWith(`${key}-`);
}
