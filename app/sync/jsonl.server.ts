import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/** Streams a JSONL file line by line from a URL; the file is never held whole. */
export async function* fetchJsonlLines(url: string, fetchFn: typeof fetch = fetch): AsyncGenerator<string> {
  const response = await fetchFn(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: HTTP ${response.status}`);
  const lines = createInterface({
    input: Readable.fromWeb(response.body as unknown as WebReadableStream),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line.trim()) yield line;
  }
}

export interface JsonlRoot {
  /** Index (0-based) of the root's line in the file. */
  line: number;
  node: Record<string, unknown>;
  children: Record<string, unknown>[];
}

/**
 * Groups a bulk export into roots with their children. Shopify writes each child
 * line (carrying __parentId) after its parent, so a root is complete when the next
 * root begins. `skipLines` resumes after a crash: lines already imported are read
 * and dropped without being parsed.
 */
export async function* groupRoots(lines: AsyncIterable<string>, skipLines = 0): AsyncGenerator<JsonlRoot> {
  let index = -1;
  let current: JsonlRoot | null = null;
  for await (const text of lines) {
    index++;
    if (index < skipLines) continue;
    const node = JSON.parse(text) as Record<string, unknown>;
    if (typeof node.__parentId === "string") {
      if (current && node.__parentId === current.node.id) current.children.push(node);
      continue;
    }
    if (current) yield current;
    current = { line: index, node, children: [] };
  }
  if (current) yield current;
}
