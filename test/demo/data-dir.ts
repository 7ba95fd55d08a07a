import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";

// What the demo keeps in its data directory besides PostgreSQL's cluster: a lock that
// one demo holds while it runs, and the directory's own id, which names its BullMQ
// queues. A new data/ (deleted, or another checkout's) gets a new id, so it never
// shares queues with, or sees the jobs of, an earlier one on the same Redis.

export interface DataDir {
  dir: string;
  /** `patron-demo-<id>`, the id made when the directory was. */
  queuePrefix: string;
  release(): void;
}

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `dir` for this process. Throws DataDirInUseError at once when a live demo holds
 * it; a lock left by a demo that died is taken over.
 */
export function claimDataDir(dir: string): DataDir {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, "demo.pid");
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = Number(readFileSync(lock, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new DataDirInUseError(
          `${dir} is in use by another demo (pid ${holder}). Stop it first (Ctrl-C in its terminal, or kill -INT ${holder}), or give this one another directory with --data-dir.`,
        );
      }
      rmSync(lock, { force: true });
    }
  }
  const idFile = path.join(dir, "demo-id");
  if (!existsSync(idFile)) writeFileSync(idFile, randomBytes(4).toString("hex"));
  const id = readFileSync(idFile, "utf8").trim();
  return {
    dir,
    queuePrefix: `patron-demo-${id}`,
    release: () => {
      if (existsSync(lock) && readFileSync(lock, "utf8").trim() === String(process.pid)) rmSync(lock, { force: true });
    },
  };
}
