import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';
import { Webhook } from 'standardwebhooks';

process.env.WEBHOOK_SECRET_OVERLAP_HOURS = '2';

async function insertEmail(account: TestAccount, callbacks: string[]): Promise<string> {
  const id = randomUUID();
  await testPool().query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "callbacks", "status")
     VALUES ($1, $2, $3, 'jane@example.com', 'news@acme.test', 'Hi', 'Hello', $4, 'DELIVERED')`,
    [id, account.accountId, account.operatorId, callbacks],
  );
  return id;
}

async function insertDelivery(
  account: TestAccount,
  emailId: string,
  url: string,
): Promise<{ id: string; eventId: string }> {
  // Only the log is under test here: the row alone, with no due time, so nothing would ever claim it.
  const id = randomUUID();
  const eventId = randomUUID();
  const payload = {
    id: eventId,
    type: 'email.status',
    timestamp: Date.now(),
    data: { id: emailId, status: 'DELIVERED' },
  };
  await testPool().query(
    `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload") VALUES ($1, $2, $3, $4, 'email.status', $5, $6)`,
    [id, account.accountId, emailId, eventId, url, payload],
  );
  return { id, eventId };
}

describe('webhook endpoints of the gateway (integration)', () => {
  let app: NestFastifyApplication;
  let owner: TestAccount;
  let stranger: TestAccount;

  const call = (method: 'GET' | 'POST', url: string, key: string) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    owner = await createAccount();
    stranger = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  describe('GET /emails/:id/callbacks', () => {
    it('lists each callback delivery with its attempts, status codes, latency and next retry', async () => {
      const emailId = await insertEmail(owner, ['https://a.example/hook', 'https://b.example/hook']);
      const a = await insertDelivery(owner, emailId, 'https://a.example/hook');
      const b = await insertDelivery(owner, emailId, 'https://b.example/hook');
      const next = new Date(Date.now() + 300_000);
      await testPool().query(
        `UPDATE "WebhookDelivery" SET "status" = 'FAILED', "attempts" = 2, "lastStatusCode" = 503, "lastError" = 'HTTP 503',
           "lastLatencyMs" = 40, "nextAttemptAt" = $2 WHERE "id" = $1`,
        [a.id, next],
      );
      await testPool().query(
        `INSERT INTO "WebhookAttempt" ("id", "deliveryId", "attempt", "statusCode", "latencyMs", "error", "nextAttemptAt") VALUES
           ($1, $3, 1, NULL, 15000, 'timed out after 15000 ms', now()), ($2, $3, 2, 503, 40, 'HTTP 503', $4)`,
        [randomUUID(), randomUUID(), a.id, next],
      );

      const res = await call('GET', `/emails/${emailId}/callbacks`, owner.apiKey);
      expect(res.statusCode).toBe(200);
      const data = res.json().data as Record<string, unknown>[];
      expect(data.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
      const failed = data.find((d) => d.id === a.id);
      expect(failed).toMatchObject({
        url: 'https://a.example/hook',
        type: 'email.status',
        eventId: a.eventId,
        status: 'FAILED',
        attempts: 2,
        lastStatusCode: 503,
        lastLatencyMs: 40,
        lastError: 'HTTP 503',
        nextAttemptAt: next.toISOString(),
        deliveredAt: null,
        payload: { id: a.eventId, type: 'email.status', data: { id: emailId, status: 'DELIVERED' } },
        attemptLog: [
          {
            attempt: 1,
            statusCode: null,
            latencyMs: 15000,
            error: 'timed out after 15000 ms',
            nextAttemptAt: expect.any(String),
            at: expect.any(String),
          },
          {
            attempt: 2,
            statusCode: 503,
            latencyMs: 40,
            error: 'HTTP 503',
            nextAttemptAt: next.toISOString(),
            at: expect.any(String),
          },
        ],
      });
      expect(data.find((d) => d.id === b.id)).toMatchObject({ status: 'PENDING', attempts: 0, attemptLog: [] });
    });

    it("is 404 for another account's email and for ids that are not emails", async () => {
      const emailId = await insertEmail(owner, ['https://a.example/hook']);
      await insertDelivery(owner, emailId, 'https://a.example/hook');
      const foreign = await call('GET', `/emails/${emailId}/callbacks`, stranger.apiKey);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('NOT_FOUND');
      expect((await call('GET', '/emails/not-a-uuid/callbacks', owner.apiKey)).statusCode).toBe(404);
      expect((await call('GET', `/emails/${randomUUID()}/callbacks`, owner.apiKey)).statusCode).toBe(404);
      expect((await call('GET', `/emails/${emailId}/callbacks`, 'pl_live_wrong')).statusCode).toBe(401);
    });
  });

  describe('POST /webhook-deliveries/:id/retry', () => {
    it('makes an exhausted delivery due now, so the webhooks app claims it again', async () => {
      const emailId = await insertEmail(owner, ['https://a.example/hook']);
      const d = await insertDelivery(owner, emailId, 'https://a.example/hook');
      await testPool().query(
        `UPDATE "WebhookDelivery" SET "status" = 'EXHAUSTED', "attempts" = 8, "nextAttemptAt" = NULL WHERE "id" = $1`,
        [d.id],
      );

      const res = await call('POST', `/webhook-deliveries/${d.id}/retry`, owner.apiKey);
      expect(res.statusCode).toBe(202);
      expect(res.json().data).toMatchObject({ id: d.id, status: 'PENDING', attempts: 8 });
      expect(Date.parse(res.json().data.nextAttemptAt)).toBeLessThanOrEqual(Date.now() + 1000);
      expect((await call('POST', `/webhook-deliveries/${d.id}/retry`, owner.apiKey)).statusCode).toBe(202);
      // Due by the claim's own test: PENDING or FAILED with its due time passed.
      const { rows } = await testPool().query(
        `SELECT 1 FROM "WebhookDelivery" WHERE "id" = $1 AND "status" IN ('PENDING', 'FAILED')
           AND "nextAttemptAt" <= now() AT TIME ZONE 'UTC'`,
        [d.id],
      );
      expect(rows).toHaveLength(1);
    });

    it("is 404 for another account's delivery, and changes nothing", async () => {
      const emailId = await insertEmail(owner, ['https://a.example/hook']);
      const d = await insertDelivery(owner, emailId, 'https://a.example/hook');
      await testPool().query(`UPDATE "WebhookDelivery" SET "status" = 'GONE', "attempts" = 1 WHERE "id" = $1`, [d.id]);
      const res = await call('POST', `/webhook-deliveries/${d.id}/retry`, stranger.apiKey);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      const { rows } = await testPool().query(`SELECT "status" FROM "WebhookDelivery" WHERE "id" = $1`, [d.id]);
      expect(rows[0].status).toBe('GONE');
      expect((await call('POST', `/webhook-deliveries/${randomUUID()}/retry`, owner.apiKey)).statusCode).toBe(404);
    });
  });

  describe('webhook secret', () => {
    it('shows the account secret, a Standard Webhooks whsec_ key', async () => {
      const res = await call('GET', '/account/webhook-secret', owner.apiKey);
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toEqual({
        secret: owner.webhookSecret,
        previousSecret: null,
        previousSecretExpiresAt: null,
      });
    });

    it('rotates: the new secret signs, the old one stays valid for the configured overlap', async () => {
      const account = await createAccount();
      const res = await call('POST', '/account/webhook-secret/rotate', account.apiKey);
      expect(res.statusCode).toBe(200);
      const rotated = res.json().data as { secret: string; previousSecret: string; previousSecretExpiresAt: string };
      expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(rotated.secret.slice(6), 'base64')).toHaveLength(32);
      expect(rotated.secret).not.toBe(account.webhookSecret);
      expect(rotated.previousSecret).toBe(account.webhookSecret);
      expect(Math.abs(Date.parse(rotated.previousSecretExpiresAt) - (Date.now() + 2 * 3_600_000))).toBeLessThan(10_000);
      expect(() => new Webhook(rotated.secret)).not.toThrow();
      expect((await call('GET', '/account/webhook-secret', account.apiKey)).json().data).toEqual(rotated);

      const { rows } = await testPool().query(
        `SELECT "webhookSecret", "previousWebhookSecret" FROM "Account" WHERE "id" = $1`,
        [account.accountId],
      );
      expect(rows[0]).toEqual({ webhookSecret: rotated.secret, previousWebhookSecret: account.webhookSecret });

      const again = (await call('POST', '/account/webhook-secret/rotate', account.apiKey)).json().data;
      expect(again.previousSecret).toBe(rotated.secret);
      expect(again.secret).not.toBe(rotated.secret);
      expect((await call('GET', '/account/webhook-secret', stranger.apiKey)).json().data.secret).toBe(
        stranger.webhookSecret,
      );
    });

    it('no longer shows the previous secret once the overlap is over', async () => {
      const account = await createAccount();
      await call('POST', '/account/webhook-secret/rotate', account.apiKey);
      await testPool().query(
        `UPDATE "Account" SET "previousSecretExpiresAt" = now() - interval '1 second' WHERE "id" = $1`,
        [account.accountId],
      );
      const res = await call('GET', '/account/webhook-secret', account.apiKey);
      expect(res.json().data).toMatchObject({ previousSecret: null, previousSecretExpiresAt: null });
    });
  });

  it('documents the endpoints and the callback payload in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/emails/{id}/callbacks',
        '/webhook-deliveries/{id}/retry',
        '/account/webhook-secret',
        '/account/webhook-secret/rotate',
      ]),
    );
    expect(Object.keys(doc.components.schemas.WebhookEnvelopeDoc.properties)).toEqual([
      'id',
      'type',
      'timestamp',
      'data',
    ]);
    expect(Object.keys(doc.components.schemas.EmailStatusWebhookDataDoc.properties)).toEqual(
      expect.arrayContaining(['status', 'previousStatus', 'sequence', 'occurredAt', 'details', 'userName', 'operator']),
    );
    expect(doc.paths['/emails/{id}/callbacks'].get.description).toContain('webhook-signature');
  });
});
