import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { logger } from "../logger.server";
import type { OfflineTokens } from "./offline-tokens.server";

// The session storage shopify-app-remix is given. With expiringOfflineAccessTokens the
// library refreshes an offline token by itself when it loads one within 5 minutes of
// expiry (webhooks, unauthenticated.admin), with no lock between processes: two
// processes would each spend the same refresh token. So offline sessions are renewed
// here, through OfflineTokens (one renewal per shop across processes), and handed to
// the library without their refresh token, which leaves it nothing to refresh with.

export class RenewingSessionStorage implements SessionStorage {
  /** Offline sessions handed to the library, with the access token each carried. */
  private readonly handedOut = new WeakMap<Session, string>();

  constructor(
    private readonly inner: SessionStorage,
    private readonly db: PrismaClient,
    private readonly tokens: () => OfflineTokens,
  ) {}

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    if (!stored || stored.isOnline) return stored;
    let current: Session = stored;
    try {
      current = (await this.tokens().session(stored.shop)) ?? stored;
    } catch (error) {
      // An admin visit still works: the library exchanges the session token for a new pair.
      logger.warn({ shop: stored.shop, err: (error as Error).message }, "offline session not renewed on load");
    }
    const copy = new Session({
      id: current.id,
      shop: current.shop,
      state: current.state,
      isOnline: false,
      scope: current.scope,
      expires: current.expires,
      accessToken: current.accessToken,
    });
    this.handedOut.set(copy, current.accessToken ?? "");
    return copy;
  }

  async storeSession(session: Session): Promise<boolean> {
    const original = this.handedOut.get(session);
    if (original === undefined) return this.inner.storeSession(session);
    // A session handed out above and changed by the library (it blanks the access token
    // after a 401): keep the stored refresh pair, and leave a pair renewed since alone.
    await this.db.session.updateMany({
      where: { id: session.id, accessToken: original },
      data: { accessToken: session.accessToken ?? "", expires: session.expires ?? null },
    });
    return true;
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
