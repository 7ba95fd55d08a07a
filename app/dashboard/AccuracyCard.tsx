import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { Accuracy } from "./accuracy";
import { CalibrationChart } from "./charts";

const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
const date = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });

/** How well Patron's ranking predicted the shop's own recent history, in plain words and a chart. */
export function AccuracyCard({ accuracy, money }: { accuracy: Accuracy; money: (amount: string | null) => string }) {
  if (accuracy.state === "none") return null;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            How accurate Patron is on your store
          </Text>
          <Text as="p" tone="subdued">
            Measured {date(accuracy.measuredAt)}
          </Text>
        </InlineStack>
        {accuracy.state === "insufficient" ? (
          <Banner tone="info" title="Not enough history yet">
            <p>{accuracy.message}</p>
          </Banner>
        ) : (
          <>
            <Text as="p" variant="headingSm">
              {accuracy.headline}
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Text as="p">Ranking customers by:</Text>
              <Badge tone="info">{accuracy.model}</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              {accuracy.why}
            </Text>
            <Text as="h3" variant="headingSm">
              Forecast against what happened: purchases per customer in the last {accuracy.holdoutWeeks} weeks
            </Text>
            <CalibrationChart rows={accuracy.calibration} />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Ranking", "Revenue held by its top 20%", "Spend forecast error per customer"]}
              rows={accuracy.rankers.map((r) => [
                r.chosen ? `${r.label} (used)` : r.label,
                pct(r.topShare),
                r.spendError === null ? "–" : money(r.spendError.toFixed(2)),
              ])}
            />
            <Text as="p" tone="subdued">
              Checked on {accuracy.customers.toLocaleString()} customers who had ordered by {date(`${accuracy.calibrationEnd}T12:00:00Z`)}.
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
