import { availableParallelism } from "node:os";
import { env } from "../env.server";
import { closeIngestResources } from "../sync/webhook-route.server";
import { logger } from "../logger.server";
import { runWebCluster, webProcessCount } from "./cluster.server";
import { startWebServer } from "./server";

// `npm start`: the web tier. WEB_CONCURRENCY processes share one port (PORT, else 3000),
// each serving the Remix build named by the first argument (build/server/index.js).
process.env.NODE_ENV ??= "production";
process.setSourceMapsEnabled(true);
const settings = env();
const port = Number(process.env.PORT ?? 3000);
await runWebCluster({
  count: webProcessCount({ configured: settings.WEB_CONCURRENCY, nodeEnv: settings.NODE_ENV, cores: availableParallelism() }),
  serve: async () => {
    const server = await startWebServer({ buildPath: process.argv[2] ?? "build/server/index.js", port, host: process.env.HOST });
    logger.info({ port, host: process.env.HOST ?? "all interfaces" }, "web process listening");
    // Finish what is being answered, then exit: the Prisma and Redis pools would hold the
    // process open until runWebCluster's grace period ran out.
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => server.close(() => void closeIngestResources().finally(() => process.exit(0))));
    }
  },
});
