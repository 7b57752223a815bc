import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, eventually, type TestAccount, testPool } from '@postline/testing';
import {
  allApplied,
  eventsTestEnv,
  insertEmail,
  postToSns,
  sesRecord,
  signedNotification,
  startEventsApp,
  statusOf,
} from '../../test/events-test-kit';
import { ReceiptWriter } from './receipt-writer.service';

eventsTestEnv();

describe('SES events carrying text Postgres cannot hold', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    app = await startEventsApp();
    account = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('stores a validly signed notification with U+0000 and a lone surrogate (as U+FFFD) and applies it', async () => {
    const email = await insertEmail(account);
    const record = sesRecord('delivery.json', email);
    record.mail.commonHeaders = { ...record.mail.commonHeaders, subject: 'nul \u0000 and \ud800 here' };
    const notification = signedNotification(record);

    const response = await postToSns(app, notification);

    expect(response.status).toBe(200);
    await eventually(() => allApplied([notification.MessageId]), 20_000);
    expect(await statusOf(email.id)).toBe('DELIVERED');
    const { rows } = await testPool().query<{ subject: string }>(
      `SELECT "record"->'mail'->'commonHeaders'->>'subject' AS "subject" FROM "SnsReceipt" WHERE "messageId" = $1`,
      [notification.MessageId],
    );
    expect(rows).toEqual([{ subject: 'nul \ufffd and \ufffd here' }]);
  });

  it('stores the receipts grouped with one the database refuses; only that one fails', async () => {
    const writer = app.get(ReceiptWriter);
    const email = await insertEmail(account);
    const receipt = (subject: string) => {
      const record = sesRecord('open.json', email);
      record.mail.commonHeaders = { ...record.mail.commonHeaders, subject };
      return { messageId: randomUUID(), topicArn: 'arn:aws:sns:us-east-1:123456789012:ses', record };
    };
    const receipts = [receipt('a'), receipt('b'), receipt('nul \u0000'), receipt('c'), receipt('d')];

    const settled = await Promise.allSettled(receipts.map((r) => writer.store(r)));

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const { rows } = await testPool().query<{ messageId: string }>(
      `SELECT "messageId" FROM "SnsReceipt" WHERE "messageId" = ANY($1::text[])`,
      [receipts.map((r) => r.messageId)],
    );
    expect(rows.map((r) => r.messageId).sort()).toEqual(
      receipts
        .filter((_, i) => i !== 2)
        .map((r) => r.messageId)
        .sort(),
    );
  });
});
