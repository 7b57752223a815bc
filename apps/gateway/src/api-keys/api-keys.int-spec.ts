import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, eventually, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const ADMIN = `Bearer ${process.env.ADMIN_API_KEY}`;

describe('API keys with a lifecycle', () => {
  // Two replicas of the gateway sharing Postgres and Redis, as in production.
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  const call = (app: NestFastifyApplication, method: 'GET' | 'POST', url: string, key: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: key.startsWith('Bearer ') ? key : `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
  const create = async (app: NestFastifyApplication, key: string, body: object = { name: 'ci', operator: 'bob' }) => {
    const res = await call(app, 'POST', '/api-keys', key, body);
    expect(res.statusCode).toBe(201);
    return res.json().data as { key: string; apiKey: { id: string; status: string } };
  };

  beforeAll(async () => {
    a = await createTestApp(AppModule, (app) => configureGateway(app, false));
    b = await createTestApp(AppModule, (app) => configureGateway(app, false));
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await closeTestPool();
  });

  it('creates a key whose secret is shown once, and lists keys with their lifecycle but never a secret', async () => {
    const account = await createAccount();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const made = await create(a, account.apiKey, { name: 'production', operator: 'bob', expiresAt });
    expect(made.key).toMatch(/^pl_live_/);
    expect(made.apiKey).toMatchObject({ name: 'production', operator: 'bob', status: 'ACTIVE', expiresAt });
    expect((await call(b, 'GET', '/account', made.key)).json().data.operator).toBe('bob');

    const list = await call(a, 'GET', '/api-keys', account.apiKey);
    expect(list.statusCode).toBe(200);
    const keys = list.json().data as Record<string, unknown>[];
    expect(keys).toHaveLength(2);
    expect(keys[0]).toEqual({
      id: made.apiKey.id,
      prefix: made.key.slice(0, 12),
      name: 'production',
      operator: 'bob',
      status: 'ACTIVE',
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt,
      revokedAt: null,
    });
    expect(list.body).not.toContain(made.key);
    expect(list.body).not.toContain(account.apiKey);
    const { rows } = await testPool().query(`SELECT "hash" FROM "ApiKey" WHERE "id" = $1`, [made.apiKey.id]);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(list.body).not.toContain(rows[0].hash);
  });

  it('refuses a revoked key on every replica within a second', async () => {
    const account = await createAccount();
    const made = await create(a, account.apiKey);
    // Both replicas have the key cached.
    expect((await call(a, 'GET', '/account', made.key)).statusCode).toBe(200);
    expect((await call(b, 'GET', '/account', made.key)).statusCode).toBe(200);

    const revoked = await call(a, 'POST', `/api-keys/${made.apiKey.id}/revoke`, account.apiKey);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().data).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
    const start = Date.now();
    expect((await call(a, 'GET', '/account', made.key)).statusCode).toBe(401);
    const onB = await eventually(
      async () => {
        const res = await call(b, 'GET', '/account', made.key);
        return res.statusCode === 401 && res;
      },
      1000,
      20,
    );
    expect(Date.now() - start).toBeLessThan(1000);
    expect(onB.json().error.message).toBe('This API key was revoked');
    expect(onB.headers['www-authenticate']).toBe('Bearer realm="postline"');
  });

  it('regenerates a key: a new secret with the same name and operator, the old one refused everywhere', async () => {
    const account = await createAccount();
    const made = await create(a, account.apiKey, { name: 'worker', operator: 'carol' });
    expect((await call(b, 'GET', '/account', made.key)).statusCode).toBe(200);

    const res = await call(a, 'POST', `/api-keys/${made.apiKey.id}/regenerate`, account.apiKey);
    expect(res.statusCode).toBe(200);
    const fresh = res.json().data as { key: string; apiKey: { id: string; name: string; operator: string } };
    expect(fresh.key).not.toBe(made.key);
    expect(fresh.apiKey).toMatchObject({ name: 'worker', operator: 'carol', status: 'ACTIVE' });
    expect(fresh.apiKey.id).not.toBe(made.apiKey.id);
    expect((await call(b, 'GET', '/account', fresh.key)).statusCode).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/account', made.key)).statusCode === 401, 1000, 20);

    const again = await call(a, 'POST', `/api-keys/${made.apiKey.id}/regenerate`, account.apiKey);
    expect(again.statusCode).toBe(409);
  });

  it("answers 404 for another account's key, and for an id that is not one", async () => {
    const mine = await createAccount();
    const theirs = await createAccount();
    const theirKey = await create(a, theirs.apiKey);
    for (const action of ['revoke', 'regenerate']) {
      const res = await call(a, 'POST', `/api-keys/${theirKey.apiKey.id}/${action}`, mine.apiKey, {});
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await call(a, 'POST', '/api-keys/not-a-uuid/revoke', mine.apiKey)).statusCode).toBe(404);
    expect((await call(a, 'GET', '/account', theirKey.key)).statusCode).toBe(200);
    const listed = (await call(a, 'GET', '/api-keys', mine.apiKey)).json().data as { id: string }[];
    expect(listed.map((k) => k.id)).not.toContain(theirKey.apiKey.id);
  });

  it("refuses to revoke the account's last usable key unless forced", async () => {
    const account = await createAccount();
    const [{ id }] = (await call(a, 'GET', '/api-keys', account.apiKey)).json().data as { id: string }[];
    const refused = await call(a, 'POST', `/api-keys/${id}/revoke`, account.apiKey);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('last usable API key');
    expect((await call(a, 'GET', '/account', account.apiKey)).statusCode).toBe(200);

    const forced = await call(a, 'POST', `/api-keys/${id}/revoke`, account.apiKey, { force: true });
    expect(forced.statusCode).toBe(200);
    expect((await call(a, 'GET', '/account', account.apiKey)).statusCode).toBe(401);
  });

  it('expires a key at its expiry, and refuses an expiry in the past naming the field', async () => {
    const account = await createAccount();
    const past = await call(a, 'POST', '/api-keys', account.apiKey, {
      name: 'old',
      operator: 'bob',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
    const bad = await call(a, 'POST', '/api-keys', account.apiKey, { name: 'x', operator: 'bob', expiresAt: 'soon' });
    expect(bad.json().error.details[0].field).toBe('expiresAt');

    const made = await create(a, account.apiKey, {
      name: 'short',
      operator: 'bob',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await call(b, 'GET', '/account', made.key)).statusCode).toBe(200);
    const expired = await eventually(async () => {
      const res = await call(b, 'GET', '/account', made.key);
      return res.statusCode === 401 && res;
    }, 5000);
    expect(expired.json().error.message).toBe('This API key has expired');
    const listed = (await call(a, 'GET', '/api-keys', account.apiKey)).json().data as { id: string; status: string }[];
    expect(listed.find((k) => k.id === made.apiKey.id)?.status).toBe('EXPIRED');
  });

  it('records when a key was last used, without a write per request', async () => {
    const account = await createAccount();
    const made = await create(a, account.apiKey);
    for (let i = 0; i < 5; i++) expect((await call(a, 'GET', '/account', made.key)).statusCode).toBe(200);
    const { rows } = await eventually(async () => {
      const result = await testPool().query(`SELECT "lastUsedAt" FROM "ApiKey" WHERE "id" = $1`, [made.apiKey.id]);
      return result.rows[0].lastUsedAt && result;
    });
    const first = (rows[0].lastUsedAt as Date).getTime();
    expect(Math.abs(first - Date.now())).toBeLessThan(30_000);
    for (let i = 0; i < 5; i++) await call(a, 'GET', '/account', made.key);
    await new Promise((r) => setTimeout(r, 200));
    const after = await testPool().query(`SELECT "lastUsedAt" FROM "ApiKey" WHERE "id" = $1`, [made.apiKey.id]);
    expect((after.rows[0].lastUsedAt as Date).getTime()).toBe(first);
  });

  it('gives operators the same lifecycle under /admin/accounts/{id}/api-keys', async () => {
    const account = await createAccount();
    const other = await createAccount();
    const base = `/admin/accounts/${account.accountId}/api-keys`;
    const made = await call(a, 'POST', base, ADMIN, { name: 'support-made', operator: 'dave' });
    expect(made.statusCode).toBe(201);
    const { key, apiKey } = made.json().data as { key: string; apiKey: { id: string } };
    expect((await call(b, 'GET', '/account', key)).json().data.operator).toBe('dave');

    const listed = (await call(a, 'GET', base, ADMIN)).json().data as { id: string }[];
    expect(listed.map((k) => k.id)).toContain(apiKey.id);

    const regenerated = await call(a, 'POST', `${base}/${apiKey.id}/regenerate`, ADMIN);
    expect(regenerated.statusCode).toBe(200);
    const next = regenerated.json().data as { key: string; apiKey: { id: string } };
    await eventually(async () => (await call(b, 'GET', '/account', key)).statusCode === 401, 1000, 20);

    expect((await call(a, 'POST', `${base}/${next.apiKey.id}/revoke`, ADMIN)).statusCode).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/account', next.key)).statusCode === 401, 1000, 20);

    const elsewhere = `/admin/accounts/${other.accountId}/api-keys/${apiKey.id}/revoke`;
    expect((await call(a, 'POST', elsewhere, ADMIN)).statusCode).toBe(404);
    const unknown = `/admin/accounts/00000000-0000-4000-8000-000000000000/api-keys`;
    expect((await call(a, 'GET', unknown, ADMIN)).statusCode).toBe(404);
    expect((await call(a, 'POST', base, account.apiKey, { name: 'x', operator: 'y' })).statusCode).toBe(401);
  });
});

describe('where an API key may be sent', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it.each([
    ['query.api_key', { url: `/account?api_key=KEY` }],
    ['query.key', { url: `/emails?key=KEY` }],
    ['query.cursor', { url: `/emails?cursor=KEY` }],
    ['header.x-api-key', { url: '/account', headers: { 'x-api-key': 'KEY' } }],
    ['body.apiKey', { url: '/api-keys', method: 'POST', body: { apiKey: 'KEY', name: 'n', operator: 'o' } }],
  ])('refuses a key in %s, saying to use the Authorization header', async (field, req) => {
    const r = req as { url: string; method?: 'POST'; headers?: Record<string, string>; body?: object };
    const res = await app.inject({
      method: r.method ?? 'GET',
      url: r.url.replace('KEY', account.apiKey),
      headers: {
        authorization: `Bearer ${account.apiKey}`,
        'content-type': 'application/json',
        ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, v.replace('KEY', account.apiKey)])),
      },
      payload: r.body ? JSON.stringify(r.body).replace('KEY', account.apiKey) : undefined,
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('API_KEY_MISPLACED');
    expect(error.details[0].field).toBe(field);
    expect(error.message).toContain('only in the Authorization header');
    expect(res.body).not.toContain(account.apiKey);
  });

  it('refuses a key in the query string even without an Authorization header', async () => {
    const res = await app.inject({ method: 'GET', url: `/account?api_key=${account.apiKey}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('API_KEY_MISPLACED');
  });

  it('documents the key and rate-limit endpoints with their response schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    const ok = (path: string, method: string, status: string) =>
      doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
    // Every success body is the `{ meta, data }` envelope.
    const envelope = (data: object) => ({
      type: 'object',
      required: ['meta', 'data'],
      properties: { meta: { $ref: '#/components/schemas/MetaDoc' }, data },
    });
    expect(ok('/api-keys', 'get', '200')).toEqual(
      envelope({ type: 'array', items: { $ref: '#/components/schemas/ApiKeyView' } }),
    );
    expect(ok('/api-keys', 'post', '201')).toEqual(envelope({ $ref: '#/components/schemas/NewApiKeyView' }));
    expect(ok('/api-keys/{id}/revoke', 'post', '200')).toEqual(envelope({ $ref: '#/components/schemas/ApiKeyView' }));
    expect(ok('/api-keys/{id}/regenerate', 'post', '200')).toEqual(
      envelope({ $ref: '#/components/schemas/NewApiKeyView' }),
    );
    expect(ok('/admin/accounts/{accountId}/api-keys', 'post', '201')).toBeDefined();
    expect(ok('/admin/accounts/{accountId}/rate-limits', 'put', '200')).toEqual(
      envelope({ $ref: '#/components/schemas/RateLimitsView' }),
    );
    expect(Object.keys(doc.components.schemas.ApiKeyView.properties)).toEqual(
      expect.arrayContaining(['prefix', 'name', 'operator', 'status', 'createdAt', 'lastUsedAt', 'expiresAt']),
    );
  });

  it('sends WWW-Authenticate: Bearer with every 401', async () => {
    const missing = await app.inject({ method: 'GET', url: '/account' });
    const wrong = await app.inject({
      method: 'GET',
      url: '/account',
      headers: { authorization: 'Bearer pl_live_nope' },
    });
    const admin = await app.inject({ method: 'GET', url: `/admin/accounts/${account.accountId}` });
    for (const res of [missing, wrong, admin]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="postline"');
    }
    expect(missing.json().error.message).toContain('Authorization: Bearer');
  });
});
