import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

/**
 * The error's own text, for support rather than for reading: an Error's message, or a thrown
 * response's status and body. Null when there is nothing to add.
 */
export function errorDetail(error: unknown): string | null {
  if (isRouteErrorResponse(error)) {
    const data = typeof error.data === "string" ? error.data.trim() : "";
    return [String(error.status), error.statusText, data].filter(Boolean).join(" ");
  }
  if (error instanceof Error) return error.message || error.name;
  return null;
}

/** The error's detail under a label, small and subdued; nothing when there is none. */
export function ErrorDetail({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const detail = errorDetail(error);
  if (!detail) return null;
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {t("errors.detail", { detail })}
    </Text>
  );
}

interface RouteErrorPageProps {
  /** Page title and banner title, already in the merchant's language. */
  title: string;
  heading: string;
  /** What the merchant can do; "try again" when omitted. */
  body?: string;
  tone?: "critical" | "warning";
  backAction?: { content: string; url: string };
  /** False when the error says nothing useful to support (a plain "not found"). */
  showDetail?: boolean;
}

/** An admin page's ErrorBoundary: the merchant's words from the locale files, the error's technical text as detail under them. */
export function RouteErrorPage({ title, heading, body, tone = "critical", backAction, showDetail = true }: RouteErrorPageProps) {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <Page title={title} backAction={backAction}>
      <Banner tone={tone} title={heading}>
        <BlockStack gap="200">
          <Text as="p">{body ?? t("errors.tryAgain")}</Text>
          {showDetail ? <ErrorDetail error={error} /> : null}
        </BlockStack>
      </Banner>
    </Page>
  );
}
