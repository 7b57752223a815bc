import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JobName, QueueName } from '@postline/contracts';
import { QueueRegistry } from '@postline/queue';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  enqueueJobs,
  eventually,
  testPool,
  TestPostgres,
} from '@postline/testing';
import type { ReputationEventProcessor } from '../src/events/reputation-event.processor';

const JOBS = 3000;
// Longer than the retry backoff of a job (1 + 2 + 4 + 8 s): a worker that kept taking jobs would fail them.
const OUTAGE_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Postgres stopped while reputation jobs run: the worker pauses instead of burning their attempts, /health
// says why, and once Postgres is back every event is counted, none failed.
describe('reputation worker through a Postgres outage', () => {
  let pg: TestPostgres;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    pg = await TestPostgres.create('postline_reppg');
    const databaseUrl = await pg.createDatabase('postline');
    execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
      stdio: 'pipe',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    // Small batches, so the work lasts long enough for Postgres to go away under it.
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      REPUTATION_CONCURRENCY: '20',
      REPUTATION_BATCH_SIZE: '20',
    });
    const { AppModule } = await import('../src/app.module');
    app = await createTestApp(AppModule);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await closeTestPool();
    pg?.remove();
  });

  it('pauses, reports the outage on /health, and counts every event after Postgres returns', async () => {
    const { ReputationEventProcessor } = await import('../src/events/reputation-event.processor');
    const worker = app.get<ReputationEventProcessor>(ReputationEventProcessor).worker;
    await worker.waitUntilReady();
    const queue = app.get(QueueRegistry).get(QueueName.ReputationEvent);
    const { accountId } = await createAccount();
    const sent = async () =>
      (
        await testPool().query<{ sent: number }>(
          `SELECT coalesce(sum("sent"), 0)::int AS "sent" FROM "ReputationBucket" WHERE "accountId" = $1`,
          [accountId],
        )
      ).rows[0].sent;

    await enqueueJobs(
      app,
      JobName.RecordReputationEvents,
      Array.from({ length: JOBS }, () => {
        const event = {
          accountId,
          emailId: randomUUID(),
          kind: 'sent' as const,
          recipient: 'reader@example.test',
          occurredAt: Date.now(),
        };
        return { data: { events: [event] }, opts: { jobId: `${event.emailId}_sent` } };
      }),
    );
    await eventually(async () => (await sent()) > 0, 30_000, 20);
    await closeTestPool();
    pg.stop();

    await eventually(
      async () => {
        const health = await app.inject({ method: 'GET', url: '/health' });
        const { checks } = health.json<{ checks: { postgres: string; workers: string } }>();
        return health.statusCode === 503 && checks.postgres.startsWith('down') && checks.workers.startsWith('paused');
      },
      15_000,
      200,
    );
    expect(worker.isPaused()).toBe(true);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^postline_workers_paused_for_database 1$/m);
    await sleep(OUTAGE_MS);
    // Jobs met by the outage wait without using an attempt; none was taken since the pause.
    const waiting = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'failed']);
    expect(waiting.length).toBeGreaterThan(0);
    expect(Math.max(...waiting.map((job) => job.attemptsMade))).toBe(0);

    await pg.start();
    await eventually(async () => (await sent()) === JOBS, 60_000, 250);
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
    await eventually(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode === 200, 15_000, 200);
    expect(worker.isPaused()).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
      /^postline_workers_paused_for_database 0$/m,
    );
  }, 240_000);
});
