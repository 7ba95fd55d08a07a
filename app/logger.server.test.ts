import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.server";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info" }, stream) };
}

describe("structured logging", () => {
  it("keeps shop context and redacts credentials and customer personal data", () => {
    const { lines, logger } = capture();
    logger.child({ shop: "a.myshopify.com" }).info(
      {
        session: { accessToken: "shpat_secret", refreshToken: "shprt_secret" },
        customer: { id: "gid://shopify/Customer/1", email: "jane@example.com", first_name: "Jane", phone: "+15550100" },
        headers: { authorization: "Bearer abc" },
      },
      "customer synced",
    );
    const [line] = lines;
    expect(line).toMatchObject({ shop: "a.myshopify.com", msg: "customer synced" });
    const text = JSON.stringify(line);
    for (const secret of ["shpat_secret", "shprt_secret", "jane@example.com", "Jane", "+15550100", "Bearer abc"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("gid://shopify/Customer/1");
  });
});
