/**
 * The database server, not the statement, failed: it is down, restarting, or the connection was lost.
 * The BFF answers 503 DATABASE_UNREACHABLE for it (errors.ts), and the request can be retried.
 */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/** Socket errors, and SQLSTATE class 08 (connection exception) and 57P01-03 (server shutting down or starting). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03']);

export function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  // node-postgres reports a lost connection without a code.
  return /Connection terminated|connection error and is not queryable/.test(err.message);
}
