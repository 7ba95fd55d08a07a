export function formatAmount(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

export function formatShare(share: number | null, digits = 0): string {
  return share === null ? "–" : `${(share * 100).toFixed(digits)}%`;
}
