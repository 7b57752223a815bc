import type { ConfigService } from '@nestjs/config';
import { LocalSes } from '@postline/testing';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import type { Env } from '../apps/reputation/src/env';
import { RetentionPurger } from '../apps/reputation/src/retention/retention-purger.service';
import { benchAccount, benchDatabase, dropQueueKeys, runBench, startProcess, stopProcess } from './support/bench-env';

// npm run bench:retention — acceptance p99 and sender throughput while the retention job purges
// BENCH_OLD_EMAILS (1,000,000) old emails (each with an event and a callback row), against the same load
// without a purge. Env: BENCH_OLD_EMAILS, BENCH_DURATION (s, 20).
const OLD = Number(process.env.BENCH_OLD_EMAILS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const body = JSON.stringify({
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
});

async function seedOldEmails(pool: Pool, accountId: string, operatorId: string): Promise<void> {
  for (let done = 0; done < OLD; done += 100_000) {
    const n = Math.min(100_000, OLD - done);
    await pool.query(
      `WITH e AS (
         INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "status", "sequence",
           "callbacks", "createdAt", "updatedAt")
         SELECT gen_random_uuid(), $1, $2, 'old' || g || '@example.com', 'promo@elipackage.test', 'Old', 'Old', 'DELIVERED',
           2, '{}', (now() AT TIME ZONE 'UTC') - interval '60 days' + g * interval '1 ms', now() AT TIME ZONE 'UTC'
         FROM generate_series(1, $3::int) g RETURNING "id", "createdAt"
       ), ev AS (
         INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "occurredAt")
         SELECT gen_random_uuid(), e."id", $1, 'SES', e."id"::text, 'Delivery', 'DELIVERED', e."createdAt" FROM e
       )
       INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload", "status", "createdAt")
       SELECT gen_random_uuid(), $1, e."id", e."id"::text, 'email.status', 'https://example.com/hook', '{}', 'SUCCEEDED',
         e."createdAt" FROM e`,
      [accountId, operatorId, n],
    );
  }
  await pool.query('VACUUM ANALYZE "Email", "EmailEvent", "WebhookDelivery"');
}

async function sentBetween(pool: Pool, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Email" WHERE "sentAt" >= ($1::timestamptz AT TIME ZONE 'UTC') AND "sentAt" < ($2::timestamptz AT TIME ZONE 'UTC')`,
    [from, to],
  );
  return Number(rows[0].n);
}

async function phase(pool: Pool, url: string, apiKey: string) {
  const from = new Date();
  const result = await autocannon({
    url: `${url}/emails`,
    method: 'POST',
    connections: 20,
    duration: DURATION,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body,
  });
  const to = new Date();
  return {
    acceptedPerSec: Math.round(result['2xx'] / DURATION),
    p99Ms: result.latency.p99,
    sentPerSec: Math.round((await sentBetween(pool, from, to)) / DURATION),
  };
}

async function main(): Promise<void> {
  const db = await benchDatabase('retention');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const account = await benchAccount(db.url);
  const prefix = `{bench_retention_${Date.now()}}`;
  const ses = await LocalSes.start();
  const env = {
    DATABASE_URL: db.url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ADMIN_API_KEY: 'bench-admin-key-0123456789',
    UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3980',
    SES_ENDPOINT: ses.endpoint,
    SES_MAX_SEND_RATE: '100000',
  };
  const children = [];
  try {
    const seedStart = Date.now();
    await seedOldEmails(pool, account.accountId, account.operatorId);
    console.log(`seeded ${OLD} old emails (+ events, callbacks) in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);
    const gateway = await startProcess(
      'apps/gateway/src/main.ts',
      { ...env, PORT: '3980' },
      'http://127.0.0.1:3980/health',
    );
    children.push(gateway);
    children.push(
      await startProcess('apps/sender/src/main.ts', { ...env, PORT: '3981' }, 'http://127.0.0.1:3981/health'),
    );

    const without = await phase(pool, 'http://127.0.0.1:3980', account.apiKey);
    const settings = { RETENTION_DAYS: 45, RETENTION_BATCH_SIZE: 1000, RETENTION_BATCH_PAUSE_MS: 20 };
    const purger = new RetentionPurger(pool, {
      get: (key: keyof typeof settings) => settings[key],
    } as unknown as ConfigService<Env, true>);
    const purgeStart = Date.now();
    const purging = purger.purge();
    const during = await phase(pool, 'http://127.0.0.1:3980', account.apiKey);
    const purged = await purging;
    const purgeSeconds = (Date.now() - purgeStart) / 1000;
    console.table({ 'no purge': without, 'during purge': during });
    console.log(
      `purge: ${purged.emails} emails (with events and callbacks) in ${purgeSeconds.toFixed(0)} s = ` +
        `${Math.round(purged.emails / purgeSeconds)} emails/s (batches of 1000, 20 ms apart)`,
    );
  } finally {
    for (const child of children) await stopProcess(child);
    await ses.stop();
    await pool.end();
    await dropQueueKeys(prefix);
    await db.drop();
  }
}

runBench(main);
