import Redis from 'ioredis';
import { Client } from 'pg';

/** Deletes the queue keys of every test file of the run (their prefixes start with the run's name). */
async function dropQueueKeys(run: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${run}_q*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Drops the run's template database, every per-file copy of it, and every file's queue keys. */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.POSTLINE_TEST_DATABASE;
  if (!name) return;
  await dropQueueKeys(name);
  const admin = new Client({
    connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
    `${name}%`,
  ]);
  for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  await admin.end();
}
