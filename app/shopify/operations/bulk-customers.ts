// Bulk query: every customer, one JSONL line each.
export const BULK_CUSTOMERS_QUERY = `#graphql
  {
    customers {
      edges {
        node {
          id
          email
          firstName
          lastName
          tags
          emailMarketingConsent { marketingState }
          smsMarketingConsent { marketingState }
          createdAt
          updatedAt
        }
      }
    }
  }
`;
