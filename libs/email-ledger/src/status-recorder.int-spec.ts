import { type INestApplicationContext, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { BaseEnv, validateEnv } from '@postline/config';
import { type EmailStatus, JobName, QueueName, type StatusEvent } from '@postline/contracts';
import { DatabaseModule, sql } from '@postline/database';
import { QueueModule } from '@postline/queue';
import { closeTestPool, createAccount, eventually, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { QueryConfig } from 'pg';
import { readEmailRows } from './email-row';
import { EmailIntake } from './email-intake.service';
import { EmailLedgerModule } from './email-ledger.module';
import { StatusRecorder } from './status-recorder.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(BaseEnv) }),
    DatabaseModule,
    QueueModule.forRoot(),
    EmailLedgerModule,
  ],
})
class RecorderTestModule {}

describe(StatusRecorder.name, () => {
  let context: INestApplicationContext;
  let sut: StatusRecorder;
  let account: TestAccount;

  beforeAll(async () => {
    context = await NestFactory.createApplicationContext(RecorderTestModule, { logger: false });
    await context.init();
    sut = context.get(StatusRecorder);
    account = await createAccount();
  });

  afterAll(async () => {
    await context.close();
    await closeTestPool();
  });

  async function queued(): Promise<{ id: string; createdAt: Date }> {
    const email = queuedEmail(account, { text: 'offer', externalId: 'recorder-test' });
    await context.get(EmailIntake).store([email]);
    return email;
  }

  const event = (emailId: string, status: EmailStatus, sourceId: string, at: Date): StatusEvent => ({
    emailId,
    status,
    source: 'SES',
    sourceId,
    type: status,
    occurredAt: at,
  });

  it('writes a status with its patch as one row version, and each event once with what it changed', async () => {
    const email = await queued();
    const startedAt = new Date();
    const client = await testPool().connect();
    let writes: Record<string, { ins: number; upd: number }>;
    try {
      await client.query('BEGIN');
      await sut.recordIn(client, [
        {
          emailId: email.id,
          status: 'DEQUEUED',
          source: 'SENDER',
          sourceId: `${email.id}:dequeued`,
          type: 'Dequeued',
          occurredAt: startedAt,
          patch: { dequeuedAt: startedAt, dispatchState: 'STARTED', dispatchStartedAt: startedAt, dispatchAttempts: 1 },
        },
      ]);
      // This transaction's own row writes, per table.
      const { rows } = await client.query<{ relname: string; ins: string; upd: string }>(
        `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd FROM pg_stat_xact_user_tables
         WHERE relname IN ('Email', 'EmailEvent')`,
      );
      writes = Object.fromEntries(rows.map((r) => [r.relname, { ins: Number(r.ins), upd: Number(r.upd) }]));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(writes).toEqual({ Email: { ins: 0, upd: 1 }, EmailEvent: { ins: 1, upd: 0 } });

    const { rows: emails } = await testPool().query(
      `SELECT "status", "sequence", "dispatchState", "dispatchAttempts", "dispatchStartedAt", "dequeuedAt" FROM "Email" WHERE "id" = $1`,
      [email.id],
    );
    expect(emails[0]).toEqual({
      status: 'DEQUEUED',
      sequence: 2,
      dispatchState: 'STARTED',
      dispatchAttempts: 1,
      dispatchStartedAt: startedAt,
      dequeuedAt: startedAt,
    });
    const { rows: history } = await testPool().query(
      `SELECT "previousStatus", "newStatus", "sequence" FROM "EmailEvent" WHERE "sourceId" = $1`,
      [`${email.id}:dequeued`],
    );
    expect(history).toEqual([{ previousStatus: 'QUEUED', newStatus: 'DEQUEUED', sequence: 2 }]);
  });

  it('reports an event recorded before as a duplicate and applies the rest of its batch once', async () => {
    const email = await queued();
    const at = (minutes: number) => new Date(email.createdAt.getTime() + minutes * 60_000);
    await sut.record([event(email.id, 'SENT', `${email.id}:send`, at(1))]);

    const results = await sut.record([
      event(email.id, 'SENT', `${email.id}:send`, at(1)),
      event(email.id, 'OPEN', `${email.id}:open`, at(3)),
      event(email.id, 'DELIVERED', `${email.id}:delivery`, at(2)),
    ]);

    expect(results.map((r) => [r.sourceId.split(':')[1], r.outcome, r.previousStatus])).toEqual([
      ['send', 'duplicate', undefined],
      ['delivery', 'applied', 'SENT'],
      ['open', 'applied', 'DELIVERED'],
    ]);
    const { rows: history } = await testPool().query(
      `SELECT "type", "previousStatus", "newStatus", "sequence" FROM "EmailEvent" WHERE "emailId" = $1 ORDER BY "occurredAt"`,
      [email.id],
    );
    expect(history).toEqual([
      { type: 'Accepted', previousStatus: null, newStatus: 'QUEUED', sequence: 1 },
      { type: 'SENT', previousStatus: 'QUEUED', newStatus: 'SENT', sequence: 2 },
      { type: 'DELIVERED', previousStatus: 'SENT', newStatus: 'DELIVERED', sequence: 3 },
      { type: 'OPEN', previousStatus: 'DELIVERED', newStatus: 'OPEN', sequence: 4 },
    ]);
    const { rows: counters } = await testPool().query(
      `SELECT "sent", "delivered", "opened", "opensTotal" FROM "CampaignStats" WHERE "accountId" = $1 AND "externalId" = 'recorder-test'`,
      [account.accountId],
    );
    expect(counters[0]).toMatchObject({ delivered: 1, opensTotal: 1 });
  });

  it('queues the reputation events of one batch as one job, each email once', async () => {
    const emails = [await queued(), await queued(), await queued()];
    const at = new Date();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queue = new Queue(QueueName.ReputationEvent, { connection: redis, prefix: process.env.QUEUE_PREFIX });
    try {
      await sut.record([
        ...emails.map((e, i) => event(e.id, 'SENT', `${e.id}:send`, new Date(at.getTime() + i))),
        event(emails[2].id, 'BOUNCED_PERMANENT', `${emails[2].id}:bounce`, new Date(at.getTime() + 10)),
      ]);

      const job = await eventually(() => queue.getJob(`${emails[0].id}_sent`));
      expect(job.name).toBe(JobName.RecordReputationEvents);
      expect(job.data).toEqual({
        events: [
          ...emails.map((e, i) => ({
            accountId: account.accountId,
            emailId: e.id,
            kind: 'sent',
            recipient: 'user@example.com',
            occurredAt: at.getTime() + i,
          })),
          {
            accountId: account.accountId,
            emailId: emails[2].id,
            kind: 'hard-bounce',
            recipient: 'user@example.com',
            occurredAt: at.getTime() + 10,
          },
        ],
      });
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.filter((j) => JSON.stringify(j.data).includes(emails[1].id))).toHaveLength(1);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  describe('recordIfUnchanged', () => {
    /** The emails as a caller reads them without a lock, with their versions. */
    async function readUnlocked(ids: string[]) {
      return readEmailRows(testPool(), { filter: sql`WHERE e."id" = ANY(${ids}::uuid[])` });
    }
    const dequeued = (emailId: string, at: Date): StatusEvent => ({
      emailId,
      status: 'DEQUEUED',
      source: 'SENDER',
      sourceId: `${emailId}:dequeued`,
      type: 'Dequeued',
      occurredAt: at,
      patch: { dequeuedAt: at, dispatchState: 'STARTED', dispatchStartedAt: at, dispatchAttempts: 1 },
    });
    const historyOf = async (id: string) =>
      (
        await testPool().query<{ sourceId: string }>(
          `SELECT "sourceId" FROM "EmailEvent" WHERE "emailId" = $1 ORDER BY "occurredAt"`,
          [id],
        )
      ).rows.map((r) => r.sourceId.slice(id.length + 1));
    const campaign = async (externalId: string) =>
      (
        await testPool().query<{ byStatus: Record<string, number> }>(
          `SELECT "byStatus" FROM "CampaignStats" WHERE "accountId" = $1 AND "externalId" = $2`,
          [account.accountId, externalId],
        )
      ).rows[0]?.byStatus;

    async function queuedIn(externalId: string) {
      const email = queuedEmail(account, { externalId, callbacks: ['https://hooks.example/status'] });
      await context.get(EmailIntake).store([email]);
      return email.id;
    }

    it('writes the status, its event, webhook delivery and counters in one statement when no email changed', async () => {
      const id = await queuedIn('unlocked-ok');
      const rows = await readUnlocked([id]);
      const statements: unknown[] = [];
      const db = {
        query: (config: QueryConfig) => {
          statements.push(config);
          return testPool().query(config);
        },
      };

      const results = await sut.recordIfUnchanged(db as never, [dequeued(id, new Date())], rows);

      expect(statements).toHaveLength(1);
      expect(results).toEqual([
        { sourceId: `${id}:dequeued`, emailId: id, outcome: 'applied', previousStatus: 'QUEUED', status: 'DEQUEUED' },
      ]);
      const { rows: emails } = await testPool().query(
        `SELECT "status", "sequence", "dispatchState" FROM "Email" WHERE "id" = $1`,
        [id],
      );
      expect(emails[0]).toEqual({ status: 'DEQUEUED', sequence: 2, dispatchState: 'STARTED' });
      expect(await historyOf(id)).toEqual(['accepted', 'dequeued']);
      const { rows: deliveries } = await testPool().query(
        `SELECT "url", "payload" -> 'data' ->> 'status' AS "status" FROM "WebhookDelivery" WHERE "emailId" = $1`,
        [id],
      );
      expect(deliveries).toEqual([{ url: 'https://hooks.example/status', status: 'DEQUEUED' }]);
      expect(await campaign('unlocked-ok')).toEqual({ QUEUED: 0, DEQUEUED: 1 });
    });

    it('writes nothing and returns null when one email of the batch changed after it was read', async () => {
      const [changed, unchanged] = [await queuedIn('unlocked-stale'), await queuedIn('unlocked-stale')];
      const rows = await readUnlocked([changed, unchanged]);
      await sut.record([event(changed, 'SENT', `${changed}:send`, new Date())]);

      const at = new Date();
      expect(
        await sut.recordIfUnchanged(testPool(), [dequeued(changed, at), dequeued(unchanged, at)], rows),
      ).toBeNull();

      const { rows: emails } = await testPool().query<{ id: string; status: string; dispatchState: string }>(
        `SELECT "id", "status", "dispatchState" FROM "Email" WHERE "id" = ANY($1::uuid[])`,
        [[changed, unchanged]],
      );
      expect(Object.fromEntries(emails.map((e) => [e.id, [e.status, e.dispatchState]]))).toEqual({
        [changed]: ['SENT', 'NONE'],
        [unchanged]: ['QUEUED', 'NONE'],
      });
      expect(await historyOf(changed)).toEqual(['accepted', 'send']);
      expect(await historyOf(unchanged)).toEqual(['accepted']);
      expect(await campaign('unlocked-stale')).toEqual({ QUEUED: 1, SENT: 1 });
    });

    it('writes nothing and returns null when one of its events was recorded before', async () => {
      const id = await queuedIn('unlocked-recorded');
      const rows = await readUnlocked([id]);
      await testPool().query(
        `INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "occurredAt")
         VALUES (gen_random_uuid(), $1, $2, 'SENDER', $3, 'Dequeued', 'DEQUEUED', now())`,
        [id, account.accountId, `${id}:dequeued`],
      );

      expect(await sut.recordIfUnchanged(testPool(), [dequeued(id, new Date())], rows)).toBeNull();

      const { rows: emails } = await testPool().query(`SELECT "status" FROM "Email" WHERE "id" = $1`, [id]);
      expect(emails[0]).toEqual({ status: 'QUEUED' });
      expect(await campaign('unlocked-recorded')).toEqual({ QUEUED: 1 });
    });
  });

  it("echoes the email's tags in the callback of every status change", async () => {
    const email = queuedEmail(account, {
      callbacks: ['https://hooks.example/tags'],
      options: {
        fromName: null,
        cc: [],
        bcc: [],
        replyTo: [],
        headers: null,
        tags: [{ name: 'campaign', value: 'winter-sale' }],
        tracking: null,
        droppedRecipients: null,
        attachmentCount: 0,
      },
    });
    await context.get(EmailIntake).store([email]);
    await sut.record([event(email.id, 'SENT', `${email.id}:send`, new Date())]);
    const { rows } = await testPool().query(
      `SELECT "payload" -> 'data' -> 'tags' AS "tags" FROM "WebhookDelivery" WHERE "emailId" = $1`,
      [email.id],
    );
    expect(rows).toEqual([{ tags: [{ name: 'campaign', value: 'winter-sale' }] }]);
  });
});
