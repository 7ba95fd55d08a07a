import type { AppProviderProps } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZhCN from "@shopify/polaris/locales/zh-CN.json";
import type { Locale } from "./locales";

// Polaris's own strings (pagination, filters, bulk actions, form labels), English behind any gaps.
const POLARIS_TRANSLATIONS: Record<Locale, NonNullable<AppProviderProps["i18n"]>> = { en: [polarisEn], "zh-CN": [polarisZhCN, polarisEn] };

/** Polaris's translations for the page's language (`i18n.language`), English for any other. */
export function polarisTranslations(language: string): NonNullable<AppProviderProps["i18n"]> {
  return POLARIS_TRANSLATIONS[language as Locale] ?? POLARIS_TRANSLATIONS.en;
}
