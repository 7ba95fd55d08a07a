import { Badge } from "@shopify/polaris";

// Shared by the customer pages; runs in the browser, so nothing server-only here.

export const GROUP_LABELS: Record<string, string> = {
  valued: "Valued",
  volume: "Volume",
  rising: "Rising",
  at_risk: "At risk",
  new: "New",
  occasional: "Occasional",
};

const GROUP_TONES: Record<string, "success" | "info" | "attention" | "warning" | "new" | undefined> = {
  valued: "success",
  volume: "info",
  rising: "attention",
  at_risk: "warning",
  new: "new",
  occasional: undefined,
};

export function GroupBadge({ group }: { group: string }) {
  return <Badge tone={GROUP_TONES[group]}>{GROUP_LABELS[group] ?? group}</Badge>;
}

export function formatMoney(amount: string | number): string {
  return Number(amount).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatPercent(share: number | null): string {
  return share === null ? "—" : `${(share * 100).toFixed(0)}%`;
}

export function formatDate(iso: string | null): string {
  return iso ? new Date(iso).toLocaleDateString() : "—";
}
