import { createPgPool } from './pg-pool';

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
