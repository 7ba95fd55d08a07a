export const SEGMENT_CREATE_MUTATION = `#graphql
  mutation SegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export interface SegmentCreateResult {
  segmentCreate: {
    segment: { id: string; name: string; query: string } | null;
    userErrors: { field?: string[] | null; message: string }[];
  } | null;
}
