export { generateStore, streamStore, DEFAULT_AS_OF, DEFAULT_YEARS } from "./generate";
export type { GenerateOptions, StoreStream } from "./generate";
export { summarize, summaryBuilderFor, SummaryBuilder } from "./summary";
export type { ArchetypeSummary, StoreSummary } from "./summary";
export { ARCHETYPES, DEFAULT_MIX, archetypeCounts } from "./mix";
export { ID_BASE, FIRST_ORDER_NUMBER } from "./ids";
export { formatCents, parseCents } from "./money";
export { Rng } from "./rng";
