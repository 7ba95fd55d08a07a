import { Badge } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

// Shared by the customer pages; runs in the browser, so nothing server-only here.

const GROUP_TONES: Record<string, "success" | "info" | "attention" | "warning" | "new" | undefined> = {
  valued: "success",
  volume: "info",
  rising: "attention",
  at_risk: "warning",
  new: "new",
  occasional: undefined,
};

/** A group's name in the page's language; an unknown group shows as stored. */
export function useGroupLabel(): (group: string) => string {
  const { t } = useTranslation();
  return (group) => (group in GROUP_TONES ? t(`groups.${group}`) : group);
}

export function GroupBadge({ group }: { group: string }) {
  const label = useGroupLabel();
  return <Badge tone={GROUP_TONES[group]}>{label(group)}</Badge>;
}
