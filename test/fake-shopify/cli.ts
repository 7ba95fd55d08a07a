import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { createFakeShopify } from "./server";
import { readFlowTriggerHandles } from "./app-config";

const env = z
  .object({
    SHOPIFY_API_KEY: z.string().min(1),
    SHOPIFY_API_SECRET: z.string().min(1),
    SHOPIFY_APP_URL: z.string().url(),
    SCOPES: z.string().optional(),
  })
  .safeParse(process.env);

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    host: { type: "string", default: "127.0.0.1" },
    shop: { type: "string", multiple: true, default: ["demo-store.myshopify.com"] },
    customers: { type: "string", default: "0" },
    seed: { type: "string", default: "42" },
    plan: { type: "string", default: "standard" },
    toml: { type: "string", default: "shopify.app.toml" },
    extensions: { type: "string", default: "extensions" },
    "time-scale": { type: "string", default: "1" },
    "token-time-scale": { type: "string", default: "1" },
    // A generated shop carries the issue-11 shapes unless --plain.
    plain: { type: "boolean", default: false },
  },
});

async function main(): Promise<void> {
  if (!env.success) {
    process.stderr.write(`fake-shopify: set SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL (${env.error.issues.map((i) => i.path.join(".")).join(", ")} missing or invalid)\n`);
    process.exit(1);
  }
  const plan = z.enum(["standard", "advanced", "plus", "enterprise"]).parse(values.plan);
  const tomlPath = resolve(values.toml);
  if (!existsSync(tomlPath)) {
    process.stderr.write(`fake-shopify: ${tomlPath} not found (pass --toml)\n`);
    process.exit(1);
  }
  const handles = readFlowTriggerHandles(resolve(values.extensions));
  const fake = await createFakeShopify({
    port: Number(values.port),
    host: values.host,
    apiKey: env.data.SHOPIFY_API_KEY,
    apiSecret: env.data.SHOPIFY_API_SECRET,
    appUrl: env.data.SHOPIFY_APP_URL,
    appTomlPath: tomlPath,
    scopes: env.data.SCOPES ? env.data.SCOPES.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
    timeScale: Number(values["time-scale"]),
    tokenTimeScale: Number(values["token-time-scale"]),
    flowTriggerHandles: handles.length > 0 ? handles : null,
  });
  values.shop.forEach((domain, i) => fake.control.createShop({ domain, plan, customers: Number(values.customers), seed: Number(values.seed) + i, shapes: !values.plain }));
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const readme = fileURLToPath(new URL("./README.md", import.meta.url));
  process.stdout.write(`${JSON.stringify({ ready: true, url: fake.url, shop: values.shop[0], readme })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-shopify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
