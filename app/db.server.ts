import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env.server";

type SqlDriverAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;

declare global {
  var prismaGlobal: PrismaClient | undefined;
}

/**
 * Prisma 6.19's transaction manager sends COMMIT or ROLLBACK through the transaction
 * and hands its connection back to the pool only when that statement succeeds. When
 * PostgreSQL has dropped the connection mid-transaction (a restart, a failover), the
 * statement fails and the connection stays checked out for good: each outage shrinks
 * the pool by one, and `$disconnect()` (pg's `pool.end()`) waits for it forever. This
 * adapter hands the connection back when either statement fails; pg drops a connection
 * that is no longer usable instead of pooling it.
 */
class PrismaPgReleasingFailedEnds extends PrismaPg {
  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseWhenEndFails(await startTransaction(isolationLevel));
    return adapter;
  }
}

function releaseWhenEndFails(transaction: Transaction): Transaction {
  const executeRaw = transaction.executeRaw.bind(transaction);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.sql === "COMMIT" || query.sql === "ROLLBACK") await transaction.rollback().catch(() => undefined);
      throw error;
    }
  };
  return transaction;
}

/**
 * A Prisma client on its own pool of at most `max` connections to `connectionString`.
 * A query waits at most `connectTimeoutMs` for a connection, then fails (an outage,
 * retried by jobs; a 503 on webhooks).
 */
export function createPrismaClient(connectionString: string, max = 10, connectTimeoutMs = 30_000): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPgReleasingFailedEnds({ connectionString, max, connectionTimeoutMillis: connectTimeoutMs }) });
}

// One client per process; in development Vite reloads modules, so the client is
// kept on globalThis to avoid leaking connection pools.
const prisma =
  globalThis.prismaGlobal ?? createPrismaClient(env().DATABASE_URL, env().DATABASE_POOL_MAX, env().DATABASE_CONNECT_TIMEOUT_MS);
if (env().NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
