import { createServer } from "node:http";
import { runWebCluster } from "../../app/web/cluster.server";

// A stand-in web app for the cluster test: it answers with its process id.
await runWebCluster({
  count: 2,
  stopGraceMs: 500,
  serve: () => void createServer((_req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), "127.0.0.1"),
});
