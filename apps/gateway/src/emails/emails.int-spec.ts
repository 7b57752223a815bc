import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  outboxRowsHolding,
  type TestAccount,
  testPool,
} from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const sample = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
  externalId: '123456789abcde',
  clientId: '48118112',
  callbacks: ['https://example.com/hook'],
  alias: 'New User',
};

describe('POST /emails (gateway, real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  const post = (body: unknown, key = account.apiKey, headers: Record<string, string> = {}, url = '/emails') =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({
      name: `elipackage-${Date.now()}`,
      operatorName: 'alice',
      senders: ['elipackage.test'],
    });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('accepts the documented sample request as QUEUED and stores it with an outbox job', async () => {
    const res = await post(sample);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers['x-request-id']).toBe(body.meta.transactionId);
    expect(body.meta.timestamp).toEqual(expect.any(Number));
    expect(body.data).toMatchObject({
      ...sample,
      status: 'QUEUED',
      userName: account.name,
      operator: 'alice',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(body.data.statusReason).toBeUndefined();
    const { rows } = await testPool().query(`SELECT "status", "unsubscribeMsg" FROM "Email" WHERE "id" = $1`, [
      body.data.id,
    ]);
    expect(rows).toEqual([{ status: 'QUEUED', unsubscribeMsg: 'Unsubscribe' }]);
  });

  it('accepts callbacks as one comma-separated string and unsubscribeMsg as a query parameter', async () => {
    const res = await post(
      { ...sample, callbacks: 'https://a.example/h, https://b.example/h' },
      account.apiKey,
      {},
      '/emails?unsubscribeMsg=Stop%20these',
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().data.callbacks).toEqual(['https://a.example/h', 'https://b.example/h']);
    const { rows } = await testPool().query(`SELECT "unsubscribeMsg" FROM "Email" WHERE "id" = $1`, [
      res.json().data.id,
    ]);
    expect(rows[0].unsubscribeMsg).toBe('Stop these');
  });

  it('shows the email with its history, and another account gets 404', async () => {
    const created = (await post(sample)).json().data;
    const res = await app.inject({
      method: 'GET',
      url: `/emails/${created.id}`,
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      id: created.id,
      status: 'QUEUED',
      events: [expect.objectContaining({ type: 'Accepted', status: 'QUEUED' })],
    });

    const other = await createAccount({ senders: ['elipackage.test'] });
    const foreign = await app.inject({
      method: 'GET',
      url: `/emails/${created.id}`,
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOT_FOUND');
    const list = await app.inject({
      method: 'GET',
      url: `/emails?externalId=${sample.externalId}`,
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(list.json().data.items).toEqual([]);
  });

  it('lists emails newest first with filters and a cursor', async () => {
    const campaign = `list-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await post({ ...sample, externalId: campaign, clientId: `c${i}` })).json().data.id);
    const get = (qs: string) =>
      app
        .inject({ method: 'GET', url: `/emails?${qs}`, headers: { authorization: `Bearer ${account.apiKey}` } })
        .then((r) => r.json().data);
    const first = await get(`externalId=${campaign}&limit=2`);
    const second = await get(`externalId=${campaign}&limit=2&cursor=${first.nextCursor}`);
    const third = await get(`externalId=${campaign}&limit=2&cursor=${second.nextCursor}`);
    const seen = [...first.items, ...second.items, ...third.items].map((e: { id: string }) => e.id);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
    expect((await get(`externalId=${campaign}&clientId=c3`)).items.map((e: { id: string }) => e.id)).toEqual([ids[3]]);
    expect((await get(`externalId=${campaign}&status=QUEUED&to=SUCCESS@SIMULATOR.AMAZONSES.COM`)).items).toHaveLength(
      0,
    );
    expect((await get(`externalId=${campaign}&status=QUEUED&to=success@SIMULATOR.AMAZONSES.COM`)).items).toHaveLength(
      5,
    );
  });

  describe('terminal statuses decided at acceptance are stored and answered 201', () => {
    it('BAD_FROM when the sender is not a verified identity (a parent domain does not cover a subdomain)', async () => {
      for (const from of ['promo@other.test', 'promo@mail.elipackage.test']) {
        const res = await post({ ...sample, from });
        expect(res.statusCode).toBe(201);
        expect(res.json().data).toMatchObject({
          status: 'BAD_FROM',
          statusReason: expect.stringContaining('not a verified sender'),
        });
      }
    });

    it('BAD_TO for a reserved role address, unless the account allows them', async () => {
      const res = await post({ ...sample, to: 'Postmaster@example.com' });
      expect(res.json().data).toMatchObject({
        status: 'BAD_TO',
        statusReason: expect.stringContaining('role address'),
      });
      const patched = await app.inject({
        method: 'PATCH',
        url: '/account',
        headers: { authorization: `Bearer ${account.apiKey}` },
        payload: { settings: { allowRoleAddresses: true } },
      });
      expect(patched.statusCode).toBe(200);
      expect((await post({ ...sample, to: 'postmaster@example.com' })).json().data.status).toBe('QUEUED');
      await app.inject({
        method: 'PATCH',
        url: '/account',
        headers: { authorization: `Bearer ${account.apiKey}` },
        payload: { settings: { allowRoleAddresses: false } },
      });
    });

    it('refuses null for a setting (it is a boolean) and stores nothing', async () => {
      for (const payload of [{ settings: { allowRoleAddresses: null } }, { settings: null }]) {
        const res = await app.inject({
          method: 'PATCH',
          url: '/account',
          headers: { authorization: `Bearer ${account.apiKey}` },
          payload,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toMatch(
          /allowRoleAddresses must be a boolean value|settings must be an object/,
        );
      }
      const { rows } = await testPool().query(`SELECT "settings" FROM "Account" WHERE "id" = $1`, [account.accountId]);
      expect(rows[0].settings).toEqual({ allowRoleAddresses: false });
    });

    it('BLACKLISTED when the recipient is on the suppression list', async () => {
      const add = await app.inject({
        method: 'POST',
        url: '/suppressions',
        headers: { authorization: `Bearer ${account.apiKey}` },
        payload: { address: 'Gone@Example.com' },
      });
      expect(add.statusCode).toBe(201);
      const res = await post({ ...sample, to: 'gone@example.com' });
      expect(res.json().data).toMatchObject({
        status: 'BLACKLISTED',
        statusReason: expect.stringContaining('suppression list'),
      });
      // Its callback is due at once, written with the email, and names the accepted event (its webhook-id).
      const { rows } = await testPool().query(
        `SELECT d."url", d."status", d."payload"->'data'->>'status' AS "event", e."type", e."details"->>'reason' AS "reason"
         FROM "WebhookDelivery" d JOIN "EmailEvent" e ON e."id"::text = d."eventId"
         WHERE d."emailId" = $1 AND d."nextAttemptAt" <= now() AT TIME ZONE 'UTC'`,
        [res.json().data.id],
      );
      expect(rows).toEqual([
        {
          url: 'https://example.com/hook',
          status: 'PENDING',
          event: 'BLACKLISTED',
          type: 'Accepted',
          reason: expect.stringContaining('suppression list'),
        },
      ]);
    });

    it('BLOCKED_DUE_BAD_BEHAVIOUR when the account is blocked', async () => {
      const blocked = await createAccount({ senders: ['elipackage.test'] });
      await testPool().query(
        `UPDATE "Account" SET "reputationState" = 'BLOCKED', "reputationReason" = 'bounce rate 6%' WHERE "id" = $1`,
        [blocked.accountId],
      );
      const res = await post(sample, blocked.apiKey);
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toMatchObject({
        status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
        statusReason: expect.stringContaining('blocked'),
      });
      expect(await outboxRowsHolding(res.json().data.id)).toBe(0);
    });
  });

  describe('malformed requests are 400, name the field and rule, and store nothing', () => {
    const cases: [string, unknown, string, string][] = [
      ['a missing to', { ...sample, to: undefined }, 'to', ''],
      ['an empty subject', { ...sample, subject: '' }, 'subject', 'empty'],
      ['a missing text', { ...sample, text: undefined }, 'text', 'text is required'],
      ['a missing from', { ...sample, from: undefined }, 'from', 'from is required'],
      ['bad address syntax', { ...sample, to: 'not-an-address' }, 'to', 'email address'],
      ['an over-long local part', { ...sample, to: `${'x'.repeat(65)}@example.com` }, 'to', '64'],
      ['CR/LF in the subject', { ...sample, subject: 'Hi\r\nBcc: victim@example.com' }, 'subject', 'CR, LF'],
      ['CR/LF in the alias', { ...sample, alias: 'Bob\nX-Evil: 1' }, 'alias', 'CR, LF'],
      ['CR/LF in from', { ...sample, from: 'promo@elipackage.test\r\nBcc: x@y.z' }, 'from', 'CR, LF'],
      [
        'an RFC 2047 encoded word in the subject',
        { ...sample, subject: '=?UTF-8?B?eA0KQmNjOiB4QGV2aWwudGVzdA==?=' },
        'subject',
        'RFC 2047 encoded-word',
      ],
      [
        'an RFC 2047 encoded word in the alias',
        { ...sample, alias: 'Bob =?utf-8?q?x=0D=0ABcc:_x@evil.test?=' },
        'alias',
        'RFC 2047',
      ],
      ['NUL in to', { ...sample, to: 'a\u0000b@example.com' }, 'to', 'must not contain the character U+0000'],
      ['a non-http callback', { ...sample, callbacks: ['ftp://example.com/x'] }, 'callbacks', 'http(s)'],
      ['a javascript: callback in a string', { ...sample, callbacks: 'javascript:alert(1)' }, 'callbacks', 'http(s)'],
      ['an unknown field', { ...sample, importance: 'high' }, 'importance', 'should not exist'],
      ['bcc as one string instead of a list', { ...sample, bcc: 'x@y.z' }, 'bcc', 'must be an array of addresses'],
      ['a text over the size limit', { ...sample, text: 'x'.repeat(1_000_001) }, 'text', '1000000'],
      ['a wrong type', { ...sample, subject: 42 }, 'subject', 'string'],
    ];

    it.each(cases)('%s', async (_name, body, field, rule) => {
      const before = await testPool().query(`SELECT count(*)::int AS n FROM "Email" WHERE "accountId" = $1`, [
        account.accountId,
      ]);
      const res = await post(body);
      expect(res.statusCode).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(rule) })]),
      );
      const after = await testPool().query(`SELECT count(*)::int AS n FROM "Email" WHERE "accountId" = $1`, [
        account.accountId,
      ]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('refuses a body that is not JSON', async () => {
      expect((await post('{"to": "a@b.c",')).statusCode).toBe(400);
      const plain = await app.inject({
        method: 'POST',
        url: '/emails',
        headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expect(plain.statusCode).toBe(400);
      expect(plain.json().error.message).toContain('JSON');
    });

    it('refuses a bad unsubscribeMsg', async () => {
      const res = await post(sample, account.apiKey, {}, '/emails?unsubscribeMsg=a%0d%0ab');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('unsubscribeMsg');
    });

    it('answers 401 without a valid API key', async () => {
      expect((await post(sample, 'pl_live_wrong')).statusCode).toBe(401);
      const none = await app.inject({ method: 'POST', url: '/emails', payload: sample });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('UNAUTHORIZED');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body', async () => {
      const key = `idem-${Date.now()}`;
      const first = await post(sample, account.apiKey, { 'idempotency-key': key });
      const again = await post(sample, account.apiKey, { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json().data).toEqual(first.json().data);
      const { rows } = await testPool().query(`SELECT count(*)::int AS n FROM "Email" WHERE "id" = $1`, [
        first.json().data.id,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('answers 422 for the same key with another body', async () => {
      const key = `idem-422-${Date.now()}`;
      await post(sample, account.apiKey, { 'idempotency-key': key });
      const res = await post({ ...sample, subject: 'changed' }, account.apiKey, { 'idempotency-key': key });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('answers 409 to a second request while the first is still running, and stores one email', async () => {
      const key = `idem-409-${Date.now()}`;
      // Hold the first request inside its transaction by locking the campaign counter row it must update.
      const campaign = `idem-lock-${Date.now()}`;
      const client = await testPool().connect();
      await client.query('BEGIN');
      await client.query(`INSERT INTO "CampaignStats" ("accountId", "externalId") VALUES ($1, $2)`, [
        account.accountId,
        campaign,
      ]);
      const body = { ...sample, externalId: campaign };
      const first = post(body, account.apiKey, { 'idempotency-key': key });
      await new Promise((r) => setTimeout(r, 300));
      const second = await post(body, account.apiKey, { 'idempotency-key': key });
      await client.query('ROLLBACK');
      client.release();
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
      expect((await first).statusCode).toBe(201);
      const { rows } = await testPool().query(`SELECT count(*)::int AS n FROM "Email" WHERE "externalId" = $1`, [
        campaign,
      ]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('POST /emails/batch', () => {
    it('accepts the valid messages and answers one result per message', async () => {
      const campaign = `batch-${Date.now()}`;
      const res = await post(
        {
          messages: [
            { ...sample, externalId: campaign },
            { ...sample, externalId: campaign, to: 'bad address' },
            { ...sample, externalId: campaign, from: 'x@unverified.test' },
            'not an object',
            { ...sample, externalId: campaign, extra: true },
          ],
        },
        account.apiKey,
        {},
        '/emails/batch',
      );
      expect(res.statusCode).toBe(200);
      const { accepted, rejected, results } = res.json().data;
      expect([accepted, rejected]).toEqual([2, 3]);
      expect(results.map((r: { status: number }) => r.status)).toEqual([201, 400, 201, 400, 400]);
      expect(results[0].data.status).toBe('QUEUED');
      expect(results[2].data.status).toBe('BAD_FROM');
      expect(results[1].error.details[0].field).toBe('messages[1].to');
      expect(results[4].error.details[0].field).toBe('messages[4].extra');
      const { rows } = await testPool().query(`SELECT count(*)::int AS n FROM "Email" WHERE "externalId" = $1`, [
        campaign,
      ]);
      expect(rows[0].n).toBe(2);
    });

    it('refuses more than 1,000 messages', async () => {
      const res = await post({ messages: Array(1001).fill(sample) }, account.apiKey, {}, '/emails/batch');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('messages');
    });
  });

  describe('operations', () => {
    it('counts accepted emails by status and request latency in /metrics', async () => {
      await post(sample);
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/postline_emails_accepted_total\{status="QUEUED"\} [1-9]/);
      expect(res.body).toContain('postline_http_request_duration_seconds_bucket');
    });

    it('serves /health and the OpenAPI document with the documented example', async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
      const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/emails', '/emails/batch', '/emails/{id}']));
      expect(JSON.stringify(doc.components.schemas.SendEmailDto)).toContain('success@simulator.amazonses.com');
    });
  });
});
