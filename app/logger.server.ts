import pino from "pino";

// Customer personal data and credentials never reach the logs, even when an
// object holding them is logged whole by mistake.
export const redactedPaths = [
  "accessToken",
  "*.accessToken",
  "access_token",
  "*.access_token",
  "refreshToken",
  "*.refreshToken",
  "refresh_token",
  "*.refresh_token",
  "apiSecretKey",
  "*.apiSecretKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  "email",
  "*.email",
  "phone",
  "*.phone",
  "firstName",
  "*.firstName",
  "lastName",
  "*.lastName",
  "first_name",
  "*.first_name",
  "last_name",
  "*.last_name",
  "address",
  "*.address",
  "payload",
  "*.payload",
];

export function createLogger(options: { level?: string; name?: string } = {}, destination?: pino.DestinationStream) {
  return pino(
    {
      name: options.name ?? "patron",
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths: redactedPaths, censor: "[redacted]" },
      base: { pid: process.pid },
    },
    destination,
  );
}

export const logger = createLogger();

export function shopLogger(shop: string, context: Record<string, unknown> = {}) {
  return logger.child({ shop, ...context });
}
