import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';
import { SesStandIn } from './ses-stand-in';
import { queueEmails, sleep, statusOf } from './support';

// A send slot is not banked: emails whose slot passed while Postgres stalled (here, the Email table locked)
// do not all go out at once when it answers again; the shared rate holds over every sliding second.
describe('sender rate after a database stall', () => {
  const RATE = 40;
  let ses: SesStandIn;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await SesStandIn.start();
    Object.assign(process.env, {
      SES_ENDPOINT: ses.endpoint,
      SES_MAX_SEND_RATE: String(RATE),
      SEND_CONCURRENCY: '100',
    });
    const { AppModule } = await import('../src/app.module');
    const { SendEmailProcessor } = await import('../src/dispatch/send-email.processor');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    await app.get(SendEmailProcessor).whenStarted();
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await ses.stop();
    await closeTestPool();
  });

  it(`holds ${RATE}/s over every sliding second after a 2 s stall`, async () => {
    const ids = await queueEmails(
      app,
      account,
      Array.from({ length: 5 * RATE }, (_, i) => ({ to: `r${i}@example.com` })),
    );
    await sleep(1000);
    const locker = await testPool().connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Email" IN EXCLUSIVE MODE');
      await sleep(2000);
      await locker.query('COMMIT');
    } finally {
      locker.release();
    }
    for (const id of ids) await statusOf(id, ['SENT'], 30_000);

    const times = ses.accepted.map((s) => s.at).sort((a, b) => a - b);
    let busiestSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j] <= times[i] - 1000) j++;
      busiestSecond = Math.max(busiestSecond, i - j + 1);
    }
    // Within 5 %, plus one for timer jitter on a loaded machine.
    expect(busiestSecond).toBeLessThanOrEqual(Math.floor(RATE * 1.05) + 1);
  });
});
