import prisma from "../db.server";
import { logger } from "../logger.server";
import { startWorker } from "./worker.server";

// `npm run worker`: the BullMQ worker process.
const stop = await startWorker().catch((error: Error) => {
  logger.fatal({ err: error.message }, "worker did not start");
  process.exit(1);
});

function shutdown(signal: string) {
  logger.info({ signal }, "worker stopping");
  stop()
    .then(() => prisma.$disconnect())
    .then(() => process.exit(0))
    .catch((error) => {
      logger.error({ err: (error as Error).message }, "worker did not stop cleanly");
      process.exit(1);
    });
}

process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
