import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  closeTestPool,
  createAccount,
  eventually,
  LocalSes,
  type TestAccount,
  testPool,
  TestRedis,
} from '@postline/testing';
import type { SendEmailProcessor } from '../src/dispatch/send-email.processor';
import { queueEmails } from './support';

const EMAILS = 300;

// Postgres is the only truth: emails whose jobs a Redis restart (no persistence) wiped out are queued again
// from Postgres and sent, each once.
describe('sender after Redis is lost', () => {
  let redis: TestRedis;
  let ses: LocalSes;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    redis = await TestRedis.start();
    ses = await LocalSes.start();
    Object.assign(process.env, {
      REDIS_URL: redis.url,
      SES_ENDPOINT: ses.endpoint,
      SES_MAX_SEND_RATE: '500',
      RECONCILE_EVERY_MS: '1000',
      RECONCILE_GRACE_MS: '1000',
    });
    const { AppModule } = await import('../src/app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app?.close();
    await ses?.stop();
    await redis?.stop();
    await closeTestPool();
  });

  it('sends every accepted email exactly once after Redis restarts empty', async () => {
    const { SendEmailProcessor } = await import('../src/dispatch/send-email.processor');
    const processor = app.get<SendEmailProcessor>(SendEmailProcessor);
    await processor.whenStarted();
    // No sender takes jobs: they are all in Redis, and only there, when it dies.
    await processor.worker.pause();
    const ids = await queueEmails(
      app,
      account,
      Array.from({ length: EMAILS }, (_, i) => ({ to: `rcpt-${i}@example.com`, text: 'hello' })),
    );
    await eventually(
      async () =>
        (await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEvent"`)).rows[0].n === 0,
      20_000,
    );

    await redis.kill();
    await redis.restart();
    const back = Date.now();
    await processor.worker.resume();

    await eventually(
      async () => {
        const { rows } = await testPool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'SENT'`,
          [ids],
        );
        return rows[0].n === EMAILS;
      },
      60_000,
      250,
    );
    expect(Date.now() - back).toBeLessThan(60_000);

    // Each email reached SES once (the emulator keeps the header the sender adds in local mode).
    const calls = new Map<string, number>();
    for (const stored of await ses.emails()) {
      const id = stored.headers?.find((h) => h.name === 'X-Postline-Email-Id')?.value;
      if (id) calls.set(id, (calls.get(id) ?? 0) + 1);
    }
    expect(ids.filter((id) => calls.get(id) !== 1)).toEqual([]);
    expect(calls.size).toBe(EMAILS);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      new RegExp(`^postline_reconciled_jobs_total\\{queue="email-send",job="send-email"\\} ${EMAILS}$`, 'm'),
    );
  }, 150_000);
});
