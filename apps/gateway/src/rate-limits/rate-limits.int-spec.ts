import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import type { configureGateway as Configure } from '../configure-app';

// Small limits so that each rule is reached in a few requests; read when the app module is imported.
process.env.RATE_LIMIT_PER_KEY = '5';
process.env.RATE_LIMIT_PER_ACCOUNT = '8';
process.env.RATE_LIMIT_WINDOW_SECONDS = '60';
process.env.AUTH_FAILURE_LIMIT = '4';
process.env.AUTH_FAILURE_WINDOW_SECONDS = '60';
// As behind a load balancer on this host: its X-Forwarded-For names the client.
process.env.TRUST_PROXY = '127.0.0.1';

const ADMIN = `Bearer ${process.env.ADMIN_API_KEY}`;
let address = 0;
/** A source address of its own per test (the trusted proxy's X-Forwarded-For). */
const newAddress = () => `203.0.113.${++address}`;

async function secondKey(account: TestAccount): Promise<string> {
  const key = `pl_live_${randomBytes(24).toString('base64url')}`;
  await testPool().query(
    `INSERT INTO "ApiKey" ("id", "accountId", "operatorId", "prefix", "hash") VALUES ($1, $2, $3, $4, $5)`,
    [
      randomUUID(),
      account.accountId,
      account.operatorId,
      key.slice(0, 12),
      createHash('sha256').update(key).digest('hex'),
    ],
  );
  return key;
}

describe('rate limits', () => {
  // Two replicas: the counts live in Redis, so both see the same ones.
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  const get = (app: NestFastifyApplication, key: string, from = '198.51.100.1', url = '/account') =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': from } });

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    const { configureGateway } = (await import('../configure-app')) as { configureGateway: typeof Configure };
    a = await createTestApp(AppModule, (app) => configureGateway(app, false));
    b = await createTestApp(AppModule, (app) => configureGateway(app, false));
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await closeTestPool();
  });

  it('limits each key, across replicas, with RateLimit-* headers on every response and Retry-After on 429', async () => {
    const account = await createAccount();
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(i % 2 ? b : a, account.apiKey);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const refused = await get(b, account.apiKey);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.json().error.message).toContain('5 requests per 60 s for this API key');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Errors after authentication carry the headers too.
    const notFound = await get(
      a,
      (await createAccount()).apiKey,
      undefined,
      '/emails/00000000-0000-4000-8000-000000000000',
    );
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['ratelimit-limit']).toBe('5');
  });

  it('limits the account as a whole, whichever of its keys is used', async () => {
    const account = await createAccount();
    const other = await secondKey(account);
    for (let i = 0; i < 5; i++) expect((await get(a, account.apiKey)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(b, other)).statusCode).toBe(200);
    const refused = await get(a, other);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('8 requests per 60 s for this account');
  });

  it('counts each message of POST /emails/batch, and refuses a batch larger than the limit without counting it', async () => {
    const account = await createAccount();
    const batch = (n: number) =>
      a.inject({
        method: 'POST',
        url: '/emails/batch',
        headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ messages: Array.from({ length: n }, () => ({})) }),
      });
    const tooBig = await batch(6);
    expect(tooBig.statusCode).toBe(429);
    expect(tooBig.json().error.message).toContain('send smaller batches');

    const four = await batch(4);
    expect(four.headers['ratelimit-remaining']).toBe('1');
    expect((await get(a, account.apiKey)).statusCode).toBe(200);
    expect((await get(a, account.apiKey)).statusCode).toBe(429);
  });

  it("applies an account's own limits, set by an operator, on every replica at once", async () => {
    const account = await createAccount();
    // Both replicas have the caller cached with the default limits.
    expect((await get(a, account.apiKey)).headers['ratelimit-limit']).toBe('5');
    expect((await get(b, account.apiKey)).headers['ratelimit-limit']).toBe('5');

    const set = await a.inject({
      method: 'PUT',
      url: `/admin/accounts/${account.accountId}/rate-limits`,
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      payload: JSON.stringify({ perKey: 3, perAccount: 100 }),
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().data).toEqual({
      windowSeconds: 60,
      perKey: 3,
      perAccount: 100,
      accountPerKey: 3,
      accountPerAccount: 100,
    });
    const { rows } = await testPool().query(
      `SELECT "rateLimitPerKey", "rateLimitPerAccount" FROM "Account" WHERE "id" = $1`,
      [account.accountId],
    );
    expect(rows).toEqual([{ rateLimitPerKey: 3, rateLimitPerAccount: 100 }]);

    await new Promise((r) => setTimeout(r, 200));
    const third = await get(b, account.apiKey);
    expect(third.statusCode).toBe(200);
    expect(third.headers['ratelimit-limit']).toBe('3');
    expect((await get(b, account.apiKey)).statusCode).toBe(429);

    const invalid = await a.inject({
      method: 'PUT',
      url: `/admin/accounts/${account.accountId}/rate-limits`,
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      payload: JSON.stringify({ perKey: 0 }),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details[0].field).toBe('perKey');
  });

  it('limits failed authentications per source address, then refuses even a good key from it', async () => {
    const from = newAddress();
    const account = await createAccount();
    for (let i = 0; i < 4; i++) {
      const res = await get(i % 2 ? b : a, `pl_live_guess${i}`, from);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="postline"');
    }
    const refused = await get(a, 'pl_live_guess5', from);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(a, account.apiKey, from)).statusCode).toBe(429);
    // The other replica learns it at its next failure from that address (the count is shared).
    expect((await get(b, 'pl_live_guess6', from)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await get(a, account.apiKey, newAddress())).statusCode).toBe(200);
  });

  it('limits failed admin authentications the same way', async () => {
    const from = newAddress();
    const admin = (key: string) =>
      a.inject({
        method: 'GET',
        url: '/admin/accounts/00000000-0000-4000-8000-000000000000',
        headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': from },
      });
    for (let i = 0; i < 4; i++) expect((await admin('wrong-admin-key-000000')).statusCode).toBe(401);
    expect((await admin('wrong-admin-key-000000')).statusCode).toBe(429);
    expect((await admin(process.env.ADMIN_API_KEY as string)).statusCode).toBe(429);
  });
});
