import { randomUUID } from 'node:crypto';
import { closeTestPool, createAccount, queuedEmail, testPool } from '@postline/testing';
import { EmailIntake } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import type { AttemptRecord } from './delivery-row';
import { DeliveryStore } from './delivery-store.service';
import { TargetCircuits } from './target-circuits.service';
import type { ConfigService } from '@nestjs/config';
import type { Env } from '../env';

// Outcomes of concurrent attempts are recorded in one statement: one the database refuses must not fail the others.
describe('webhook outcome recording isolation', () => {
  afterAll(async () => {
    await closeTestPool();
  });

  it('records the good outcomes of a batch that holds one the database refuses', async () => {
    const account = await createAccount();
    const email = queuedEmail(account);
    await new EmailIntake(testPool(), { nudge: () => undefined } as unknown as OutboxRelay).store([email]);
    const ids = await Promise.all(
      Array.from({ length: 7 }, async () => {
        const id = randomUUID();
        await testPool().query(
          `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload")
           VALUES ($1, $2, $3, $4, 'email.status', 'https://receiver.example/hook', '{}')`,
          [id, account.accountId, email.id, randomUUID()],
        );
        return id;
      }),
    );
    const outcome = (deliveryId: string, error: string | null): AttemptRecord => ({
      deliveryId,
      accountId: account.accountId,
      target: 'https://receiver.example',
      targetFailed: false,
      eventId: randomUUID(),
      url: 'https://receiver.example/hook',
      seenAttempts: 0,
      status: 'FAILED',
      statusCode: 500,
      latencyMs: 12,
      error,
      nextAttemptAt: new Date(Date.now() + 60_000),
      retryInMs: 60_000,
    });
    const settings: Partial<Env> = {
      WEBHOOK_CIRCUIT_FAILURES: 10,
      WEBHOOK_CIRCUIT_OPEN_MS: 30_000,
      WEBHOOK_CIRCUIT_MAX_OPEN_MS: 600_000,
    };
    const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
    const store = new DeliveryStore(testPool(), new TargetCircuits(testPool(), config));

    const settled = await Promise.allSettled(
      ids.map((id, i) => store.record(outcome(id, i === 3 ? 'body echoed \u0000' : 'HTTP 500'))),
    );

    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([
      true,
      true,
      true,
      'rejected',
      true,
      true,
      true,
    ]);
    const { rows } = await testPool().query<{ id: string; attempts: number }>(
      `SELECT "id", "attempts" FROM "WebhookDelivery" WHERE "id" = ANY($1::uuid[])`,
      [ids],
    );
    const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
    expect(ids.map((id) => attempts.get(id))).toEqual([1, 1, 1, 0, 1, 1, 1]);
  });
});
