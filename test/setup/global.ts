import { execFileSync } from "node:child_process";
import path from "node:path";
import { databaseUrl, templateDatabaseName, withAdminClient } from "../support/postgres";

// Migrations are applied once into a template database; every test file then gets
// its own database cloned from it (test/setup/database.ts), which takes milliseconds.
export default async function setup() {
  const template = templateDatabaseName();
  await withAdminClient(async (client) => {
    // Several test runs may start at once: one builds the template, the others wait.
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
