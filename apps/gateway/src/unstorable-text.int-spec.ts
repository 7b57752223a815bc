import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
const email = { to: 'user@example.com', from: 'promo@shop.test', text: 'hello', subject: 'Hi' };

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: (account: TestAccount) => string;
  admin?: boolean;
  body?: unknown;
  field: string;
}

// Every route takes text in body, query or path: each refuses U+0000 with a 400 naming the field, before
// Postgres can answer 22021/22P05 with a 500.
const CASES: Case[] = [
  { name: 'email text', method: 'POST', url: () => '/emails', body: { ...email, text: `a${NUL}b` }, field: 'text' },
  {
    name: 'email subject',
    method: 'POST',
    url: () => '/emails',
    body: { ...email, subject: `a${NUL}` },
    field: 'subject',
  },
  { name: 'email alias', method: 'POST', url: () => '/emails', body: { ...email, alias: `a${NUL}` }, field: 'alias' },
  {
    name: 'email callbacks',
    method: 'POST',
    url: () => '/emails',
    body: { ...email, callbacks: ['https://a.example/ok', `https://a.example/${NUL}`] },
    field: 'callbacks[1]',
  },
  {
    name: 'email externalId',
    method: 'POST',
    url: () => '/emails',
    body: { ...email, externalId: `x${NUL}` },
    field: 'externalId',
  },
  {
    name: 'unsubscribeMsg query',
    method: 'POST',
    url: () => '/emails?unsubscribeMsg=a%00',
    body: email,
    field: 'unsubscribeMsg',
  },
  { name: 'GET /emails externalId', method: 'GET', url: () => '/emails?externalId=a%00b', field: 'externalId' },
  { name: 'GET /emails clientId', method: 'GET', url: () => '/emails?clientId=%00', field: 'clientId' },
  { name: 'GET /emails to', method: 'GET', url: () => '/emails?to=a%00@example.com', field: 'to' },
  { name: 'GET /emails cursor', method: 'GET', url: () => '/emails?cursor=%00', field: 'cursor' },
  { name: 'GET /emails/{id}', method: 'GET', url: () => '/emails/%00', field: 'id' },
  { name: 'campaign report path', method: 'GET', url: () => '/reports/campaigns/a%00b', field: 'externalId' },
  { name: 'campaign list query', method: 'GET', url: () => '/reports/campaigns?cursor=%00', field: 'cursor' },
  {
    name: 'suppression detail',
    method: 'POST',
    url: () => '/suppressions',
    body: { address: 'a@example.com', detail: `d${NUL}` },
    field: 'detail',
  },
  {
    name: 'suppression address',
    method: 'POST',
    url: () => '/suppressions',
    body: { address: `a${NUL}@example.com` },
    field: 'address',
  },
  { name: 'DELETE suppression path', method: 'DELETE', url: () => '/suppressions/a%00@example.com', field: 'address' },
  {
    name: 'PATCH /account notificationUrl',
    method: 'PATCH',
    url: () => '/account',
    body: { notificationUrl: `https://a.example/${NUL}` },
    field: 'notificationUrl',
  },
  {
    name: 'PATCH /account settings key',
    method: 'PATCH',
    url: () => '/account',
    body: { settings: { [`allow${NUL}`]: true } },
    field: 'settings.allow\\u0000',
  },
  {
    name: 'admin account operatorName',
    method: 'POST',
    url: () => '/admin/accounts',
    admin: true,
    body: { name: 'ok-name', operatorName: `op${NUL}` },
    field: 'operatorName',
  },
  {
    name: 'admin block note',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/block`,
    admin: true,
    body: { note: `n${NUL}` },
    field: 'note',
  },
  {
    name: 'admin unblock operator',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/unblock`,
    admin: true,
    body: { note: 'fine', operator: `m${NUL}` },
    field: 'operator',
  },
  {
    name: 'admin sender identity',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/senders`,
    admin: true,
    body: { identity: `shop${NUL}.test` },
    field: 'identity',
  },
  { name: 'admin account path', method: 'GET', url: () => '/admin/accounts/%00', admin: true, field: 'id' },
  {
    name: 'unsubscribe token',
    method: 'GET',
    url: () => '/unsubscribe/%00',
    field: 'token',
  },
];

describe('text Postgres or mail cannot carry is refused at the edge (gateway)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  const send = (c: Pick<Case, 'method' | 'admin' | 'body'> & { url: string }) =>
    app.inject({
      method: c.method,
      url: c.url,
      headers: {
        authorization: `Bearer ${c.admin ? process.env.ADMIN_API_KEY : account.apiKey}`,
        ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(c.body === undefined ? {} : { payload: JSON.stringify(c.body) }),
    });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it.each(CASES)('$name: U+0000 → 400 naming the field', async (c) => {
    const res = await send({ ...c, url: c.url(account) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: c.field, message: expect.stringContaining('U+0000') }],
    });
  });

  it('refuses a lone surrogate the same way', async () => {
    const res = await send({ method: 'POST', url: '/emails', body: { ...email, subject: `a${LONE_SURROGATE}b` } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { field: 'subject', message: expect.stringContaining('unpaired UTF-16 surrogate') },
    ]);
  });

  it('accepts what is well formed: emoji (surrogate pairs) and other control-free Unicode', async () => {
    const res = await send({ method: 'POST', url: '/emails', body: { ...email, subject: 'Hi 😀 — ünïcödé' } });
    expect(res.statusCode).toBe(201);
  });

  it('answers each message of a batch on its own: the poisoned one 400, the others stored', async () => {
    const res = await send({
      method: 'POST',
      url: '/emails/batch',
      body: {
        messages: [
          { ...email, externalId: 'batch-ok' },
          { ...email, text: `a${NUL}` },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const { results, accepted, rejected } = res.json().data;
    expect({ accepted, rejected }).toEqual({ accepted: 1, rejected: 1 });
    expect(results[1]).toMatchObject({
      status: 400,
      error: { details: [{ field: 'messages[1].text', message: expect.stringContaining('U+0000') }] },
    });
    const { rows } = await testPool().query(`SELECT 1 FROM "Email" WHERE "id" = $1`, [results[0].data.id]);
    expect(rows).toHaveLength(1);
  });
});
