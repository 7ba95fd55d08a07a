export const BULK_OPERATION_RUN_MUTATION = `#graphql
  mutation BulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export interface BulkOperationRunMutationResult {
  bulkOperationRunMutation: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}
