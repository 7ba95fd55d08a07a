import type { Prisma, PrismaClient } from "@prisma/client";
import { msg, type Message } from "../i18n/message";
import { logger } from "../logger.server";
import { QueueUnavailableError } from "../queue/queues.server";
import { requestRescore } from "../scores/jobs.server";
import { resolveConfig, type ScoringConfig } from "../scoring";
import { PRESETS } from "../scoring/presets";
import { issueMessage } from "./field-errors";
import { OVERRIDE_FIELDS, readSettings, shopSettingsSchema, type ShopSettings } from "./shop-settings";

export interface SettingsView {
  settings: ShopSettings;
  /** What scoring uses now: the preset with the shop's overrides on top. */
  effective: ScoringConfig;
}

export async function loadSettings(db: PrismaClient, shopId: number): Promise<SettingsView> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const settings = readSettings(shop.settings);
  const resolved = resolveConfig(settings.preset, settings.overrides);
  return { settings, effective: resolved.ok ? resolved.config : PRESETS[settings.preset] };
}

/** A refusal names each wrong field by its form name ("overrides.thresholds.valuedEnter", "tagPrefix") with a message to render. */
export type SaveResult =
  | { ok: false; errors: Record<string, Message> }
  | { ok: true; rescore: "queued" | "nightly" };

const checked = (form: FormData, name: string) => form.get(name) === "on" || form.get(name) === "true";

/**
 * Saves the settings form. Field names are setting paths ("overrides.thresholds.valuedEnter");
 * a blank override means "use the preset". Overrides the form does not show are kept.
 * A saved change asks for a rescore; when Redis is down it is saved anyway and the
 * nightly rescore applies it.
 */
export async function saveSettings(db: PrismaClient, shopId: number, form: FormData): Promise<SaveResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true, domain: true } });
  const stored = readSettings(shop.settings);
  const errors: Record<string, Message> = {};

  const overrides = structuredClone(stored.overrides) as Record<string, Record<string, unknown> | undefined>;
  for (const { section, key, kind } of OVERRIDE_FIELDS) {
    const name = `overrides.${section}.${key}`;
    const raw = String(form.get(name) ?? "").trim();
    const target = (overrides[section] ??= {});
    delete target[key];
    if (raw === "") continue;
    if (kind === "choice") target[key] = raw;
    else if (Number.isFinite(Number(raw))) target[key] = Number(raw);
    else errors[name] = msg("settings.errors.number");
  }
  for (const section of Object.keys(overrides)) if (Object.keys(overrides[section] ?? {}).length === 0) delete overrides[section];

  const marginRaw = String(form.get("defaultMarginRate") ?? "").trim();
  const margin = marginRaw === "" ? NaN : Number(marginRaw) / 100;
  if (!Number.isFinite(margin)) errors.defaultMarginRate = msg("settings.errors.percentage");

  const candidate = {
    preset: form.get("preset"),
    overrides,
    defaultMarginRate: margin,
    tagPrefix: String(form.get("tagPrefix") ?? "").trim(),
    autoTagging: checked(form, "autoTagging"),
    metafields: checked(form, "metafields"),
    flowTrigger: checked(form, "flowTrigger"),
  };
  const parsed = shopSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      errors[path] ??= path === "defaultMarginRate" ? msg("settings.errors.marginRange") : issueMessage(issue);
    }
  } else {
    // Rules across fields (e.g. rising below valued) live in the merged config's schema.
    const resolved = resolveConfig(parsed.data.preset, parsed.data.overrides);
    if (!resolved.ok) {
      for (const issue of resolved.zodIssues) errors[`overrides.${issue.path.join(".")}`] ??= issueMessage(issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };

  await db.shop.update({ where: { id: shopId }, data: { settings: parsed.data as unknown as Prisma.InputJsonValue } });
  try {
    await requestRescore(shopId, "settings");
    return { ok: true, rescore: "queued" };
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    logger.warn({ shop: shop.domain, err: error.message }, "settings saved; rescore left to the nightly schedule");
    return { ok: true, rescore: "nightly" };
  }
}
