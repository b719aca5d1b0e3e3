/** The PostgreSQL driver (`pg`): a pool, and type parsers that return what SQLite returns. */
import pg from 'pg';
import type { Database, OpenDatabaseOptions, Row } from './database.ts';
import { redactUrl, scrub, secretsOf } from './redact.ts';
import { createDatabase, type Conn, type Driver } from './transactions.ts';
import { DatabaseUnreachableError, isConnectionFailure } from './unreachable.ts';

const PG_OID = {
  BOOL: 16,
  INT8: 20,
  JSON: 114,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  NUMERIC: 1700,
  JSONB: 3802,
} as const;

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Value is too large to be represented as a JavaScript number: ${text}`);
  }
  return n;
}

function pgTimestampToIso(text: string, assumeUtc: boolean): string {
  if (text === 'infinity' || text === '-infinity') return text;
  // "2024-05-01 12:00:00.123456+02" / "2024-05-01 12:00:00" → ISO-8601 UTC
  let s = text.replace(' ', 'T');
  if (assumeUtc) s += 'Z';
  else if (/[+-]\d\d$/.test(s)) s += ':00';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

const identity = (text: string): string => text;

function portableTypeParser(oid: number, format?: string): (text: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as (text: string) => unknown;
  switch (oid) {
    case PG_OID.INT8:
      return parseInt8;
    case PG_OID.NUMERIC:
      return (t: string) => Number(t);
    case PG_OID.BOOL:
      return (t: string) => (t === 't' || t === 'true' ? 1 : 0);
    case PG_OID.TIMESTAMPTZ:
      return (t: string) => pgTimestampToIso(t, false);
    case PG_OID.TIMESTAMP:
      return (t: string) => pgTimestampToIso(t, true);
    case PG_OID.DATE:
    case PG_OID.JSON:
    case PG_OID.JSONB:
      return identity;
    default:
      return pg.types.getTypeParser(oid, 'text') as (text: string) => unknown;
  }
}

type PgResult = pg.QueryResult<Row> | pg.QueryResult<Row>[];

function lastResult(r: PgResult): pg.QueryResult<Row> | undefined {
  return Array.isArray(r) ? r[r.length - 1] : r;
}

function sumRowCount(r: PgResult): number {
  const list = Array.isArray(r) ? r : [r];
  let n = 0;
  for (const x of list) {
    if (x.command === 'INSERT' || x.command === 'UPDATE' || x.command === 'DELETE' || x.command === 'MERGE') {
      n += x.rowCount ?? 0;
    }
  }
  return n;
}

export async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const { logger } = opts;
  const safeUrl = redactUrl(url);
  const secrets = secretsOf(url);
  const cleanError = (err: unknown, prefix?: string): Error => {
    const msg = scrub(err instanceof Error ? err.message : String(err), secrets);
    const e = new Error(prefix ? `${prefix}: ${msg}` : msg);
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== undefined) (e as Error & { code?: unknown }).code = code;
    return e;
  };

  const unreachable = (err: unknown) =>
    new DatabaseUnreachableError(cleanError(err, `PostgreSQL at ${safeUrl} is unreachable`).message, err);

  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: 'escape-batch-portal',
    types: { getTypeParser: portableTypeParser as unknown as pg.CustomTypesConfig['getTypeParser'] },
  });
  pool.on('error', (err) => {
    // An idle client died (e.g. server restart); the pool replaces it. Never crash the process for this.
    const info = { err: scrub(err.message, secrets), url: safeUrl };
    if (logger?.warn) logger.warn(info, 'idle PostgreSQL client error');
    else logger?.info(info, 'idle PostgreSQL client error');
  });

  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw cleanError(err, `cannot connect to PostgreSQL at ${safeUrl}`);
  }

  const run = async (q: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<PgResult> => {
    try {
      return (await q.query({ text: sql, values: params as unknown[] })) as unknown as PgResult;
    } catch (err) {
      if (isConnectionFailure(err)) throw unreachable(err);
      // pg errors carry no connection string, but scrub anyway; keep code/detail for callers (e.g. 23505).
      if (err instanceof Error && secrets.some((s) => err.message.includes(s))) throw cleanError(err);
      throw err;
    }
  };
  const connOf = (q: pg.Pool | pg.PoolClient): Conn => ({
    query: async (sql, params) => lastResult(await run(q, sql, params))?.rows ?? [],
    exec: async (sql, params) => sumRowCount(await run(q, sql, params)),
  });

  const driver: Driver = {
    dialect: 'postgres',
    direct: connOf(pool),
    async withTransaction<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw isConnectionFailure(err) ? unreachable(err) : cleanError(err, `cannot connect to PostgreSQL at ${safeUrl}`);
      }
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(connOf(client));
        const commit = await client.query('COMMIT');
        // COMMIT of an aborted transaction silently rolls back: report it.
        if (commit.command === 'ROLLBACK') {
          throw new Error('transaction was aborted by an earlier error and has been rolled back');
        }
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };

  logger?.info({ dialect: 'postgres', url: safeUrl }, 'database opened');
  return createDatabase(driver);
}
