// Bounded request bodies: a body over its limit is refused (413) without being read
// whole, whether its Content-Length says so up front or it arrives chunked.

/**
 * Whether a Content-Length header already says the body is too large. A missing or
 * unparseable header says nothing (the body is then counted as it streams).
 */
export function declaredTooLarge(contentLength: string | null, limit: number): boolean {
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return false;
  return Number(contentLength) > limit;
}

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/**
 * The 413 answer. `Connection: close` makes Node's server close the connection once it is
 * sent, instead of reading and discarding the rest of the body to keep the connection alive.
 */
export function payloadTooLarge(limit: number): Response {
  return new Response(`Payload too large (over ${limit} bytes)`, { status: 413, headers: { Connection: "close" } });
}

/**
 * Reads a request body as UTF-8, counting bytes as they arrive; past `limit` it stops
 * reading and throws BodyTooLargeError, so a huge body is never held whole.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<string> {
  return (await readBodyBytesLimited(request, limit)).toString("utf8");
}

/** The body's bytes as they came (what a signature covers), within `limit` as readBodyLimited. */
export async function readBodyBytesLimited(request: Request, limit: number): Promise<Buffer> {
  if (declaredTooLarge(request.headers.get("content-length"), limit)) throw new BodyTooLargeError(`body over ${limit} bytes`);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading without cancelling: cancelling destroys the socket before the 413 is sent.
      reader.releaseLock();
      throw new BodyTooLargeError(`body over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Form posts from the admin: a few hundred KB covers the largest (5,000 customer ids). */
export const MAX_FORM_BYTES = 256 * 1024;

/**
 * A form post's fields, read within `limit` bytes. Throws a 413 Response when the body
 * is larger (Remix answers a thrown Response as it is).
 */
export async function formDataLimited(request: Request, limit = MAX_FORM_BYTES): Promise<FormData> {
  try {
    const body = await readBodyLimited(request, limit);
    return await new Request(request.url, { method: "POST", headers: request.headers, body }).formData();
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw payloadTooLarge(limit);
    throw error;
  }
}
