// Imported into the demo's app and worker: when the demo that started them is gone (killed
// outright, so it could not stop them), they stop as if sent SIGTERM, and nothing is left
// holding the port, the database or the queues.
const demoPid = process.ppid;
setInterval(() => {
  if (process.ppid !== demoPid) process.kill(process.pid, "SIGTERM");
}, 1000).unref();

export {};
