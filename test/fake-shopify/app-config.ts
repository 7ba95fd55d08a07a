import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { z } from "zod";

const subscriptionSchema = z.object({
  topics: z.array(z.string()).optional(),
  compliance_topics: z.array(z.string()).optional(),
  uri: z.string(),
  filter: z.string().optional(),
  include_fields: z.array(z.string()).optional(),
  name: z.string().optional(),
});

const appTomlSchema = z.object({
  client_id: z.string().optional(),
  access_scopes: z.object({ scopes: z.string().optional() }).optional(),
  webhooks: z
    .object({
      api_version: z.string(),
      subscriptions: z.array(subscriptionSchema).optional(),
    })
    .optional(),
});

export interface WebhookSubscription {
  topic: string;
  uri: string;
  compliance: boolean;
  includeFields: string[] | null;
  filter: string | null;
}

export interface AppConfig {
  apiVersion: string;
  subscriptions: WebhookSubscription[];
  scopes: string[];
}

/** The webhook subscriptions and scopes the app declares in shopify.app.toml. */
export function readAppToml(path: string): AppConfig {
  const parsed = appTomlSchema.parse(parse(readFileSync(path, "utf8")));
  const subscriptions: WebhookSubscription[] = [];
  for (const sub of parsed.webhooks?.subscriptions ?? []) {
    const base = { uri: sub.uri, includeFields: sub.include_fields ?? null, filter: sub.filter ?? null };
    for (const topic of sub.topics ?? []) subscriptions.push({ ...base, topic, compliance: false });
    for (const topic of sub.compliance_topics ?? []) subscriptions.push({ ...base, topic, compliance: true });
  }
  const scopes = (parsed.access_scopes?.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return { apiVersion: parsed.webhooks?.api_version ?? "2026-07", subscriptions, scopes };
}

/** Handles of the app's Flow trigger extensions, so flowTriggerReceive can reject unknown ones. */
export function readFlowTriggerHandles(extensionsDir: string): string[] {
  if (!existsSync(extensionsDir)) return [];
  const handles: string[] = [];
  for (const entry of readdirSync(extensionsDir, { withFileTypes: true })) {
    const file = join(extensionsDir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const toml = parse(readFileSync(file, "utf8")) as { extensions?: { type?: string; handle?: string }[] };
    for (const ext of toml.extensions ?? []) if (ext.type === "flow_trigger" && ext.handle) handles.push(ext.handle);
  }
  return handles;
}
