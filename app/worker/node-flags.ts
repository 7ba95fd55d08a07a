/**
 * The V8 flags the worker runs with: `npm run worker` (package.json), the demo's worker and
 * the sync bench's importer, so the bench measures what runs.
 *
 * A backfill import allocates fast and nearly all of it dies young (JSONL lines, parsed
 * nodes, CSV text). On a large machine V8 lets the young generation grow to 128 MB (two
 * 64 MB semi-spaces, measured on Node 24 here), so an importer idling on the Admin API held
 * that much garbage on top of its live batches. Capped at 8 MB semi-spaces, the 100k-order
 * bench import peaked at 279 MB RSS instead of 386 MB in the same time, and scoring 200,000
 * customers took the same time with 651 MB peak instead of 763 MB (decision 009).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];
