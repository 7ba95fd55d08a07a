import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env.server";

declare global {
  var prismaGlobal: PrismaClient | undefined;
}

export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

// One client per process; in development Vite reloads modules, so the client is
// kept on globalThis to avoid leaking connection pools.
const prisma = globalThis.prismaGlobal ?? createPrismaClient(env().DATABASE_URL, env().DATABASE_POOL_MAX);
if (env().NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
