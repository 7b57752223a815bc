import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OutboxRelay } from '@postline/queue';
import { closeTestPool, testPool } from '@postline/testing';
import { eventsTestEnv, startEventsApp } from '../../test/events-test-kit';
import { ReceiptJanitor } from './receipt-janitor.service';

// The tests run the passes themselves: no scheduled pass may take their rows first.
eventsTestEnv({ EVENTS_RECEIPT_RETENTION_DAYS: '30', EVENTS_RECEIPT_JANITOR_EVERY_MS: '0' });

describe(ReceiptJanitor.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('deletes applied and parked receipts past the retention period and keeps pending ones', async () => {
    const receipts = [
      { id: randomUUID(), state: 'APPLIED', daysAgo: 31 },
      { id: randomUUID(), state: 'PARKED', daysAgo: 40 },
      { id: randomUUID(), state: 'PENDING', daysAgo: 60 },
      { id: randomUUID(), state: 'APPLIED', daysAgo: 29 },
    ];
    for (const r of receipts) {
      await testPool().query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record", "state", "receivedAt")
         VALUES ($1, 'arn:aws:sns:us-east-1:1:t', 'Open', '{}', $2::"SnsReceiptState", now() - make_interval(days => $3))`,
        [r.id, r.state, r.daysAgo],
      );
    }

    expect(await app.get(ReceiptJanitor).purge()).toBe(2);
    const { rows } = await testPool().query<{ messageId: string }>(
      `SELECT "messageId" FROM "SnsReceipt" WHERE "messageId" = ANY($1::text[])`,
      [receipts.map((r) => r.id)],
    );
    expect(rows.map((r) => r.messageId).sort()).toEqual([receipts[2].id, receipts[3].id].sort());
  });

  it('re-queues receipts still pending hours after they arrived, and only those', async () => {
    // Only this test's receipts are pending (the one above keeps an old pending receipt).
    await testPool().query(`UPDATE "SnsReceipt" SET "state" = 'APPLIED' WHERE "state" = 'PENDING'`);
    const stalled = randomUUID();
    const recent = randomUUID();
    for (const [id, hoursAgo] of [
      [stalled, 7],
      [recent, 1],
    ] as const) {
      await testPool().query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record", "state", "receivedAt")
         VALUES ($1, 'arn:aws:sns:us-east-1:1:t', 'Open', '{}', 'PENDING', now() - make_interval(hours => $2))`,
        [id, hoursAgo],
      );
    }
    const relay = app.get(OutboxRelay);
    const nudge = jest.spyOn(relay, 'nudge');
    // The 7-hour-old receipt only: the 1-hour-old one may still be waiting for its email on purpose.
    expect(await app.get(ReceiptJanitor).rescueStalled()).toBe(1);
    expect(nudge).toHaveBeenCalled();
  });
});
