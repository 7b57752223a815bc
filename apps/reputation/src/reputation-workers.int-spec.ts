import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  HOUR_MS,
  JobName,
  QueueName,
  type RecordReputationEventJob,
  type ReputationEventKind,
} from '@postline/contracts';
import { Clock } from '@postline/account-reputation';
import { jobIdOf, QueueRegistry } from '@postline/queue';
import { closeTestPool, createAccount, createTestApp, enqueueJobs, eventually, testPool } from '@postline/testing';

// Small batches and a fast sweep, so that two workers share the work and the scheduler runs within the test.
process.env.REPUTATION_CONCURRENCY = '40';
process.env.REPUTATION_BATCH_SIZE = '50';
process.env.REPUTATION_SWEEP_EVERY_MS = '300';

describe('reputation workers: two in parallel on one queue, with duplicated jobs (real Postgres and Redis)', () => {
  const apps: NestFastifyApplication[] = [];
  const processed = [0, 0];
  let offsetMs = 0;

  const event = (
    accountId: string,
    kind: ReputationEventKind,
    emailId: string = randomUUID(),
  ): RecordReputationEventJob => ({
    accountId,
    emailId,
    kind,
    recipient: 'reader@example.test',
    occurredAt: Date.now(),
  });

  /**
   * One job per event, as the outbox relay adds a status transaction of one event: job id `<emailId>_<kind>`;
   * `copies` re-adds under other ids (a re-queue after removal).
   */
  const enqueue = async (events: RecordReputationEventJob[], copies = 1) => {
    const jobs = events.flatMap((event) =>
      Array.from({ length: copies }, (_, copy) => ({
        data: { events: [event] },
        opts: { jobId: jobIdOf(event.emailId, event.kind, ...(copy === 0 ? [] : [`requeued${copy}`])) },
      })),
    );
    await enqueueJobs(apps[0], JobName.RecordReputationEvents, jobs);
  };

  const drained = async () => {
    const counts = await apps[0]
      .get(QueueRegistry)
      .get(QueueName.ReputationEvent)
      .getJobCounts('waiting', 'active', 'prioritized', 'failed');
    expect(counts.failed).toBe(0);
    return counts.waiting + counts.active + counts.prioritized === 0;
  };

  const totals = async (accountId: string) =>
    (
      await testPool().query(
        `SELECT sum("sent")::int AS "sent", sum("hardBounces")::int AS "hardBounces", sum("complaints")::int AS "complaints"
         FROM "ReputationBucket" WHERE "accountId" = $1`,
        [accountId],
      )
    ).rows[0];

  const changes = async (accountId: string) =>
    (
      await testPool().query(
        `SELECT "fromState", "toState" FROM "ReputationChange" WHERE "accountId" = $1 ORDER BY "createdAt"`,
        [accountId],
      )
    ).rows;

  beforeAll(async () => {
    const { AppModule } = await import('./app.module');
    const { ReputationRecorder } = await import('./events/reputation-recorder.service');
    for (const i of [0, 1]) {
      const app = await createTestApp(AppModule);
      const recorder = app.get(ReputationRecorder);
      const record = recorder.record.bind(recorder);
      jest.spyOn(recorder, 'record').mockImplementation((events) => {
        processed[i] += events.length;
        return record(events);
      });
      jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
      apps.push(app);
    }
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await closeTestPool();
  });

  it('counts every outcome exactly once, whichever worker gets it and however often it is queued', async () => {
    const healthy = (await createAccount()).accountId;
    const blocked = (await createAccount()).accountId;
    const sendsH = Array.from({ length: 2000 }, () => event(healthy, 'sent'));
    const sendsB = Array.from({ length: 500 }, () => event(blocked, 'sent'));
    await enqueue([...sendsH, ...sendsB], 2);
    await eventually(async () => (await drained()) && (await totals(blocked)).sent === 500, 30_000);

    await enqueue(
      [
        ...sendsH.slice(0, 40).map((s) => event(healthy, 'hard-bounce', s.emailId)),
        ...sendsH.slice(40, 41).map((s) => event(healthy, 'complaint', s.emailId)),
        ...sendsB.slice(0, 25).map((s) => event(blocked, 'hard-bounce', s.emailId)),
      ],
      3,
    );
    await eventually(drained, 30_000);

    expect(await totals(healthy)).toEqual({ sent: 2000, hardBounces: 40, complaints: 1 });
    expect(await totals(blocked)).toEqual({ sent: 500, hardBounces: 25, complaints: 0 });
    expect(processed[0]).toBeGreaterThan(0);
    expect(processed[1]).toBeGreaterThan(0);
    expect(processed[0] + processed[1]).toBe(2 * 2500 + 3 * 66);

    // 2 % bounces, 0.05 % complaints → WARNING (complaints); 5 % bounces → BLOCKED, recorded once.
    const { rows } = await testPool().query(
      `SELECT "id", "reputationState" FROM "Account" WHERE "id" = ANY($1::uuid[])`,
      [[healthy, blocked]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.reputationState]))).toEqual({
      [healthy]: 'WARNING',
      [blocked]: 'BLOCKED',
    });
    expect((await changes(blocked)).filter((c) => c.toState === 'BLOCKED')).toHaveLength(1);
    expect((await changes(healthy)).map((c) => c.toState)).toEqual(['WARNING']);
  });

  it('counts the events of batch jobs (a status transaction each) once, even when a batch is queued again', async () => {
    const { accountId } = await createAccount();
    const sends = Array.from({ length: 300 }, () => event(accountId, 'sent'));
    const batches = [sends.slice(0, 100), sends.slice(100, 300), sends.slice(50, 150)];
    await enqueueJobs(
      apps[0],
      JobName.RecordReputationEvents,
      batches.map((events, i) => ({ data: { events }, opts: { jobId: jobIdOf(events[0].emailId, 'batch', `${i}`) } })),
    );
    await eventually(async () => (await drained()) && (await totals(accountId)).sent === 300, 30_000);
    expect(await totals(accountId)).toEqual({ sent: 300, hardBounces: 0, complaints: 0 });
  });

  it('the scheduled sweep clears a warning once its hour leaves the window, with no new event', async () => {
    const { accountId } = await createAccount();
    const sends = Array.from({ length: 1000 }, () => event(accountId, 'sent'));
    await enqueue([...sends, ...sends.slice(0, 30).map((s) => event(accountId, 'hard-bounce', s.emailId))]);
    await eventually(async () => (await changes(accountId)).length === 1 && drained(), 30_000);
    expect(await changes(accountId)).toEqual([{ fromState: 'HEALTHY', toState: 'WARNING' }]);

    offsetMs = 169 * HOUR_MS;
    await eventually(async () => (await changes(accountId)).length === 2, 10_000);
    expect((await changes(accountId))[1]).toEqual({ fromState: 'WARNING', toState: 'HEALTHY' });
  });
});
