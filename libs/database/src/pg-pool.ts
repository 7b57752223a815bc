import pg, { Pool, type PoolClient, type PoolConfig } from 'pg';

/** Injection token of the node-postgres pool shared by Prisma (driver adapter) and batched hot-path SQL. */
export const PG_POOL = Symbol('PG_POOL');

const TIMESTAMP_OID = 1114;

// A `timestamp` (without time zone) column holds UTC wall time: read it as UTC, not in the process' zone.
const parseUtcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);

/**
 * Pool settings that keep time in UTC whatever `TZ` says: the session's TimeZone is UTC (so `now()` cast to
 * `timestamp`, and `timestamptz` shown as text, are UTC), `timestamp` values are read as UTC, and Date
 * parameters are sent as UTC (node-postgres sends local time otherwise, and a `timestamp` column drops the
 * offset). The last is a process-wide setting of node-postgres; every pool of the process wants it.
 */
export function utcPoolConfig(config: PoolConfig): PoolConfig {
  pg.defaults.parseInputDatesAsUTC = true;
  return {
    ...config,
    options: [config.options, '-c TimeZone=UTC'].filter(Boolean).join(' '),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === TIMESTAMP_OID && format !== 'binary'
          ? parseUtcTimestamp
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  };
}

export function createPgPool(connectionString: string, max: number): Pool {
  const pool = new Pool(
    utcPoolConfig({ connectionString, max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 }),
  );
  // An idle client losing its connection (Postgres restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: the pool listens to idle clients only, and an 'error' event nobody hears
  // exits the process. The work on that client fails on its own; its release removes it from the pool.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `fn` in one transaction on one pooled connection. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Postgres unreachable or going away: the request can be retried later (503), the data is not at fault. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed: errors raised in another realm (jest's sandbox, worker threads) fail `instanceof Error`.
  if (typeof error !== 'object' || error === null) return false;
  const { code = '', message = '' } = error as { code?: string; message?: string };
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300'].includes(code)
  ) {
    return true;
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|ECONNREFUSED|not queryable|terminating connection/i.test(
    message,
  );
}
