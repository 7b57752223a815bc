import { Client } from 'pg';

/** Drops the run's template database and every per-file copy of it. */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.POSTLINE_TEST_DATABASE;
  if (!name) return;
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
