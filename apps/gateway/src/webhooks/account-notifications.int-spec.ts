import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';

/** An account notification delivery (no email), created `ageS` seconds ago; only the log is under test. */
async function insertNotification(account: TestAccount, type: string, ageS: number): Promise<string> {
  const id = randomUUID();
  const eventId = randomUUID();
  await testPool().query(
    `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload", "createdAt")
     VALUES ($1, $2, NULL, $3, $4, 'https://ops.example/notify', $5, (now() AT TIME ZONE 'UTC') - $6 * interval '1 second')`,
    [id, account.accountId, eventId, type, { id: eventId, type, timestamp: Date.now(), data: {} }, ageS],
  );
  return id;
}

describe('account notification log (integration)', () => {
  let app: NestFastifyApplication;
  let owner: TestAccount;
  let stranger: TestAccount;
  const ids: string[] = [];
  let foreign: string;

  const call = (method: 'GET' | 'POST', url: string, key?: string) =>
    app.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {} });

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    owner = await createAccount();
    stranger = await createAccount();
    // Oldest first: a warning, then a failing callback target, then a recovery.
    ids.push(await insertNotification(owner, 'account.reputation.warning', 30));
    ids.push(await insertNotification(owner, 'account.webhook-target.failing', 20));
    ids.push(await insertNotification(owner, 'account.reputation.recovered', 10));
    foreign = await insertNotification(stranger, 'account.reputation.blocked', 5);
    // An email's callback is not an account notification.
    const emailId = randomUUID();
    await testPool().query(
      `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload")
       VALUES ($1, $2, $3, $4, 'email.status', 'https://a.example/hook', '{}')`,
      [randomUUID(), owner.accountId, emailId, randomUUID()],
    );
    await testPool().query(
      `UPDATE "WebhookDelivery" SET "status" = 'FAILED', "attempts" = 1, "lastStatusCode" = 503 WHERE "id" = $1`,
      [ids[1]],
    );
    await testPool().query(
      `INSERT INTO "WebhookAttempt" ("id", "deliveryId", "attempt", "statusCode", "latencyMs", "error")
       VALUES ($1, $2, 1, 503, 40, 'HTTP 503')`,
      [randomUUID(), ids[1]],
    );
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('lists the account notifications newest first, with every attempt, a page at a time', async () => {
    const first = await call('GET', '/account/notifications?limit=2', owner.apiKey);
    expect(first.statusCode).toBe(200);
    const page1 = first.json().data as { items: { id: string }[]; nextCursor: string | null };
    expect(page1.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page1.items[1]).toMatchObject({
      type: 'account.webhook-target.failing',
      status: 'FAILED',
      attempts: 1,
      lastStatusCode: 503,
      attemptLog: [{ attempt: 1, statusCode: 503, latencyMs: 40, error: 'HTTP 503' }],
    });
    expect(page1.nextCursor).toEqual(expect.any(String));

    const second = await call(
      'GET',
      `/account/notifications?limit=2&cursor=${encodeURIComponent(page1.nextCursor as string)}`,
      owner.apiKey,
    );
    const page2 = second.json().data as { items: { id: string }[]; nextCursor: string | null };
    expect(page2.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();
  });

  it("shows only the caller's own notifications", async () => {
    const res = await call('GET', '/account/notifications', stranger.apiKey);
    expect((res.json().data.items as { id: string }[]).map((d) => d.id)).toEqual([foreign]);
    expect((await call('GET', '/account/notifications')).statusCode).toBe(401);
  });

  it('refuses a cursor it did not hand out and a limit out of range, naming the field', async () => {
    const badCursor = await call('GET', '/account/notifications?cursor=nonsense', owner.apiKey);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const badLimit = await call('GET', '/account/notifications?limit=0', owner.apiKey);
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().error.details).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('replays a notification with POST /webhook-deliveries/{id}/retry, for its own account only', async () => {
    await testPool().query(
      `UPDATE "WebhookDelivery" SET "status" = 'EXHAUSTED', "nextAttemptAt" = NULL WHERE "id" = $1`,
      [ids[0]],
    );
    const replay = await call('POST', `/webhook-deliveries/${ids[0]}/retry`, owner.apiKey);
    expect(replay.statusCode).toBe(202);
    expect(replay.json().data).toMatchObject({ id: ids[0], status: 'PENDING', type: 'account.reputation.warning' });

    const denied = await call('POST', `/webhook-deliveries/${foreign}/retry`, owner.apiKey);
    expect(denied.statusCode).toBe(404);
    const { rows } = await testPool().query(`SELECT "status" FROM "WebhookDelivery" WHERE "id" = $1`, [foreign]);
    expect(rows[0].status).toBe('PENDING');
  });

  it('documents the log and its response schema in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    const get = doc.paths['/account/notifications'].get;
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'limit']);
    expect(JSON.stringify(get.responses['200'])).toContain('AccountNotificationPageView');
    expect(Object.keys(doc.components.schemas.AccountNotificationPageView.properties).sort()).toEqual([
      'items',
      'nextCursor',
    ]);
  });
});
