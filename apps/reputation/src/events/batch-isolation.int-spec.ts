import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RecordReputationEventJob } from '@postline/contracts';
import { closeTestPool, createAccount, createTestApp, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { ReputationBatcher } from './reputation-batcher.service';

// Concurrent reputation jobs are counted in one transaction: one the database refuses must not fail the others.
describe('reputation counting isolation', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp(AppModule);
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('counts the good events of a batch that holds one the database refuses', async () => {
    const healthy = (await createAccount()).accountId;
    const careless = (await createAccount()).accountId;
    const event = (accountId: string, emailId: string = randomUUID()): RecordReputationEventJob => ({
      accountId,
      emailId,
      kind: 'sent',
      recipient: 'reader@example.test',
      occurredAt: Date.now(),
    });
    const events = [
      ...Array.from({ length: 6 }, () => event(healthy)),
      event(careless, 'not-a-uuid'),
      ...Array.from({ length: 6 }, () => event(healthy)),
    ];
    const batcher = app.get(ReputationBatcher);

    const settled = await Promise.allSettled(events.map((e) => batcher.submit(e)));

    expect(settled.map((s) => s.status)).toEqual([
      ...Array(6).fill('fulfilled'),
      'rejected',
      ...Array(6).fill('fulfilled'),
    ]);
    const { rows } = await testPool().query<{ sent: number }>(
      `SELECT coalesce(sum("sent"), 0)::int AS "sent" FROM "ReputationBucket" WHERE "accountId" = $1`,
      [healthy],
    );
    expect(rows[0].sent).toBe(12);
  });
});
