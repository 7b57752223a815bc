import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount } from '@postline/testing';
import { SesStandIn } from './ses-stand-in';
import { queueEmails, statusOf } from './support';

// Two sender replicas share one rate: the queue's limiter and the send pacer live in Redis, not in each process.
describe('sender rate limit across replicas', () => {
  const RATE = 20;
  let ses: SesStandIn;
  let replicas: NestFastifyApplication[];
  let account: TestAccount;
  let dispatchedBy: number[];

  beforeAll(async () => {
    ses = await SesStandIn.start();
    Object.assign(process.env, { SES_ENDPOINT: ses.endpoint, SES_MAX_SEND_RATE: String(RATE), SEND_CONCURRENCY: '10' });
    const { AppModule } = await import('../src/app.module');
    const { EmailDispatcher } = await import('../src/dispatch/email-dispatcher.service');
    const { SendEmailProcessor } = await import('../src/dispatch/send-email.processor');
    const { createTestApp } = await import('@postline/testing');
    replicas = [await createTestApp(AppModule), await createTestApp(AppModule)];
    dispatchedBy = replicas.map(() => 0);
    replicas.forEach((app, i) => {
      const dispatcher = app.get(EmailDispatcher);
      const dispatch = dispatcher.dispatch.bind(dispatcher);
      dispatcher.dispatch = (...args) => {
        dispatchedBy[i] += 1;
        return dispatch(...args);
      };
    });
    await Promise.all(replicas.map((app) => app.get(SendEmailProcessor).whenStarted()));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await ses.stop();
    await closeTestPool();
  });

  it(`holds ${RATE}/s for both replicas together, each email sent once`, async () => {
    const ids = await queueEmails(
      replicas[0],
      account,
      Array.from({ length: 3 * RATE }, (_, i) => ({ to: `r${i}@example.com` })),
    );
    for (const id of ids) await statusOf(id, ['SENT'], 30_000);
    for (const id of ids) expect(ses.acceptedFor(id)).toHaveLength(1);

    const times = ses.accepted.map((s) => s.at).sort((a, b) => a - b);
    // Calls are spaced 1/RATE apart across both replicas: 59 gaps of 50 ms. Per-replica limits would take half.
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(2800);
    expect(times[times.length - 1] - times[0]).toBeLessThan(5000);
    let busiestSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j] <= times[i] - 1000) j++;
      busiestSecond = Math.max(busiestSecond, i - j + 1);
    }
    // No burst: a fixed-window limiter alone lets up to 2 × RATE through in a second; timer jitter allows a couple.
    expect(busiestSecond).toBeLessThanOrEqual(RATE + 2);
    expect(dispatchedBy.every((n) => n > 0)).toBe(true);
  });
});
