import { Banner, List } from "@shopify/polaris";

/** A critical banner titled `title` (already translated), listing Shopify's or the database's own `details` under it. */
export function FailureBanner({ title, details }: { title: string; details: readonly string[] }) {
  return (
    <Banner tone="critical" title={title}>
      {details.length ? (
        <List>
          {details.map((d) => (
            <List.Item key={d}>{d}</List.Item>
          ))}
        </List>
      ) : null}
    </Banner>
  );
}
