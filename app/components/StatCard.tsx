import { BlockStack, Card, Text } from "@shopify/polaris";

/** One figure with its label, on a card: the dashboard's and a campaign's headline numbers. */
export function StatCard({ label, value, headingAs = "h2" }: { label: string; value: string; headingAs?: "h2" | "h3" }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as={headingAs} variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
