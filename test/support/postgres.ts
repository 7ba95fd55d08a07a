import { execFileSync } from "node:child_process";
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

/**
 * Builds the template database (the migrations applied once) unless it exists. Several
 * runs may start at once: one builds it under an advisory lock, the others wait.
 */
export async function ensureTemplate(template = templateDatabaseName()): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query("SELECT pg_advisory_lock(724001)");
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
      if (rowCount) return;
      const building = `${template}_build`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
        env: { ...process.env, DATABASE_URL: databaseUrl(building) },
        stdio: ["ignore", "ignore", "inherit"],
      });
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(724001)");
    }
  });
}

/** A new database `name` cloned from the template, which is built first if missing (a bench on a fresh machine). */
export async function cloneTemplate(name: string, template = templateDatabaseName()): Promise<string> {
  const clone = () => withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  try {
    await clone();
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
    await ensureTemplate(template);
    await clone();
  }
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
