import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { Redis } from 'ioredis';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const ADMIN = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

describe('reputation on the gateway: GET /reputation, operator block and unblock (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;
  let redis: Redis;

  const email = { to: 'reader@example.test', from: 'news@shop.test', subject: 'Hello', text: 'Spring offers' };
  const send = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: email,
    });
    expect(res.statusCode).toBe(201);
    return res.json().data as { status: string; statusReason?: string };
  };
  const admin = (
    action: 'block' | 'unblock',
    body: unknown,
    id = account.accountId,
    headers: Record<string, string> = ADMIN,
  ) => app.inject({ method: 'POST', url: `/admin/accounts/${id}/${action}`, headers, payload: body as object });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    redis = new Redis(process.env.REDIS_URL as string);
  });

  beforeEach(async () => {
    account = await createAccount({ senders: ['shop.test'] });
    await testPool().query(`UPDATE "Account" SET "notificationUrl" = 'https://hooks.example.test/n' WHERE "id" = $1`, [
      account.accountId,
    ]);
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await closeTestPool();
  });

  it('shows a new account HEALTHY with the rules it is judged by', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/reputation',
      headers: { authorization: `Bearer ${account.apiKey}` },
    });

    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      accountId: account.accountId,
      state: 'HEALTHY',
      reason: null,
      blockedAt: null,
      window: { hours: 168, restartedAt: null },
      minimumVolume: 100,
      evaluated: false,
      counts: { sent: 0, hardBounces: 0, complaints: 0 },
      rates: { bounce: 0, complaint: 0 },
      thresholds: { bounce: { warning: 0.025, block: 0.05 }, complaint: { warning: 0.0005, block: 0.001 } },
      simulatorRecipientsCounted: false,
      history: [],
    });
  });

  it('an operator block applies to the very next request: new emails are stored BLOCKED_DUE_BAD_BEHAVIOUR', async () => {
    expect((await send()).status).toBe('QUEUED');

    const res = await admin('block', { note: 'phishing reported by abuse desk', operator: 'maria' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      state: 'BLOCKED',
      reason: 'phishing reported by abuse desk',
      blockedAt: expect.any(String),
    });

    const blocked = await send();
    expect(blocked).toMatchObject({
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      statusReason: 'account is blocked: phishing reported by abuse desk',
    });
    const { rows } = await testPool().query(
      `SELECT "actor", "fromState", "toState", "reason" FROM "ReputationChange" WHERE "accountId" = $1`,
      [account.accountId],
    );
    expect(rows).toEqual([
      { actor: 'admin:maria', fromState: 'HEALTHY', toState: 'BLOCKED', reason: 'phishing reported by abuse desk' },
    ]);
  });

  it('an unblock with a note lets the account send again, restarts its window and keeps the history', async () => {
    await admin('block', { note: 'complaints from a bought list' });
    expect((await send()).status).toBe('BLOCKED_DUE_BAD_BEHAVIOUR');

    const res = await admin('unblock', { note: 'list removed, double opt-in enabled', operator: 'li' });
    expect(res.statusCode).toBe(200);
    expect((await send()).status).toBe('QUEUED');

    const view = (
      await app.inject({ method: 'GET', url: `/admin/accounts/${account.accountId}/reputation`, headers: ADMIN })
    ).json().data;
    expect(view).toMatchObject({
      state: 'HEALTHY',
      reason: null,
      blockedAt: null,
      window: { restartedAt: expect.any(String) },
    });
    expect(view.window.from).toBe(view.window.restartedAt);
    expect(view.history.map((h: { toState: string; actor: string }) => [h.toState, h.actor])).toEqual([
      ['HEALTHY', 'admin:li'],
      ['BLOCKED', 'admin'],
    ]);
    const { rows } = await testPool().query(
      `SELECT "type" FROM "WebhookDelivery" WHERE "accountId" = $1 ORDER BY "createdAt"`,
      [account.accountId],
    );
    expect(rows.map((r) => r.type)).toEqual(['account.reputation.blocked', 'account.reputation.unblocked']);
  });

  it('rebuilds the blocked flag from Postgres when its Redis copy is gone', async () => {
    await admin('block', { note: 'acceptable-use review' });
    const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:account-block:${account.accountId}`);
    expect(keys).toHaveLength(1);
    await redis.del(keys[0]);

    expect((await send()).status).toBe('BLOCKED_DUE_BAD_BEHAVIOUR');
    expect(JSON.parse((await redis.get(keys[0])) as string)).toEqual({
      blocked: true,
      reason: 'acceptable-use review',
    });
  });

  it('refuses a block or unblock without a note, twice in a row, for an unknown account, or without the admin key', async () => {
    expect((await admin('block', {})).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'note' })],
    });
    expect((await admin('block', { note: '   ' })).statusCode).toBe(400);
    expect((await admin('unblock', { note: 'nothing to lift' })).statusCode).toBe(409);
    expect((await admin('block', { note: 'first' })).statusCode).toBe(200);
    expect((await admin('block', { note: 'second' })).json().error.code).toBe('CONFLICT');
    expect((await admin('block', { note: 'x' }, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(
      (await admin('unblock', { note: 'x' }, account.accountId, { authorization: `Bearer ${account.apiKey}` }))
        .statusCode,
    ).toBe(401);
    const { rows } = await testPool().query(
      `SELECT count(*)::int AS n FROM "ReputationChange" WHERE "accountId" = $1`,
      [account.accountId],
    );
    expect(rows[0].n).toBe(1);
  });
});
