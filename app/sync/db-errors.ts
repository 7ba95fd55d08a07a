// Database errors that a retry cannot fix: the data itself is refused. Everything
// else (connection refused, pool timeout, serialization failure) is an outage and is
// retried. SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html

/** Prisma error codes about the values sent, not the server: https://www.prisma.io/docs/orm/reference/error-reference */
const PERMANENT_PRISMA_CODES = new Set(["P2000", "P2005", "P2006", "P2007", "P2009", "P2011", "P2012", "P2019", "P2020", "P2023", "P2033"]);

/** 22 data exception (22003 numeric out of range, 22007 bad datetime, 22P02 bad text, 22P05 unsupported Unicode), 54 program limit exceeded (54001 nesting too deep). */
const PERMANENT_SQLSTATE_CLASSES = new Set(["22", "54"]);
/** Integrity violations that depend on the row alone, not on a concurrent writer. */
const PERMANENT_SQLSTATES = new Set(["23502", "23514"]);

function sqlStates(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 4) return [];
  const found: string[] = [];
  const record = error as Record<string, unknown>;
  for (const key of ["code", "originalCode", "sqlState"]) {
    const value = record[key];
    if (typeof value === "string" && /^[0-9A-Z]{5}$/.test(value) && !value.startsWith("P")) found.push(value);
  }
  for (const key of ["cause", "meta", "driverAdapterError"]) found.push(...sqlStates(record[key], depth + 1));
  return found;
}

/**
 * Whether a database error is permanent for the data that caused it: a Prisma
 * validation error, a Prisma value error (P2000, P2020, …), or PostgreSQL refusing the
 * data (SQLSTATE class 22 or 54, not-null or check violations), found on the error,
 * its `meta` or its `cause` chain. Raw queries report the SQLSTATE only in the message
 * (`Code: \`22003\``), which is read as a last resort.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { name, code, message } = error as { name?: string; code?: unknown; message?: unknown };
  if (name === "PrismaClientValidationError") return true;
  if (typeof code === "string" && PERMANENT_PRISMA_CODES.has(code)) return true;
  const states = sqlStates(error);
  const fromMessage = typeof message === "string" ? [...message.matchAll(/\bcode:?\s*`?([0-9A-Z]{5})`?/gi)].map((m) => m[1]) : [];
  return [...states, ...fromMessage].some((s) => PERMANENT_SQLSTATES.has(s) || PERMANENT_SQLSTATE_CLASSES.has(s.slice(0, 2)));
}
