import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const encodeCursor = (key: string): string => Buffer.from(JSON.stringify({ last_id: key }), "utf8").toString("base64url");

function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && "last_id" in parsed && typeof parsed.last_id === "string") return parsed.last_id;
  } catch {
    // fall through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`);
}

/**
 * Relay pagination over an already filtered and sorted list; `keyOf` names an item
 * in its cursor so a cursor stays valid while other items change.
 */
export function paginate<T, N = T>(
  items: readonly T[],
  args: ConnectionArgs,
  keyOf: (item: T) => string,
  view: (item: T) => N,
  indexOfKey?: (key: string) => number,
): Connection<N> {
  const reversed = Boolean(args.reverse);
  const list = reversed ? [...items].reverse() : items;
  const locate = (key: string): number => {
    if (!indexOfKey) return list.findIndex((item) => keyOf(item) === key);
    const index = indexOfKey(key);
    return index === -1 || !reversed ? index : list.length - 1 - index;
  };
  let start = 0;
  let end = list.length;
  if (args.after) {
    const key = decodeCursor(args.after);
    const index = locate(key);
    start = index === -1 ? list.length : index + 1;
  }
  if (args.before) {
    const key = decodeCursor(args.before);
    const index = locate(key);
    end = index === -1 ? end : Math.min(end, index);
  }
  let from = start;
  let to = end;
  if (args.first != null) to = Math.min(end, start + Math.max(0, args.first));
  if (args.last != null) from = Math.max(from, to - Math.max(0, args.last));
  const slice = list.slice(from, to);
  const edges = slice.map((item) => ({ cursor: encodeCursor(keyOf(item)), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: to < end,
      hasPreviousPage: from > start || (args.after != null && start > 0),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
