import type { PrismaClient } from "@prisma/client";
import { HttpResponseError, Session } from "@shopify/shopify-api";
import { logger } from "../logger.server";
import { ShopifyPermanentError } from "./admin-graphql.server";

// The one place an offline access token is renewed. Shopify's expiring offline tokens
// live an hour; their refresh token is replaced at every refresh and the previous one
// stays usable until its replacement is first used (changelog 2026-08-28). So:
// - one renewal per shop at a time across every process: a PostgreSQL advisory lock
//   keyed by the shop, taken with a bounded wait; whoever waits re-reads the session
//   and reuses the pair the holder stored;
// - the pair is stored in one UPDATE, and only over the pair it was renewed from;
// - a renewal whose answer was lost left the old pair stored, and the old refresh
//   token is still good: the next renewal simply uses it again;
// - a refresh token Shopify refuses (expired, revoked) flags the shop
//   (Shop.reauthNeededAt) and nothing retries it until the merchant's next visit,
//   whose token exchange stores a new pair and clears the flag.
// Non-expiring sessions (installs from before the switch) are migrated to an expiring
// pair by token exchange of the old token (Shopify's migration guide).

/** Renew when less than this is left: more than the 5 minutes within which shopify-app-remix itself renews or re-exchanges. */
export const RENEW_AHEAD_MS = 6 * 60_000;
const WAIT_FOR_RENEWAL_MS = 15_000;
const LOCK_POLL_MS = 100;
const LOCK_CLASS = 724_013;

/**
 * The shop's refresh token was refused: only the merchant opening the app can restore
 * access. A ShopifyPermanentError, so nothing retries it.
 */
export class ShopNeedsReauthError extends ShopifyPermanentError {
  override name = "ShopNeedsReauthError";
  constructor(
    readonly shop: string,
    readonly reason: string,
  ) {
    super(`${shop} needs the merchant to open the app: ${reason}`);
  }
}

/** Another process held the shop's renewal longer than the bounded wait: retry later. */
export class TokenRenewalBusyError extends Error {
  override name = "TokenRenewalBusyError";
}

export interface OfflineTokenDeps {
  db: PrismaClient;
  /** shopify.api.auth.refreshToken: the refresh grant, answered as a new offline Session. */
  refresh: (shop: string, refreshToken: string) => Promise<Session>;
  /** shopify.api.auth.migrateToExpiringToken: a non-expiring token exchanged for an expiring pair. */
  migrate: (shop: string, nonExpiringAccessToken: string) => Promise<Session>;
  /** Renew when less than this many ms of the access token are left; default RENEW_AHEAD_MS. */
  aheadMs?: number;
  /** How long a caller waits for another process's renewal before TokenRenewalBusyError; default 15 s. */
  waitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface OfflineTokens {
  /**
   * The shop's offline session with an access token good for at least `aheadMs`
   * (renewed first when needed), or null when the shop has no offline session.
   * @throws ShopNeedsReauthError when the refresh token is refused or the shop is flagged
   * @throws TokenRenewalBusyError when another process's renewal outlasts the wait
   */
  session(shop: string): Promise<Session | null>;
  /**
   * After Shopify answered 401 to `rejectedAccessToken`: the session renewed once more,
   * unless another process already replaced that token. Same errors as session().
   */
  afterUnauthorized(shop: string, rejectedAccessToken: string): Promise<Session | null>;
}

type Need = (session: Session) => boolean;

export const offlineSessionId = (shop: string) => `offline_${shop}`;

/** A session whose token may be renewed: it expires (it has a refresh token) or it is a non-expiring one to migrate. */
function renewable(session: Session): boolean {
  return Boolean(session.refreshToken) || !session.expires;
}

function rowToSession(row: {
  id: string;
  shop: string;
  state: string;
  isOnline: boolean;
  scope: string | null;
  expires: Date | null;
  accessToken: string;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
}): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.isOnline,
    scope: row.scope ?? undefined,
    expires: row.expires ?? undefined,
    accessToken: row.accessToken,
    refreshToken: row.refreshToken ?? undefined,
    refreshTokenExpires: row.refreshTokenExpires ?? undefined,
  });
}

/** Shopify's answer to a refresh or migration that no retry can change (400/401 with an OAuth error). */
function refusal(error: unknown): string | null {
  if (!(error instanceof HttpResponseError)) return null;
  if (error.response.code !== 400 && error.response.code !== 401) return null;
  const body = error.response.body as { error?: string; error_description?: string } | undefined;
  return [body?.error, body?.error_description].filter(Boolean).join(": ") || `HTTP ${error.response.code}`;
}

export function createOfflineTokens(deps: OfflineTokenDeps): OfflineTokens {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const aheadMs = deps.aheadMs ?? RENEW_AHEAD_MS;
  const waitMs = deps.waitMs ?? WAIT_FOR_RENEWAL_MS;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // One renewal per shop in this process; the advisory lock covers the others.
  const inFlight = new Map<string, Promise<Session | null>>();

  const expiring = (session: Session) => !session.accessToken || !session.expires || session.expires.getTime() - aheadMs <= now();

  async function load(shop: string): Promise<Session | null> {
    const row = await db.session.findUnique({ where: { id: offlineSessionId(shop) } });
    return row ? rowToSession(row) : null;
  }

  // Inside the renewal's transaction this reads through it: a second connection could
  // wait on the first where one PostgreSQL session serves them all (the demo's PGlite).
  async function flagged(shop: string, client: Pick<PrismaClient, "shop"> = db): Promise<string | null> {
    const row = await client.shop.findUnique({ where: { domain: shop }, select: { reauthNeededAt: true, reauthReason: true } });
    return row?.reauthNeededAt ? (row.reauthReason ?? "the refresh token was refused") : null;
  }

  async function flag(shop: string, reason: string) {
    await db.shop.updateMany({ where: { domain: shop, reauthNeededAt: null }, data: { reauthNeededAt: new Date(now()), reauthReason: reason } });
    // The stored token is dead or about to be: the merchant's next visit must exchange a new one.
    await db.session.updateMany({ where: { id: offlineSessionId(shop) }, data: { expires: new Date(now()) } });
    logger.warn({ shop, reason }, "offline token refused; background work waits for the merchant to open the app");
  }

  /** Renews under the shop's lock; "busy" when another process holds it. */
  async function renewLocked(shop: string, needs: Need): Promise<{ session: Session | null } | "busy"> {
    const outcome = await db.$transaction(
      async (tx) => {
        const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${shop})) AS locked`;
        if (!locked) return { kind: "busy" as const };
        const row = await tx.session.findUnique({ where: { id: offlineSessionId(shop) } });
        if (!row) return { kind: "done" as const, session: null };
        const current = rowToSession(row);
        if (!needs(current)) return { kind: "done" as const, session: current };
        const reason = await flagged(shop, tx);
        if (reason) return { kind: "refused" as const, reason };
        if (current.refreshToken && current.refreshTokenExpires && current.refreshTokenExpires.getTime() <= now()) {
          return { kind: "refused" as const, reason: "the refresh token expired" };
        }
        let fresh: Session;
        try {
          fresh = current.refreshToken ? await deps.refresh(shop, current.refreshToken) : await deps.migrate(shop, current.accessToken ?? "");
        } catch (error) {
          const refused = refusal(error);
          if (refused) return { kind: "refused" as const, reason: refused };
          // Nothing stored changed: the kept refresh token is still good for the next try.
          throw error;
        }
        const { count } = await tx.session.updateMany({
          where: { id: row.id, accessToken: row.accessToken },
          data: {
            accessToken: fresh.accessToken ?? "",
            expires: fresh.expires ?? null,
            scope: fresh.scope ?? row.scope,
            refreshToken: fresh.refreshToken ?? null,
            refreshTokenExpires: fresh.refreshTokenExpires ?? null,
          },
        });
        logger.info({ shop, migrated: !current.refreshToken, expires: fresh.expires?.toISOString() }, "offline token renewed");
        return { kind: "done" as const, session: count === 1 ? fresh : rowToSession((await tx.session.findUniqueOrThrow({ where: { id: row.id } })) as typeof row) };
      },
      // The refresh call happens inside: give it room, but not forever.
      { maxWait: waitMs, timeout: waitMs + 30_000 },
    );
    if (outcome.kind === "refused") {
      await flag(shop, outcome.reason);
      throw new ShopNeedsReauthError(shop, outcome.reason);
    }
    return outcome.kind === "busy" ? "busy" : { session: outcome.session };
  }

  async function renew(shop: string, needs: Need): Promise<Session | null> {
    const deadline = now() + waitMs;
    for (;;) {
      const result = await renewLocked(shop, needs);
      if (result !== "busy") return result.session;
      // Another process is renewing: its pair is what this caller wants.
      await sleep(LOCK_POLL_MS);
      const stored = await load(shop);
      if (!stored || !needs(stored)) return stored;
      if (now() > deadline) throw new TokenRenewalBusyError(`waited ${waitMs} ms for another process to renew the offline token of ${shop}`);
    }
  }

  function once(shop: string, needs: Need): Promise<Session | null> {
    const running = inFlight.get(shop);
    if (running) return running;
    const promise = renew(shop, needs).finally(() => inFlight.delete(shop));
    inFlight.set(shop, promise);
    return promise;
  }

  return {
    async session(shop) {
      const stored = await load(shop);
      if (!stored || !renewable(stored) || (stored.expires && !expiring(stored))) return stored;
      const reason = await flagged(shop);
      if (reason) throw new ShopNeedsReauthError(shop, reason);
      return once(shop, (s) => renewable(s) && (!s.expires || expiring(s)));
    },

    async afterUnauthorized(shop, rejectedAccessToken) {
      const stored = await load(shop);
      if (!stored) return null;
      if (stored.accessToken && stored.accessToken !== rejectedAccessToken) return stored;
      if (!renewable(stored)) return stored;
      const reason = await flagged(shop);
      if (reason) throw new ShopNeedsReauthError(shop, reason);
      return once(shop, (s) => !s.accessToken || s.accessToken === rejectedAccessToken);
    },
  };
}
