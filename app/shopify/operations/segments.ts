// Shopify's segment search syntax filters by name (`name:'…'`); callers still
// compare names exactly, as search matches loosely.
export const SEGMENTS_QUERY = `#graphql
  query Segments($first: Int!, $after: String, $query: String) {
    segments(first: $first, after: $after, query: $query) {
      nodes { id name query }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface SegmentsResult {
  segments: {
    nodes: { id: string; name: string; query: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
