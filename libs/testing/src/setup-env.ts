import { randomBytes } from 'node:crypto';

// Runs before each integration test file: its own database and queue prefix (its jobs never meet another file's),
// quiet logs, and the fixed settings tests rely on. A file can still override any of these before it
// imports an app module (ConfigModule reads the environment when the module is first imported).
process.env.NODE_ENV = 'test';
// This file's own database, created from the run's template by setup-database.ts before the file's hooks.
if (process.env.POSTLINE_TEST_DATABASE) {
  const fileDatabase = `${process.env.POSTLINE_TEST_DATABASE}_f${randomBytes(5).toString('hex')}`;
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${fileDatabase}`;
  process.env.POSTLINE_TEST_FILE_DATABASE = fileDatabase;
  process.env.DATABASE_URL = url.toString();
}
process.env.LOG_LEVEL ??= 'silent';
// Named after the run (its template database), so that global-teardown.ts can drop every file's queue keys.
process.env.QUEUE_PREFIX = `{${process.env.POSTLINE_TEST_DATABASE ?? 'test'}_q${randomBytes(6).toString('hex')}}`;
process.env.ADMIN_API_KEY = 'test-admin-key-0123456789abcdef';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.PUBLIC_BASE_URL ??= 'https://postline.test';
process.env.UNSUBSCRIBE_SECRET ??= 'test-unsubscribe-secret-0123456789';
// The machines' resolver answers NXDOMAIN for every name; tests of the MX guard point it at their own DNS server.
process.env.MX_CHECK_ENABLED ??= 'false';
