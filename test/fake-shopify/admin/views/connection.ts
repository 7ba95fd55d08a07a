import type { AdminContext } from "../context";
import { paginate, type Connection, type ConnectionArgs } from "../../util/connection";
import type { SortedList } from "../lists";

/** A root connection; during a bulk run it pages over the slice the runner hands it. */
export function rootConnection<T extends { id: string }, N>(
  ctx: AdminContext,
  field: string,
  args: ConnectionArgs,
  list: () => SortedList<T>,
  view: (item: T) => N,
): Connection<N> {
  if (ctx.bulkRoot?.field === field) {
    const items = ctx.bulkRoot.items as T[];
    return paginate(items, { first: items.length }, (item) => item.id, view);
  }
  const sorted = list();
  return paginate(sorted.list, args, (item) => item.id, view, sorted.indexOf);
}

export function listConnection<T, N>(items: readonly T[], args: ConnectionArgs, keyOf: (item: T) => string, view: (item: T) => N): Connection<N> {
  return paginate(items, args, keyOf, view);
}
