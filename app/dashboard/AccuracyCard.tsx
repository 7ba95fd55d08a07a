import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useFormat } from "../i18n/useFormat";
import type { Accuracy } from "./accuracy";
import { CalibrationChart } from "./charts";

/** How well Patron's ranking predicted the shop's own recent history, in plain words and a chart. */
export function AccuracyCard({ accuracy, money }: { accuracy: Accuracy; money: (amount: string | null) => string }) {
  const { t, f, m } = useFormat();
  if (accuracy.state === "none") return null;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("accuracy.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("accuracy.measured", { date: f.date(accuracy.measuredAt) })}
          </Text>
        </InlineStack>
        {accuracy.state === "insufficient" ? (
          <Banner tone="info" title={t("accuracy.notEnoughTitle")}>
            <p>{m(accuracy.message)}</p>
          </Banner>
        ) : (
          <>
            <Text as="p" variant="headingSm">
              {m(accuracy.headline)}
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Text as="p">{t("accuracy.rankingBy")}</Text>
              <Badge tone="info">{m(accuracy.model)}</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              {m(accuracy.why)}
            </Text>
            <Text as="h3" variant="headingSm">
              {t("accuracy.calibrationTitle", { count: accuracy.holdoutWeeks })}
            </Text>
            <CalibrationChart rows={accuracy.calibration} />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={[t("accuracy.table.ranking"), t("accuracy.table.topShare"), t("accuracy.table.spendError")]}
              rows={accuracy.rankers.map((r) => [
                r.chosen ? t("accuracy.table.used", { label: m(r.label) }) : m(r.label),
                f.percent(r.topShare, 1),
                r.spendError === null ? "–" : money(r.spendError.toFixed(2)),
              ])}
            />
            <Text as="p" tone="subdued">
              {t("accuracy.checkedOn", { customers: f.number(accuracy.customers), date: f.date(accuracy.calibrationEnd) })}
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
