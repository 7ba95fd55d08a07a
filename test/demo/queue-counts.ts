import { Queue } from "bullmq";
import { QUEUES } from "../../app/queue/queues.server";

/** One line of job counts per queue, e.g. `sync: 1 active, 2 waiting, 1 failed`, for the demo's messages. */
export async function queueCounts(redisUrl: string, prefix: string): Promise<string> {
  const lines: string[] = [];
  for (const name of Object.values(QUEUES)) {
    const queue = new Queue(name, { connection: { url: redisUrl, maxRetriesPerRequest: 1, connectTimeout: 2000 }, prefix });
    try {
      const counts = await queue.getJobCounts("active", "waiting", "delayed", "prioritized", "failed", "completed");
      const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`);
      lines.push(`${name}: ${parts.join(", ") || "empty"}`);
    } finally {
      await queue.close();
    }
  }
  return lines.join("; ");
}
