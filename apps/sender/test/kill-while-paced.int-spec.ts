import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { queueEmails, sleep, startSender } from './support';

const EMAILS = 60;

const sentCount = async (ids: string[]) =>
  (
    await testPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'SENT'`,
      [ids],
    )
  ).rows[0].n;

// "Dispatch started" is written only for the call that is next: a sender killed while its emails wait for the
// shared rate limit leaves them to be sent by another replica, not AMBIGUOUS for an operator.
describe('sender killed while emails wait for the rate limit', () => {
  let ses: LocalSes;
  let account: TestAccount;
  let replica: NestFastifyApplication | undefined;
  const env = () => ({
    SES_ENDPOINT: ses.endpoint,
    SES_MAX_SEND_RATE: '10',
    SEND_CONCURRENCY: '50',
    SEND_LOCK_DURATION_MS: '1000',
    SEND_STALLED_INTERVAL_MS: '500',
    SEND_CONFIRM_TIMEOUT_MS: '2000',
    SEND_CONFIRM_POLL_MS: '200',
  });

  beforeAll(async () => {
    ses = await LocalSes.start();
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await replica?.close();
    await ses.stop();
    await closeTestPool();
  });

  it('makes no email that never reached SES ambiguous', async () => {
    // A second replica, in this process, takes over once the first is killed; until then it takes no job.
    Object.assign(process.env, env());
    const { AppModule } = await import('../src/app.module');
    const { SendEmailProcessor } = await import('../src/dispatch/send-email.processor');
    const { createTestApp } = await import('@postline/testing');
    replica = await createTestApp(AppModule);
    const processor = replica.get(SendEmailProcessor);
    await processor.whenStarted();
    await processor.worker.pause();
    const child = await startSender(env());
    const ids = await queueEmails(
      replica,
      account,
      Array.from({ length: EMAILS }, (_, i) => ({ to: `rcpt-${i}@example.com`, text: 'hello' })),
    );
    // The child has taken up to its concurrency and sends 10 a second; kill it just after a send.
    await eventually(async () => (await sentCount(ids)) >= 5, 30_000, 10);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await processor.worker.resume();

    // Every email ends: SENT, or (only a call truly in flight) EXHAUSTED with its dispatch AMBIGUOUS.
    await eventually(
      async () => {
        const { rows } = await testPool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" IN ('SENT', 'EXHAUSTED')`,
          [ids],
        );
        return rows[0].n === EMAILS;
      },
      60_000,
      200,
    );
    await sleep(200);
    const reached = new Set(
      (await ses.emails()).flatMap(
        (e) => e.headers?.filter((h) => h.name === 'X-Postline-Email-Id').map((h) => h.value) ?? [],
      ),
    );
    const { rows: failed } = await testPool().query<{ id: string; dispatchStartedAt: Date }>(
      `SELECT "id", "dispatchStartedAt" FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" <> 'SENT'`,
      [ids],
    );
    // Only calls truly in flight when the process died may be lost on the way (at 10 a second and SendEmail
    // taking ~100 ms here, one or two; a margin for a loaded machine). Before, every email waiting for its slot was.
    const neverReached = failed.filter((e) => !reached.has(e.id));
    expect(neverReached.length).toBeLessThanOrEqual(5);
    expect(neverReached.every((e) => e.dispatchStartedAt.getTime() > killedAt - 2_000)).toBe(true);
  });
});
