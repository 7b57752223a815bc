import { Pool } from 'pg';
import { createPgPool, isDatabaseUnavailable } from './pg-pool';

// A connection killed while checked out (Postgres stopped or restarted under load) must fail its own work
// only: node-postgres emits 'error' on the client, which crashes a process that has no listener for it.
describe(createPgPool.name, () => {
  const admin = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  const sut = createPgPool(process.env.DATABASE_URL as string, 2);

  afterAll(async () => {
    await sut.end();
    await admin.end();
  });

  it('survives a checked-out connection being terminated, and the pool serves the next query', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await sut.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const failure = await client.query('SELECT 1').then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(failure)).toBe(true);
      client.release(failure as Error);
      expect((await sut.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

// Production hosts are not always UTC: CI runs the suite under TZ=America/Los_Angeles (.ci/run), where a
// pool that read or wrote local time would be hours off.
describe('the pool reads and writes time in UTC whatever the process time zone', () => {
  const pool = createPgPool(process.env.DATABASE_URL as string, 2);

  afterAll(async () => {
    await pool.end();
  });

  it('gives back the instant it wrote into a timestamp column', async () => {
    const client = await pool.connect();
    try {
      await client.query(`CREATE TEMP TABLE "Clock" ("at" TIMESTAMP(3), "byDb" TIMESTAMP(3))`);
      const at = new Date('2026-12-05T10:00:00.000Z');
      await client.query(`INSERT INTO "Clock" ("at", "byDb") VALUES ($1, now() AT TIME ZONE 'UTC')`, [at]);
      const { rows } = await client.query<{ at: Date; byDb: Date; text: string }>(
        `SELECT "at", "byDb", "at"::text AS "text" FROM "Clock"`,
      );
      expect(rows[0].at.toISOString()).toBe('2026-12-05T10:00:00.000Z');
      // The stored value is the UTC wall time, as Prisma and every raw statement write it.
      expect(rows[0].text).toBe('2026-12-05 10:00:00');
      expect(Math.abs(rows[0].byDb.getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      client.release();
    }
  });

  it('gives timestamptz values and now() in UTC', async () => {
    const { rows } = await pool.query<{ zone: string; local: Date }>(
      `SELECT current_setting('TimeZone') AS "zone", now()::timestamp AS "local"`,
    );
    expect(rows[0].zone).toMatch(/^(Etc\/)?UTC$/);
    expect(Math.abs(rows[0].local.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
