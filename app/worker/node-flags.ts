/**
 * The V8 flags the worker runs with: `npm run worker` (package.json), the demo's worker and
 * the sync bench's importer, so the bench measures what runs.
 *
 * A backfill import allocates fast and nearly all of it dies young (JSONL lines, parsed
 * nodes, CSV text). On a large machine V8 lets the young generation grow to 128 MB (two
 * 64 MB semi-spaces, measured on Node 24 here), so an importer idling on the Admin API held
 * that much garbage on top of its live batches. The 100k-order bench import peaked at
 * 386-434 MB RSS by default, 323 MB with 32 MB semi-spaces, 304 MB with 16 and 279-285 MB
 * with 8; the smaller the young generation, the more its collections copy the live batches:
 * its writing took 12.3-12.8 s, 12.8 s, 13.4 s and 14.6-16.4 s (CSV then built on the
 * writer's turn). 16 MB keeps a margin under 400 MB at a million orders for about a second
 * more writing per 100k orders. Scoring 200,000 customers took about the same time with
 * 8 MB semi-spaces as by default (decision 009).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16"];
