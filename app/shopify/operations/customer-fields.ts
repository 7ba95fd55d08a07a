// The customer fields sync reads, shared by the bulk export and reconciliation.
export const CUSTOMER_FIELDS = `
  id
  email
  firstName
  lastName
  tags
  emailMarketingConsent { marketingState }
  smsMarketingConsent { marketingState }
  createdAt
  updatedAt
`;
