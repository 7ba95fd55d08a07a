// Merchant-facing English for the customer list's totals and bulk actions across pages,
// as keyed templates with named {{placeholders}} (i18next syntax) so they move to a
// locale file as they are.

export const CUSTOMER_LIST_MESSAGES = {
  "customers.total": "{{count}} customers match this filter",
  "customers.totalOne": "1 customer matches this filter",
  "customers.bulk.pageSelected": "All {{page}} customers on this page are selected. Apply to all {{total}} customers matching this filter, on every page:",
  "customers.bulk.vipOnAll": "Make all {{total}} VIP",
  "customers.bulk.vipOffAll": "Remove VIP from all {{total}}",
  "customers.bulk.started": "Started: VIP for {{total}} customers, in the background",
  "customers.bulk.running.vip_on": "Making customers VIP: {{done}} of {{total}}",
  "customers.bulk.running.vip_off": "Removing VIP: {{done}} of {{total}}",
  "customers.bulk.queued": "Waiting for the worker to start the bulk action ({{total}} customers). It starts when the background worker is running.",
  "customers.bulk.done.vip_on": "Made {{done}} customers VIP.",
  "customers.bulk.done.vip_off": "Removed VIP from {{done}} customers.",
  "customers.bulk.doneWithError": "Saved in Patron; Shopify did not take every tag yet ({{error}}). The next write-back retries.",
  "customers.bulk.failed": "The bulk action failed: {{error}}",
} as const;

export type CustomerListMessageKey = keyof typeof CUSTOMER_LIST_MESSAGES;

/** The English text of `key` with each `{{name}}` replaced by `values[name]`; a missing value throws. */
export function customerListMessage(key: CustomerListMessageKey, values: Record<string, string | number> = {}): string {
  return CUSTOMER_LIST_MESSAGES[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`message ${key} needs a value for ${name}`);
    return String(values[name]);
  });
}
