import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { env } from "../env.server";
import { runWebCluster, webProcessCount } from "./cluster.server";

// `npm start`: the web tier. Several processes share one port (WEB_CONCURRENCY), each
// running remix-serve on the build named by the first argument (build/server/index.js).
const settings = env();
// Every process must bind the same port: remix-serve would pick a free one per process.
process.env.PORT ??= "3000";
await runWebCluster({
  count: webProcessCount({ configured: settings.WEB_CONCURRENCY, nodeEnv: settings.NODE_ENV, cores: availableParallelism() }),
  serve: () => {
    createRequire(import.meta.url)("@remix-run/serve/dist/cli.js");
  },
});
