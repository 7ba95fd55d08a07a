import { useTranslation } from "react-i18next";
import { formatters, type Formatters } from "./format";
import { renderMessage } from "./i18n";
import type { Locale } from "./locales";
import type { Message } from "./message";

/** The page's language in a component: `t`, Intl formatters for it, and `m` to render a stored message. */
export function useFormat(): { t: ReturnType<typeof useTranslation>["t"]; f: Formatters; m: (message: Message) => string } {
  const { t, i18n } = useTranslation();
  const f = formatters(i18n.language as Locale);
  return { t, f, m: (message) => renderMessage(t, f, message) };
}
