import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmailStatus, StatusEvent } from '@postline/contracts';
import { StatusRecorder } from '@postline/email-ledger';
import { OutboxRelay } from '@postline/queue';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  eventually,
  type TestAccount,
  testPool,
  TestRedis,
} from '@postline/testing';
import type { ReputationEventProcessor } from '../src/events/reputation-event.processor';

const EMAILS = 300;
const BOUNCES = 30;
const COMPLAINTS = 5;

/** Emails the sender has taken (DEQUEUED), written straight to the database. */
async function insertDequeued(account: TestAccount, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await testPool().query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "status", "sequence",
       "dispatchState", "callbacks", "createdAt", "updatedAt")
     SELECT id, $2, $3, 'rcpt-' || left(id::text, 8) || '@example.com', 'sender@example.com', 'Hello', 'Hi',
       'DEQUEUED', 1, 'STARTED', '{}', now(), now()
     FROM unnest($1::uuid[]) AS id`,
    [ids, account.accountId, account.operatorId],
  );
  return ids;
}

const statusEvent = (emailId: string, status: EmailStatus, type: string): StatusEvent => ({
  emailId,
  status,
  source: status === 'SENT' ? 'SENDER' : 'SES',
  sourceId: `${type}-${emailId}`,
  type,
  occurredAt: new Date(),
});

// The reputation job of a status change reaches Redis and its outbox row is deleted; when Redis then loses
// the job, the account's counts must still end exact: Postgres keeps the job until it is counted.
describe('reputation after Redis is lost', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    Object.assign(process.env, { REDIS_URL: redis.url, RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' });
    const { AppModule } = await import('../src/app.module');
    app = await createTestApp(AppModule);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await closeTestPool();
  });

  it('counts every sent, bounce and complaint once after Redis restarts empty', async () => {
    const { ReputationEventProcessor } = await import('../src/events/reputation-event.processor');
    const worker = app.get<ReputationEventProcessor>(ReputationEventProcessor).worker;
    await worker.waitUntilReady();
    // Nobody counts: the jobs are in Redis, and only there, when it dies.
    await worker.pause();
    const account = await createAccount();
    const ids = await insertDequeued(account, EMAILS);
    // As the sender and the events app record them: several status transactions, one reputation job each.
    const recorder = new StatusRecorder(testPool(), app.get(OutboxRelay));
    for (let i = 0; i < EMAILS; i += 50) {
      await recorder.record(ids.slice(i, i + 50).map((id) => statusEvent(id, 'SENT', 'Send')));
    }
    await recorder.record(ids.slice(0, BOUNCES).map((id) => statusEvent(id, 'BOUNCED_PERMANENT', 'Bounce')));
    await recorder.record(
      ids.slice(BOUNCES, BOUNCES + COMPLAINTS).map((id) => statusEvent(id, 'COMPLAINED', 'Complaint')),
    );
    await eventually(
      async () =>
        (await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEvent"`)).rows[0].n === 0,
      20_000,
    );
    const jobs = EMAILS / 50 + 2;
    const pending = await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "ReputationPending"`);
    expect(pending.rows[0].n).toBe(jobs);

    await redis.kill();
    await redis.restart();
    const back = Date.now();
    await worker.resume();

    const totals = async () =>
      (
        await testPool().query<{ sent: number; hardBounces: number; complaints: number }>(
          `SELECT coalesce(sum("sent"), 0)::int AS "sent", coalesce(sum("hardBounces"), 0)::int AS "hardBounces",
             coalesce(sum("complaints"), 0)::int AS "complaints"
           FROM "ReputationBucket" WHERE "accountId" = $1`,
          [account.accountId],
        )
      ).rows[0];
    const expected = { sent: EMAILS, hardBounces: BOUNCES, complaints: COMPLAINTS };
    await eventually(async () => JSON.stringify(await totals()) === JSON.stringify(expected), 60_000, 250);
    expect(Date.now() - back).toBeLessThan(60_000);
    await eventually(
      async () =>
        (await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "ReputationPending"`)).rows[0].n === 0,
      10_000,
    );
    expect(await totals()).toEqual(expected);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      new RegExp(
        `^postline_reconciled_jobs_total\\{queue="reputation-event",job="record-reputation-events"\\} ${jobs}$`,
        'm',
      ),
    );
  });
});
