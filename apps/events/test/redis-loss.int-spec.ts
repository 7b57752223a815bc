import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, eventually, testPool, TestRedis } from '@postline/testing';
import type { ApplySesEventProcessor } from '../src/apply/apply-ses-event.processor';
import {
  eventsTestEnv,
  insertEmail,
  postToSns,
  sesRecord,
  signedNotification,
  startEventsApp,
} from './events-test-kit';

const EVENTS = 200;

// An acknowledged SNS notification is applied even when Redis lost its job: the pending receipt in Postgres
// is queued again, without waiting for the 6 h rescue of receipts whose job failed.
describe('events after Redis is lost', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    eventsTestEnv({ REDIS_URL: redis.url, RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' });
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await closeTestPool();
  });

  it('applies every acknowledged event after Redis restarts empty', async () => {
    const { ApplySesEventProcessor } = await import('../src/apply/apply-ses-event.processor');
    const worker = app.get<ApplySesEventProcessor>(ApplySesEventProcessor).worker;
    await worker.waitUntilReady();
    // Nobody applies events: their jobs are in Redis, and only there, when it dies.
    await worker.pause();
    const account = await createAccount();
    const emails = await Promise.all(Array.from({ length: EVENTS }, () => insertEmail(account)));
    for (const email of emails) {
      const { status } = await postToSns(app, signedNotification(sesRecord('delivery.json', email)));
      expect(status).toBe(200);
    }
    await eventually(
      async () =>
        (await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEvent"`)).rows[0].n === 0,
      20_000,
    );

    await redis.kill();
    await redis.restart();
    const back = Date.now();
    await worker.resume();

    await eventually(
      async () => {
        const { rows } = await testPool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'DELIVERED'`,
          [emails.map((e) => e.id)],
        );
        return rows[0].n === EVENTS;
      },
      60_000,
      250,
    );
    expect(Date.now() - back).toBeLessThan(60_000);
    const { rows } = await testPool().query<{ state: string; n: number }>(
      `SELECT "state", count(*)::int AS n FROM "SnsReceipt" GROUP BY "state"`,
    );
    expect(rows).toEqual([{ state: 'APPLIED', n: EVENTS }]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      new RegExp(`^postline_reconciled_jobs_total\\{queue="ses-event",job="apply-ses-event"\\} ${EVENTS}$`, 'm'),
    );
  });
});
