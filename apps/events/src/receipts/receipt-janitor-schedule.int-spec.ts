import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, eventually, testPool } from '@postline/testing';
import { eventsTestEnv, startEventsApp } from '../../test/events-test-kit';

eventsTestEnv({ EVENTS_RECEIPT_RETENTION_DAYS: '30', EVENTS_RECEIPT_JANITOR_EVERY_MS: '300' });

describe('receipt janitor on its job scheduler', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('deletes old receipts without being called', async () => {
    const old = randomUUID();
    await testPool().query(
      `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record", "state", "receivedAt")
       VALUES ($1, 'arn:aws:sns:us-east-1:1:t', 'Open', '{}', 'APPLIED', now() - make_interval(days => 31))`,
      [old],
    );
    await eventually(async () => {
      const { rowCount } = await testPool().query(`SELECT 1 FROM "SnsReceipt" WHERE "messageId" = $1`, [old]);
      return rowCount === 0;
    }, 10_000);
  });
});
