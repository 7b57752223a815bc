import { randomBytes } from 'node:crypto';

// Runs before each integration test file: its own queue prefix (its jobs never meet another file's),
// quiet logs, and the fixed settings tests rely on. A file can still override any of these before it
// imports an app module (ConfigModule reads the environment when the module is first imported).
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.QUEUE_PREFIX = `{test-${randomBytes(6).toString('hex')}}`;
process.env.ADMIN_API_KEY = 'test-admin-key-0123456789abcdef';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.PUBLIC_BASE_URL ??= 'https://postline.test';
process.env.UNSUBSCRIBE_SECRET ??= 'test-unsubscribe-secret-0123456789';
// The machines' resolver answers NXDOMAIN for every name; tests of the MX guard point it at their own DNS server.
process.env.MX_CHECK_ENABLED ??= 'false';
