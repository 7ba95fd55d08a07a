import { randomBytes } from "node:crypto";
import type { Clock } from "./util/clock";
import type { TokenRecord } from "./store/records";

// Expiring offline tokens: an hour of access, 90 days of refresh (unverified figures).
export const EXPIRING_ACCESS_SECONDS = 3_600;
export const REFRESH_SECONDS = 90 * 86_400;
export const ONLINE_TOKEN_SECONDS = 86_399;

export interface IssueOptions {
  shop: string;
  scope: string[];
  online?: boolean;
  userId?: string | null;
  expiring?: boolean;
}

/** Access tokens per shop: a token opens the Admin API of the shop it was issued for, only. */
export class TokenRegistry {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly byRefresh = new Map<string, TokenRecord>();

  constructor(private readonly clock: Clock) {}

  issue(options: IssueOptions): TokenRecord {
    const now = this.clock.now();
    const online = options.online ?? false;
    const expiring = online || (options.expiring ?? false);
    const record: TokenRecord = {
      token: `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      shop: options.shop,
      scope: options.scope,
      online,
      userId: options.userId ?? null,
      expiresAt: expiring ? now + (online ? ONLINE_TOKEN_SECONDS : EXPIRING_ACCESS_SECONDS) * 1000 : null,
      refreshToken: options.expiring && !online ? `shprt_${randomBytes(16).toString("hex")}` : null,
      refreshExpiresAt: options.expiring && !online ? now + REFRESH_SECONDS * 1000 : null,
      revoked: false,
    };
    this.byToken.set(record.token, record);
    if (record.refreshToken) this.byRefresh.set(record.refreshToken, record);
    return record;
  }

  /** The live record for a token presented to `shop`, or null (unknown, other shop, revoked, expired). */
  authenticate(token: string | null | undefined, shop: string): TokenRecord | null {
    if (!token) return null;
    const record = this.byToken.get(token);
    if (!record || record.revoked || record.shop !== shop) return null;
    if (record.expiresAt !== null && record.expiresAt <= this.clock.now()) return null;
    return record;
  }

  refresh(refreshToken: string, shop: string): TokenRecord | null {
    const old = this.byRefresh.get(refreshToken);
    if (!old || old.revoked || old.shop !== shop || (old.refreshExpiresAt ?? 0) <= this.clock.now()) return null;
    // The refresh token is single-use; the old access token lives out its hour.
    old.refreshToken = null;
    this.byRefresh.delete(refreshToken);
    return this.issue({ shop, scope: old.scope, expiring: true });
  }

  revokeShop(shop: string): number {
    let count = 0;
    for (const record of this.byToken.values()) {
      if (record.shop === shop && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    return count;
  }

  forShop(shop: string): TokenRecord[] {
    return [...this.byToken.values()].filter((r) => r.shop === shop);
  }
}
