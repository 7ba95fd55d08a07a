import { GROUPS } from "../scoring/types";

// Shared by the list's loader and its component, so it lives outside the .server module.
export const LIST_GROUPS = [...GROUPS, "all"] as const;
export type ListGroup = (typeof LIST_GROUPS)[number];
