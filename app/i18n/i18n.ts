import ShopifyFormatModule from "@shopify/i18next-shopify";
import { createInstance, type i18n, type TFunction } from "i18next";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import { formatters, type Formatters } from "./format";
import { DEFAULT_LOCALE, type Locale } from "./locales";
import type { Message, MessageValue } from "./message";

// The package's CommonJS build, imported by Node's ESM (the server build keeps it external),
// arrives wrapped in `default`; bundlers (the browser, vitest) unwrap it themselves.
const ShopifyFormat = (ShopifyFormatModule as unknown as { default?: typeof ShopifyFormatModule }).default ?? ShopifyFormatModule;

// Both languages are bundled (a few kilobytes each): the server and the browser build the
// same instance synchronously from them, so the first paint is already in the merchant's
// language and hydration never waits for a translation file.
export const RESOURCES = { en: { translation: en }, "zh-CN": { translation: zhCN } } as const;

/**
 * A new i18next instance for one locale (one per request on the server, one per page in the
 * browser), reading Shopify's translation format (`{{name}}` placeholders, plurals as nested
 * `one`/`other` keys). Missing keys fall back to English.
 */
export function createI18n(locale: Locale): i18n {
  const instance = createInstance();
  instance.use(ShopifyFormat).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: Object.keys(RESOURCES),
    resources: RESOURCES,
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  return instance;
}

/** A message in `t`'s language: numbers, percentages, money and dates formatted for it, nested messages rendered first. */
export function renderMessage(t: TFunction, f: Formatters, message: Message): string {
  if (!message.values) return t(message.key);
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.values)) values[name] = renderValue(t, f, name, value);
  return t(message.key, values);
}

function renderValue(t: TFunction, f: Formatters, name: string, value: MessageValue): string | number {
  // `count` picks the plural form and is formatted by the plugin itself.
  if (typeof value === "number") return name === "count" ? value : f.number(value);
  if (typeof value === "string") return value;
  if ("list" in value) return value.list.map((m) => renderMessage(t, f, m)).join(t(`list.${value.style}Separator`));
  if ("pct" in value) return f.percent(value.pct / 100, value.digits);
  if ("amount" in value) return f.money(value.amount, value.currency);
  if ("date" in value) return f.date(value.date);
  if ("dateTime" in value) return f.dateTime(value.dateTime);
  return renderMessage(t, f, value as Message);
}

const shared = new Map<Locale, i18n>();

/**
 * `message` in `locale`, outside React: the CSV export, the `analyze` CLI, tests. One instance
 * per locale is kept; none ever changes language, so sharing them across requests is safe.
 */
export function translate(locale: Locale, message: Message): string {
  let instance = shared.get(locale);
  if (!instance) {
    instance = createI18n(locale);
    shared.set(locale, instance);
  }
  return renderMessage(instance.t, formatters(locale), message);
}
