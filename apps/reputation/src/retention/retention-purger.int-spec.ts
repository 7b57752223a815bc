import { randomUUID } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';
import type { Env } from '../env';
import { RetentionPurger } from './retention-purger.service';

const DAY = 24 * 60 * 60 * 1000;

/** Settings as validated env values (the purger reads them through ConfigService). */
function config(values: Partial<Env>): ConfigService<Env, true> {
  const all = { RETENTION_DAYS: 45, RETENTION_BATCH_SIZE: 2, RETENTION_BATCH_PAUSE_MS: 0, ...values };
  return { get: (key: keyof typeof all) => all[key] } as unknown as ConfigService<Env, true>;
}

async function email(account: TestAccount, ageDays: number): Promise<string> {
  const id = randomUUID();
  const at = new Date(Date.now() - ageDays * DAY);
  const pool = testPool();
  await pool.query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "status", "sequence",
       "callbacks", "externalId", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, 'reader@example.com', 'news@shop.test', 'Hi', 'Hello', 'DELIVERED', 2, '{}', 'spring',
       $4::timestamptz AT TIME ZONE 'UTC', $4::timestamptz AT TIME ZONE 'UTC')`,
    [id, account.accountId, account.operatorId, at],
  );
  await pool.query(
    `INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "occurredAt")
     VALUES ($1, $2, $3, 'SES', $4, 'Delivery', 'DELIVERED', $5::timestamptz AT TIME ZONE 'UTC')`,
    [randomUUID(), id, account.accountId, randomUUID(), at],
  );
  const deliveryId = randomUUID();
  await pool.query(
    `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload", "status", "createdAt")
     VALUES ($1, $2, $3, $4, 'email.status', 'https://example.com/hook', '{}', 'SUCCEEDED', $5::timestamptz AT TIME ZONE 'UTC')`,
    [deliveryId, account.accountId, id, randomUUID(), at],
  );
  await pool.query(
    `INSERT INTO "WebhookAttempt" ("id", "deliveryId", "attempt", "statusCode", "latencyMs") VALUES ($1, $2, 1, 200, 5)`,
    [randomUUID(), deliveryId],
  );
  return id;
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await testPool().query<{ n: string }>(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`, params);
  return Number(rows[0].n);
}

describe(`${RetentionPurger.name} (integration)`, () => {
  afterAll(async () => {
    await closeTestPool();
  });

  it('deletes emails past the age with their events and callbacks, in batches, and keeps the counters', async () => {
    const [a, b] = [await createAccount(), await createAccount()];
    const old = [await email(a, 60), await email(a, 50), await email(a, 46), await email(b, 90), await email(b, 47)];
    const kept = [await email(a, 44), await email(b, 1)];
    await testPool().query(
      `INSERT INTO "CampaignStats" ("accountId", "externalId", "total", "sent", "delivered") VALUES ($1, 'spring', 3, 3, 3)`,
      [a.accountId],
    );
    const pool = testPool();
    for (const [messageId, state, ageDays] of [
      ['old-applied', 'APPLIED', 60],
      ['old-pending', 'PENDING', 60],
      ['new-applied', 'APPLIED', 1],
    ] as const) {
      await pool.query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record", "state", "receivedAt")
         VALUES ($1, 'arn:aws:sns:us-east-1:1:t', 'Delivery', '{}', $2::"SnsReceiptState", $3::timestamptz AT TIME ZONE 'UTC')`,
        [messageId, state, new Date(Date.now() - ageDays * DAY)],
      );
    }
    for (const [key, expiresInMs] of [
      ['expired', -1000],
      ['live', DAY],
    ] as const) {
      await pool.query(
        `INSERT INTO "IdempotencyKey" ("accountId", "key", "requestHash", "expiresAt")
         VALUES ($1, $2, 'h', $3::timestamptz AT TIME ZONE 'UTC')`,
        [a.accountId, key, new Date(Date.now() + expiresInMs)],
      );
    }
    const ids = [...old, ...kept];
    const stats = await count('CampaignStats', '"accountId" = $1', [a.accountId]);

    // Batches of 2: account a's three old emails take two statements, every one is still found.
    const result = await new RetentionPurger(pool, config({})).purge();

    expect(result).toEqual({ emails: 5, snsReceipts: 1, idempotencyKeys: 1 });
    expect(await count('Email', '"id" = ANY($1)', [ids])).toBe(2);
    expect(await count('Email', '"id" = ANY($1)', [kept])).toBe(2);
    expect(await count('EmailEvent', '"emailId" = ANY($1)', [old])).toBe(0);
    expect(await count('EmailEvent', '"emailId" = ANY($1)', [kept])).toBe(2);
    expect(await count('WebhookDelivery', '"emailId" = ANY($1)', [old])).toBe(0);
    expect(await count('WebhookDelivery', '"emailId" = ANY($1)', [kept])).toBe(2);
    expect(await count('SnsReceipt', '"messageId" LIKE $1', ['%-%'])).toBe(2);
    expect(await count('SnsReceipt', `"messageId" = 'old-pending'`)).toBe(1);
    expect(await count('IdempotencyKey', '"accountId" = $1', [a.accountId])).toBe(1);
    expect(stats).toBe(1);
    expect(await count('CampaignStats', '"accountId" = $1', [a.accountId])).toBe(1);
    expect(await count('WebhookAttempt', '"deliveryId" IN (SELECT "id" FROM "WebhookDelivery")')).toBe(2);
    expect(await count('WebhookAttempt', 'true')).toBe(2);
  });

  it('keeps everything when RETENTION_DAYS is 0', async () => {
    const account = await createAccount();
    const id = await email(account, 400);
    expect(await new RetentionPurger(testPool(), config({ RETENTION_DAYS: 0 })).purge()).toEqual({
      emails: 0,
      snsReceipts: 0,
      idempotencyKeys: 0,
    });
    expect(await count('Email', '"id" = $1', [id])).toBe(1);
  });

  it('keeps an email still SCHEDULED, however old (rescheduled past the retention age)', async () => {
    const account = await createAccount();
    const [scheduled, sent] = [await email(account, 60), await email(account, 60)];
    await testPool().query(
      `UPDATE "Email" SET "status" = 'SCHEDULED', "sendAt" = now() + interval '1 day' WHERE "id" = $1`,
      [scheduled],
    );
    await new RetentionPurger(testPool(), config({})).purge();
    expect(await count('Email', `"id" = ANY($1::uuid[])`, [[scheduled, sent]])).toBe(1);
    expect(await count('Email', `"id" = $1`, [scheduled])).toBe(1);
  });
});
