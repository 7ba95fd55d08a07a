import { ensureTemplate } from "../support/postgres";

// Migrations are applied once into a template database; every test file then gets
// its own database cloned from it (test/setup/database.ts), which takes milliseconds.
export default async function setup() {
  await ensureTemplate();
}
