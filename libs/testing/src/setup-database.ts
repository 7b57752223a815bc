import { Client } from 'pg';

// Creates this test file's database (named in setup-env.ts) as a copy of the run's migrated template
// before any of the file's own hooks run. The copies are dropped by the global teardown.
beforeAll(async () => {
  const template = process.env.POSTLINE_TEST_DATABASE;
  const name = process.env.POSTLINE_TEST_FILE_DATABASE;
  if (!template || !name) return;
  const admin = new Client({
    connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  try {
    // Postgres refuses to copy a template while another copy is being made from it: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
});
