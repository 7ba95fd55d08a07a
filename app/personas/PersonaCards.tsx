import { BlockStack, Box, Button, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { useFormat } from "../i18n/useFormat";
import type { PersonaView } from "./view";

/** One card per group: who they are in this store, next to the whole store, and what to do next. */
export function PersonaCards({ personas }: { personas: PersonaView[] }) {
  const { t } = useFormat();
  return (
    <BlockStack gap="400">
      <Text as="h2" variant="headingMd">
        {t("personas.card.section")}
      </Text>
      <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
        {personas.map((p) => (
          <PersonaCard key={p.group} persona={p} />
        ))}
      </InlineGrid>
    </BlockStack>
  );
}

function PersonaCard({ persona }: { persona: PersonaView }) {
  const { t } = useFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {persona.title}
          </Text>
          <Text as="p" tone="subdued">
            {persona.customers}
          </Text>
        </BlockStack>
        {persona.sentences.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("personas.card.empty")}
          </Text>
        ) : (
          <>
            <Text as="p">{persona.sentences.join(" ")}</Text>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={[t("personas.column.figure"), t("personas.column.group"), t("personas.column.store")]}
              rows={persona.rows.map((r) => [r.label, r.group, r.store])}
            />
          </>
        )}
        {persona.plays.length > 0 && (
          <BlockStack gap="200">
            <Text as="h4" variant="headingXs">
              {t("personas.card.plays")}
            </Text>
            {persona.plays.map((play) => (
              <Box key={play.id} padding="300" background="bg-surface-secondary" borderRadius="200">
                <BlockStack gap="200">
                  <Text as="p" fontWeight="semibold">
                    {play.title}
                  </Text>
                  <Text as="p" tone="subdued">
                    {play.body}
                  </Text>
                  <div>
                    <Button url={play.href} target={play.shopify ? "_top" : undefined} accessibilityLabel={play.title}>
                      {t("personas.play.open")}
                    </Button>
                  </div>
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
