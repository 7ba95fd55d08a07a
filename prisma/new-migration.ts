// Writes prisma/migrations/<timestamp>_<name>/migration.sql by diffing the committed
// schema against the working one. `prisma migrate dev` is unreliable with the JS
// schema engine (docs/decisions/001), so migrations are diffs of two schema files.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}

const prisma = path.resolve("node_modules/.bin/prisma");
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" };

let from: string[];
try {
  const previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "patron-schema-")), "schema.prisma");
  writeFileSync(file, previous);
  from = ["--from-schema-datamodel", file];
} catch {
  from = ["--from-empty"];
}

const sql = execFileSync(
  prisma,
  ["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8", env },
);
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.error("The schema has not changed since HEAD: no migration written.");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql`);
