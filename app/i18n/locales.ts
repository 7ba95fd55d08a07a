// The languages Patron speaks, and how a locale Shopify admin passes is matched to one.
// Shared by the server and the browser: nothing server-only here.

export const SUPPORTED_LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/**
 * The supported locale for what Shopify admin sent (`locale` on the app URL: a BCP 47 tag such
 * as `en`, `zh-CN`, `pt-BR`), or null when none fits. Tags are compared case-insensitively;
 * Simplified Chinese written `zh`, `zh-Hans` or `zh-Hans-CN` is zh-CN, Traditional (`zh-TW`,
 * `zh-Hant`) is not; any English (`en-GB`) is en. A malformed tag is null, never an error.
 */
export function matchLocale(raw: string | null | undefined): Locale | null {
  if (!raw) return null;
  let tag: Intl.Locale;
  try {
    tag = new Intl.Locale(raw.trim().replace(/_/g, "-"));
  } catch {
    return null;
  }
  if (tag.language === "en") return "en";
  if (tag.language === "zh") {
    const script = tag.maximize().script;
    return script === "Hans" ? "zh-CN" : null;
  }
  return null;
}
