import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const adminDatabaseUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL does not answer at ${adminDatabaseUrl} (${(error as Error).message}). ` +
        "Start it (see README, 'Running the tests') or set TEST_DATABASE_ADMIN_URL.",
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template database is named after the migrations it holds, so any change rebuilds it. */
export function templateDatabaseName(root = process.cwd()): string {
  const dir = path.join(root, "prisma/migrations");
  const hash = createHash("sha256");
  for (const entry of readdirSync(dir).sort()) {
    const file = path.join(dir, entry, "migration.sql");
    try {
      hash.update(entry).update(readFileSync(file));
    } catch {
      // migration_lock.toml and other non-migration entries
    }
  }
  return `patron_tpl_${hash.digest("hex").slice(0, 12)}`;
}

export function randomDatabaseName(prefix = "patron_t"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export async function cloneTemplate(name: string, template = templateDatabaseName()): Promise<string> {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
