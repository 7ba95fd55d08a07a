import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { randomUUID } from "node:crypto";
import type { StagedUploadService, StagedUploadTarget } from "./admin/context";
import type { ShopStore } from "./store/shop-store";

export const STAGED_UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** Stands in for the Google Cloud Storage bucket Shopify stages bulk-mutation variables in. */
export class StagedUploads implements StagedUploadService {
  constructor(
    private readonly dir: string,
    private readonly publicUrl: () => string,
  ) {}

  createTarget(shop: ShopStore, filename: string, mimeType: string, method: "POST" | "PUT"): StagedUploadTarget {
    const key = `tmp/${shop.data.shop.id}/bulk/${randomUUID()}/${filename.replace(/[^\w.-]/g, "_")}`;
    const base = `${this.publicUrl()}/_staged-uploads`;
    if (method === "PUT") {
      return { url: `${base}/${key}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=fake`, resourceUrl: `${base}/${key}`, parameters: [{ name: "content_type", value: mimeType }, { name: "acl", value: "private" }] };
    }
    return {
      url: `${base}/`,
      resourceUrl: `${base}/${key}`,
      parameters: [
        { name: "Content-Type", value: mimeType },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "key", value: key },
        { name: "x-goog-date", value: "20260701T000000Z" },
        { name: "x-goog-credential", value: "fake-shopify/20260701/auto/storage/goog4_request" },
        { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
        { name: "x-goog-signature", value: "fake" },
        { name: "policy", value: Buffer.from(JSON.stringify({ key })).toString("base64") },
      ],
    };
  }

  /** The stored file for a staged path (the `key` parameter, or the resource URL). */
  pathFor(shop: ShopStore, stagedUploadPath: string): string | null {
    const key = this.keyOf(stagedUploadPath);
    if (!key || !key.startsWith(`tmp/${shop.data.shop.id}/`)) return null;
    const file = this.fileFor(key);
    return file && existsSync(file) ? file : null;
  }

  store(key: string, content: Buffer): boolean {
    const file = this.fileFor(key);
    if (!file) return false;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return true;
  }

  keyOf(pathOrUrl: string): string | null {
    const marker = "/_staged-uploads/";
    const at = pathOrUrl.indexOf(marker);
    const key = at === -1 ? pathOrUrl : pathOrUrl.slice(at + marker.length).split("?")[0];
    return key.startsWith("tmp/") ? decodeURIComponent(key) : null;
  }

  private fileFor(key: string): string | null {
    const file = normalize(join(this.dir, key));
    return file.startsWith(this.dir) ? file : null;
  }
}
