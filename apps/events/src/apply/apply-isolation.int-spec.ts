import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SesEventRecord } from '@postline/ses';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';
import { eventsTestEnv, insertEmail, sesRecord, startEventsApp, statusOf } from '../../test/events-test-kit';
import { SesEventApplier } from './ses-event-applier.service';

eventsTestEnv();

// Events of concurrent jobs are applied in one transaction: one that cannot be applied must not fail the others.
describe('SES event application isolation', () => {
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

  /** A receipt as ReceiptWriter stores it, without its outbox row, so only this test applies it. */
  const receipt = async (record: SesEventRecord, sesMessageId = record.mail.messageId): Promise<string> => {
    const messageId = randomUUID();
    await testPool().query(
      `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "sesMessageId", "record") VALUES ($1, 'arn:aws:sns:us-east-1:123456789012:ses', $2, $3, $4)`,
      [messageId, record.eventType, sesMessageId, JSON.stringify(record)],
    );
    return messageId;
  };

  it('applies the good events of a batch that holds one that cannot be applied', async () => {
    const emails = await Promise.all(Array.from({ length: 7 }, () => insertEmail(account)));
    const ids = await Promise.all(
      emails.map((email, i) => {
        const record = sesRecord('delivery.json', email);
        // A stored record that lost its mail object: applying it throws, and with it the batch's transaction.
        if (i === 3) return receipt({ ...record, mail: undefined } as unknown as SesEventRecord, record.mail.messageId);
        return receipt(record);
      }),
    );
    const applier = app.get(SesEventApplier);

    const settled = await Promise.allSettled(ids.map((id) => applier.apply(id)));

    expect(settled.map((s) => s.status)).toEqual([
      ...Array(3).fill('fulfilled'),
      'rejected',
      ...Array(3).fill('fulfilled'),
    ]);
    const statuses = await Promise.all(emails.map((e) => statusOf(e.id)));
    expect(statuses.filter((_, i) => i !== 3)).toEqual(Array(6).fill('DELIVERED'));
  });
});
