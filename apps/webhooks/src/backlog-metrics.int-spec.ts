import { randomUUID } from 'node:crypto';
import { QueueName } from '@postline/contracts';
import { BacklogMetrics, collectProcessMetrics } from '@postline/http';
import { redisOptionsFromUrl, type QueueRegistry } from '@postline/queue';
import { closeTestPool, createAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import { register } from 'prom-client';

// The gauges every app's /metrics serves (HttpBasicsModule), read from this file's own database and queues.
// Built without an app: a running relay or webhooks pump would move the rows this test counts.
describe(`${BacklogMetrics.name} (integration)`, () => {
  const queues = new Map(
    Object.values(QueueName).map((name) => [
      name,
      new Queue(name, { connection: redisOptionsFromUrl(process.env.REDIS_URL as string), prefix: process.env.QUEUE_PREFIX }),
    ]),
  );
  const sut = new BacklogMetrics(testPool(), { get: (name: QueueName) => queues.get(name) } as unknown as QueueRegistry);

  beforeAll(() => {
    sut.onModuleInit();
    collectProcessMetrics();
  });

  afterAll(async () => {
    sut.onModuleDestroy();
    for (const queue of queues.values()) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await closeTestPool();
  });

  function sample(text: string, name: string, labels = ''): number | undefined {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  }

  it('reads queue depth, outbox backlog, due callbacks and reputation states at scrape time', async () => {
    const pool = testPool();
    const blocked = await createAccount();
    await pool.query(`UPDATE "Account" SET "reputationState" = 'BLOCKED' WHERE "id" = $1`, [blocked.accountId]);
    await createAccount();
    // An outbox row waiting for 2 minutes; two callbacks due, the oldest for 30 s; one not yet due.
    await pool.query(
      `INSERT INTO "OutboxEvent" ("queue", "jobName", "size", "jobs", "createdAt")
       VALUES ('email-send', 'send-email', 1, '[]', (now() AT TIME ZONE 'UTC') - interval '120 seconds')`,
    );
    for (const dueIn of [-30, -5, 3600]) {
      await pool.query(
        `INSERT INTO "WebhookDelivery" ("id", "accountId", "eventId", "type", "url", "payload", "nextAttemptAt")
         VALUES ($1, $2, $3, 'email.status', 'https://example.com/hook', '{}',
           (now() AT TIME ZONE 'UTC') + $4 * interval '1 second')`,
        [randomUUID(), blocked.accountId, randomUUID(), dueIn],
      );
    }
    const queue = queues.get(QueueName.EmailSend) as Queue;
    await queue.add('send-email', { emailId: randomUUID() }, { delay: 60_000 });
    await queue.add('send-email', { emailId: randomUUID() });

    const text = await register.metrics();
    expect(sample(text, 'postline_queue_jobs', 'queue="email-send",state="waiting"')).toBe(1);
    expect(sample(text, 'postline_queue_jobs', 'queue="email-send",state="delayed"')).toBe(1);
    expect(sample(text, 'postline_queue_jobs', 'queue="ses-event",state="failed"')).toBe(0);
    expect(sample(text, 'postline_outbox_rows')).toBe(1);
    expect(sample(text, 'postline_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(119);
    expect(sample(text, 'postline_webhook_deliveries_due')).toBe(2);
    expect(sample(text, 'postline_webhook_deliveries_oldest_due_seconds')).toBeGreaterThanOrEqual(29);
    expect(sample(text, 'postline_reputation_accounts', 'state="BLOCKED"')).toBe(1);
    expect(sample(text, 'postline_reputation_accounts', 'state="HEALTHY"')).toBe(1);
    // Node's own metrics under their standard names, for stock dashboards.
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });
});
