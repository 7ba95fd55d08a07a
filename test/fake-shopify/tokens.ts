import { randomBytes } from "node:crypto";
import type { Clock } from "./util/clock";
import type { TokenRecord } from "./store/records";

// Expiring offline tokens (shopify.dev "About offline access tokens", changelog
// 2025-12-10 and 2026-08-28): an hour of access, 90 days of refresh. A refresh token
// stays usable until its replacement is first used, for at most 30 days after its own
// first use, so an app that lost a refresh response retries with the token it kept.
// A non-expiring token migrated by token exchange can be exchanged again for 7 days and
// gets the same pair back, until that pair is refreshed or a later install replaces it.
export const EXPIRING_ACCESS_SECONDS = 3_600;
export const REFRESH_SECONDS = 90 * 86_400;
export const REFRESH_RECOVERY_SECONDS = 30 * 86_400;
export const MIGRATION_RETRY_SECONDS = 7 * 86_400;
export const ONLINE_TOKEN_SECONDS = 86_399;

export interface IssueOptions {
  shop: string;
  scope: string[];
  online?: boolean;
  userId?: string | null;
  /** Offline tokens only; default true (public apps must use expiring offline tokens). */
  expiring?: boolean;
}

export interface TokenRegistryOptions {
  /**
   * Multiplies every token lifetime (access, refresh, recovery windows), so tests and
   * the demo see tokens expire in minutes or seconds. Default 1.
   */
  timeScale?: number;
}

/** Why a refresh or migration was refused: the OAuth error the fake answers with. */
export interface TokenRefusal {
  error: "invalid_grant" | "invalid_subject_token";
  description: string;
}

interface RefreshState {
  token: string;
  shop: string;
  scope: string[];
  expiresAt: number;
  /** The refresh token this one replaced; used once this one is used. */
  predecessor: string | null;
  /** The newest pair issued from this token (an unused one is superseded by a retry). */
  replacement: string | null;
  firstUsedAt: number | null;
  state: "live" | "retired" | "revoked";
}

interface Migration {
  accessToken: string;
  refreshToken: string;
  at: number;
  generation: number;
}

export interface TokenStats {
  /** Refresh grants answered with a new pair. */
  refreshes: number;
  /** Refresh grants refused (expired, revoked, retired or unknown refresh token). */
  refusedRefreshes: number;
  /** Non-expiring tokens migrated to expiring ones (retries of one migration count once). */
  migrations: number;
}

/** Access tokens per shop: a token opens the Admin API of the shop it was issued for, only. */
export class TokenRegistry {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshState>();
  private readonly migrations = new Map<string, Migration>();
  /** Bumped by every install-type acquisition (code, ID-token exchange), which ends migration retries. */
  private readonly generations = new Map<string, number>();
  private readonly stats = new Map<string, TokenStats>();
  private readonly scale: number;

  constructor(
    private readonly clock: Clock,
    options: TokenRegistryOptions = {},
  ) {
    this.scale = options.timeScale ?? 1;
  }

  /** A lifetime in milliseconds after scaling. */
  private ms(seconds: number): number {
    return Math.max(1000, Math.round(seconds * 1000 * this.scale));
  }

  statsFor(shop: string): TokenStats {
    let stats = this.stats.get(shop);
    if (!stats) {
      stats = { refreshes: 0, refusedRefreshes: 0, migrations: 0 };
      this.stats.set(shop, stats);
    }
    return stats;
  }

  /** An install-type acquisition (authorization code, ID-token exchange, control API). */
  issue(options: IssueOptions): TokenRecord {
    this.generations.set(options.shop, (this.generations.get(options.shop) ?? 0) + 1);
    return this.mint(options, null);
  }

  private mint(options: IssueOptions, predecessor: string | null): TokenRecord {
    const now = this.clock.now();
    const online = options.online ?? false;
    const expiringOffline = !online && (options.expiring ?? true);
    const record: TokenRecord = {
      token: `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      shop: options.shop,
      scope: options.scope,
      online,
      userId: options.userId ?? null,
      expiresAt: online ? now + ONLINE_TOKEN_SECONDS * 1000 : expiringOffline ? now + this.ms(EXPIRING_ACCESS_SECONDS) : null,
      refreshToken: expiringOffline ? `shprt_${randomBytes(16).toString("hex")}` : null,
      refreshExpiresAt: expiringOffline ? now + this.ms(REFRESH_SECONDS) : null,
      revoked: false,
    };
    this.byToken.set(record.token, record);
    if (record.refreshToken) {
      this.refreshTokens.set(record.refreshToken, {
        token: record.refreshToken,
        shop: record.shop,
        scope: record.scope,
        expiresAt: record.refreshExpiresAt!,
        predecessor,
        replacement: null,
        firstUsedAt: null,
        state: "live",
      });
    }
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

  /**
   * The refresh grant: a new access token and a new refresh token. Using a refresh
   * token retires the one it replaced; retrying a token whose replacement was never
   * used (a lost response) gives a new pair and supersedes that unused replacement.
   */
  refresh(refreshToken: string, shop: string): TokenRecord | TokenRefusal {
    const now = this.clock.now();
    const stats = this.statsFor(shop);
    const state = this.refreshTokens.get(refreshToken);
    const refuse = (description: string): TokenRefusal => {
      stats.refusedRefreshes++;
      return { error: "invalid_grant", description };
    };
    if (!state || state.shop !== shop) return refuse("The refresh token is invalid.");
    if (state.state === "revoked") return refuse("The refresh token has been revoked.");
    if (state.state === "retired") return refuse("The refresh token has already been used and was replaced.");
    if (state.expiresAt <= now) return refuse("The refresh token has expired.");
    if (state.firstUsedAt !== null && now > state.firstUsedAt + this.ms(REFRESH_RECOVERY_SECONDS)) {
      state.state = "retired";
      return refuse("The refresh token has already been used and was replaced.");
    }
    if (state.predecessor) {
      const previous = this.refreshTokens.get(state.predecessor);
      if (previous && previous.state === "live") previous.state = "retired";
    }
    if (state.replacement) {
      const unused = this.refreshTokens.get(state.replacement);
      if (unused && unused.state === "live" && unused.firstUsedAt === null) unused.state = "retired";
    }
    state.firstUsedAt ??= now;
    // A refresh of a migrated pair ends that migration's retries.
    for (const [subject, migration] of this.migrations) if (migration.refreshToken === refreshToken) this.migrations.delete(subject);
    const record = this.mint({ shop, scope: state.scope, expiring: true }, refreshToken);
    state.replacement = record.refreshToken;
    stats.refreshes++;
    return record;
  }

  /**
   * Token exchange of a non-expiring offline token for an expiring pair (Shopify's
   * migration). The original stops opening the Admin API; an eligible retry with it
   * returns the same pair, its access token extended when needed.
   */
  migrate(subjectToken: string, shop: string): TokenRecord | TokenRefusal {
    const now = this.clock.now();
    const refuse = (description: string): TokenRefusal => ({ error: "invalid_subject_token", description });
    const original = this.byToken.get(subjectToken);
    if (!original || original.shop !== shop || original.online) return refuse("The subject token is invalid.");
    if (original.expiresAt !== null) return refuse("The subject token is already an expiring token.");
    const earlier = this.migrations.get(subjectToken);
    if (earlier) {
      const pair = this.byToken.get(earlier.accessToken);
      const eligible =
        pair && !pair.revoked && now <= earlier.at + this.ms(MIGRATION_RETRY_SECONDS) && earlier.generation === (this.generations.get(shop) ?? 0);
      if (!eligible) return refuse("The subject token was already exchanged.");
      pair.expiresAt = Math.max(pair.expiresAt ?? 0, now + this.ms(EXPIRING_ACCESS_SECONDS));
      return pair;
    }
    if (original.revoked) return refuse("The subject token has been revoked.");
    original.revoked = true;
    const record = this.mint({ shop, scope: original.scope, expiring: true }, null);
    this.migrations.set(subjectToken, { accessToken: record.token, refreshToken: record.refreshToken!, at: now, generation: this.generations.get(shop) ?? 0 });
    this.statsFor(shop).migrations++;
    return record;
  }

  /** Uninstall: every access and refresh token of the shop stops working. */
  revokeShop(shop: string): number {
    let count = 0;
    for (const record of this.byToken.values()) {
      if (record.shop === shop && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    this.revokeRefreshTokens(shop);
    return count;
  }

  /** Every refresh token of the shop refused from now on (access tokens live out their hour). */
  revokeRefreshTokens(shop: string): number {
    let count = 0;
    for (const state of this.refreshTokens.values()) {
      if (state.shop === shop && state.state !== "revoked") {
        state.state = "revoked";
        count++;
      }
    }
    return count;
  }

  /** Ends the life of every access token of the shop now, as if its hour had passed. */
  expireAccessTokens(shop: string): number {
    const now = this.clock.now();
    let count = 0;
    for (const record of this.byToken.values()) {
      if (record.shop === shop && record.expiresAt !== null && record.expiresAt > now) {
        record.expiresAt = now;
        count++;
      }
    }
    return count;
  }

  forShop(shop: string): TokenRecord[] {
    return [...this.byToken.values()].filter((r) => r.shop === shop);
  }
}

export const isRefusal = (value: TokenRecord | TokenRefusal): value is TokenRefusal => "error" in value;
