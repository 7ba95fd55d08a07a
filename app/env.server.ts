import { z } from "zod";

const csv = z
  .string()
  .transform((value) => value.split(",").map((s) => s.trim()).filter(Boolean));

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

const redisUrl = z
  .string()
  .url()
  .refine((value) => /^rediss?:\/\//.test(value), "must be a redis:// or rediss:// URL");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: csv.default([
    "read_customers",
    "write_customers",
    "read_orders",
    "read_all_orders",
    "read_products",
    "read_inventory",
    "write_discounts",
  ]),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl.default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "may hold only letters, digits, '_' and '-'")
    .default("patron"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Connections each process may open.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // How long a query waits for a free connection (or a new one) before it fails as an outage.
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  // Connections each web process keeps for writing webhook deliveries (beside DATABASE_POOL_MAX).
  INGEST_POOL_MAX: z.coerce.number().int().min(1).max(50).default(4),
  // Web processes behind the one port (node:cluster); unset: one per core in production, else one.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  // How long a worker's job lock lasts; a killed worker's job runs again about this long after.
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  // First retry delay of a failed job; each later one doubles it (8 attempts in all).
  JOB_BACKOFF_MS: z.coerce.number().int().min(1).default(1000),
  // How often the sweeper looks for inbox rows no live job holds, stale runs and unsynced shops.
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  // How long the worker waits at start-up for PostgreSQL and Redis before it exits with what it saw.
  WORKER_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  // Bulk-export roots written per transaction (each commits its resume point).
  SYNC_BATCH_ROOTS: z.coerce.number().int().min(1).default(1000),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment; throws an EnvError that names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const missing = issue.code === "invalid_type" && present[name] === undefined;
    return missing ? `  ${name}: is missing` : `  ${name}: ${issue.message}`;
  });
  throw new EnvError(`Invalid environment:\n${problems.join("\n")}`);
}

let cached: Env | undefined;

/** The process environment, parsed once; every process calls this at start-up. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
