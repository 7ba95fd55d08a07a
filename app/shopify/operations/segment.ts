export const SEGMENT_QUERY = `#graphql
  query Segment($id: ID!) {
    segment(id: $id) { id query }
  }
`;

export interface SegmentResult {
  segment: { id: string; query: string } | null;
}
