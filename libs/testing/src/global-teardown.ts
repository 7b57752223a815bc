import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.POSTLINE_TEST_DATABASE;
  if (!name) return;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
