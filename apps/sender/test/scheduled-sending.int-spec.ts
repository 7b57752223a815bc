import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ScheduledEmails } from '@postline/email-ledger';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  LocalSes,
  type TestAccount,
  testPool,
  TestRedis,
} from '@postline/testing';
import Redis from 'ioredis';
import { historyOf, sleep, statusOf } from './support';

// Scheduled sending end to end: the gateway accepts, the sender's due pass releases and sends, against a Redis
// of the test's own (killed and restarted empty) and the SES emulator.
describe('scheduled sending (gateway + sender, real Postgres, Redis and SES emulator)', () => {
  let redis: TestRedis;
  let ses: LocalSes;
  let gateway: NestFastifyApplication;
  let sender: NestFastifyApplication;
  let account: TestAccount;
  let startSender: () => Promise<NestFastifyApplication>;

  beforeAll(async () => {
    redis = await TestRedis.start();
    ses = await LocalSes.start();
    Object.assign(process.env, {
      REDIS_URL: redis.url,
      SES_ENDPOINT: ses.endpoint,
      SES_MAX_SEND_RATE: '500',
      SCHEDULED_RELEASE_EVERY_MS: '1000',
    });
    const { AppModule: GatewayModule } = await import('../../gateway/src/app.module');
    const { configureGateway } = await import('../../gateway/src/configure-app');
    const { AppModule: SenderModule } = await import('../src/app.module');
    gateway = await createTestApp(GatewayModule, (a) => configureGateway(a, false));
    startSender = () => createTestApp(SenderModule);
    sender = await startSender();
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await sender?.close();
    await gateway?.close();
    await ses?.stop();
    await redis?.stop();
    await closeTestPool();
  });

  const call = (url: string, body?: unknown) =>
    gateway.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body ?? {}),
    });
  const schedule = async (sendAt: Date, extra: Record<string, unknown> = {}) => {
    const res = await call('/emails', {
      to: `reader-${Math.random().toString(36).slice(2)}@example.test`,
      from: 'news@shop.test',
      subject: 'Later',
      text: 'on time',
      sendAt: sendAt.toISOString(),
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.status).toBe('SCHEDULED');
    return res.json().data.id as string;
  };
  /** How many SendEmail calls the emulator received for each email. */
  const sesCalls = async () => {
    const calls = new Map<string, number>();
    for (const stored of await ses.emails()) {
      const id = stored.headers?.find((h) => h.name === 'X-Postline-Email-Id')?.value;
      if (id) calls.set(id, (calls.get(id) ?? 0) + 1);
    }
    return calls;
  };
  const inMs = (ms: number) => new Date(Date.now() + ms);
  const releasedAt = async (id: string) => {
    const { rows } = await testPool().query<{ occurredAt: Date }>(
      `SELECT "occurredAt" FROM "EmailEvent" WHERE "emailId" = $1 AND "type" = 'Released'`,
      [id],
    );
    return rows[0]?.occurredAt;
  };

  it('holds the email until sendAt, then sends it within seconds', async () => {
    const sendAt = inMs(5_000);
    const id = await schedule(sendAt);
    // Until shortly before its time it stays SCHEDULED and SES has not seen it.
    while (Date.now() < sendAt.getTime() - 300) {
      expect((await statusOf(id, ['SCHEDULED', 'QUEUED', 'DEQUEUED', 'SENT'])).status).toBe('SCHEDULED');
      expect((await sesCalls()).get(id)).toBeUndefined();
      await sleep(250);
    }
    const sent = await statusOf(id, ['SENT'], 60_000);
    const released = await releasedAt(id);
    expect(released.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
    expect(sent.sentAt?.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
    // Precision: the pass runs every second; generous bounds for a loaded machine.
    const lag = (sent.sentAt as Date).getTime() - sendAt.getTime();
    expect(lag).toBeLessThan(15_000);
    process.stdout.write(
      `scheduled send: released ${released.getTime() - sendAt.getTime()} ms, sent ${lag} ms after sendAt\n`,
    );
    expect((await sesCalls()).get(id)).toBe(1);
    const metrics = (await sender.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^postline_scheduled_emails_released_total [1-9]\d*$/m);
    expect((await historyOf(id)).map((e) => e.newStatus).filter(Boolean)).toEqual([
      'SCHEDULED',
      'QUEUED',
      'DEQUEUED',
      'SENT',
    ]);
  });

  it('survives a restart of the sender and the loss of everything Redis held: sent once, after sendAt', async () => {
    const sendAt = inMs(6_000);
    const id = await schedule(sendAt);
    await sender.close();
    await redis.kill();
    await redis.restart();
    // Nothing runs the due pass meanwhile: the email waits, due, in Postgres only.
    await sleep(Math.max(0, sendAt.getTime() - Date.now()) + 1_000);
    expect((await statusOf(id, ['SCHEDULED'])).status).toBe('SCHEDULED');

    sender = await startSender();
    const sent = await statusOf(id, ['SENT'], 60_000);
    expect(sent.sentAt?.getTime()).toBeGreaterThan(sendAt.getTime());
    await sleep(1_000);
    expect((await sesCalls()).get(id)).toBe(1);
  });

  it('releases a due email after a FLUSHALL while the sender runs (its job scheduler is put back)', async () => {
    const sendAt = inMs(3_000);
    const id = await schedule(sendAt);
    const client = new Redis(redis.url);
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
    const sent = await statusOf(id, ['SENT'], 60_000);
    expect(sent.sentAt?.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
    await sleep(1_000);
    expect((await sesCalls()).get(id)).toBe(1);
  });

  it('never sends a cancelled email, and calls back CANCELED', async () => {
    const sendAt = inMs(4_000);
    const id = await schedule(sendAt, { callbacks: ['https://hooks.example.test/postline'] });
    const res = await call(`/emails/${id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.status).toBe('CANCELED');
    await sleep(Math.max(0, sendAt.getTime() - Date.now()) + 3_000);
    expect((await statusOf(id, ['CANCELED'])).status).toBe('CANCELED');
    expect((await sesCalls()).get(id)).toBeUndefined();
    const { rows } = await testPool().query<{ payload: { data: { status: string } } }>(
      `SELECT "payload" FROM "WebhookDelivery" WHERE "emailId" = $1`,
      [id],
    );
    expect(rows.map((r) => r.payload.data.status)).toEqual(['CANCELED']);
  });

  it('sends a rescheduled email at its new time, not its first', async () => {
    const first = inMs(4_000);
    const id = await schedule(first);
    const later = inMs(10_000);
    expect((await call(`/emails/${id}/reschedule`, { sendAt: later.toISOString() })).statusCode).toBe(200);
    await sleep(Math.max(0, first.getTime() - Date.now()) + 2_500);
    expect((await statusOf(id, ['SCHEDULED'])).status).toBe('SCHEDULED');
    expect((await sesCalls()).get(id)).toBeUndefined();
    const sent = await statusOf(id, ['SENT'], 60_000);
    expect((await releasedAt(id)).getTime()).toBeGreaterThanOrEqual(later.getTime());
    expect(sent.sentAt?.getTime()).toBeGreaterThanOrEqual(later.getTime());
    expect((await sesCalls()).get(id)).toBe(1);
  });

  it('decides each race of a cancel with the due pass one way: either sent or CANCELED, never both', async () => {
    const EMAILS = 40;
    // Lead time enough for 40 acceptances on a loaded machine: each must still be SCHEDULED when accepted.
    const sendAt = inMs(10_000);
    const ids = await Promise.all(Array.from({ length: EMAILS }, () => schedule(sendAt)));
    await sleep(Math.max(0, sendAt.getTime() - Date.now()) - 200);
    // Cancels spread around the due time, and extra due passes of both apps racing the scheduled one.
    const scheduled = [gateway.get(ScheduledEmails), sender.get(ScheduledEmails)];
    const passes = Promise.all(
      Array.from({ length: 6 }, (_, i) => sleep(i * 150).then(() => scheduled[i % 2].releaseDue())),
    );
    const cancels = await Promise.all(
      ids.map((id, i) => sleep((i % 10) * 60).then(async () => (await call(`/emails/${id}/cancel`)).statusCode)),
    );
    await passes;
    expect(cancels.every((code) => code === 200 || code === 409)).toBe(true);

    const finals = await Promise.all(ids.map((id) => statusOf(id, ['CANCELED', 'SENT'], 60_000)));
    await sleep(1_000);
    const calls = await sesCalls();
    ids.forEach((id, i) => {
      const outcome = [cancels[i], finals[i].status, calls.get(id) ?? 0];
      expect([
        [200, 'CANCELED', 0],
        [409, 'SENT', 1],
      ]).toContainEqual(outcome);
    });
    const canceled = cancels.filter((c) => c === 200).length;
    process.stdout.write(`cancel race: ${canceled} cancelled, ${EMAILS - canceled} sent\n`);
  });
});
