import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount } from '@postline/testing';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';

interface Case {
  name: string;
  method: 'POST' | 'PATCH';
  url: (account: TestAccount) => string;
  admin?: boolean;
  body: unknown;
  field: string;
  message: string;
}

// A missing required field says that it is required (not the first other rule it breaks); null is not a value
// of a setting that cannot be null.
const CASES: Case[] = [
  { name: 'POST /emails {}', method: 'POST', url: () => '/emails', body: {}, field: 'to', message: 'to is required' },
  {
    name: 'POST /emails/batch {}',
    method: 'POST',
    url: () => '/emails/batch',
    body: {},
    field: 'messages',
    message: 'messages is required',
  },
  {
    name: 'POST /suppressions {}',
    method: 'POST',
    url: () => '/suppressions',
    body: {},
    field: 'address',
    message: 'address is required',
  },
  {
    name: 'POST /admin/accounts {}',
    method: 'POST',
    url: () => '/admin/accounts',
    admin: true,
    body: {},
    field: 'name',
    message: 'name is required',
  },
  {
    name: 'POST /admin/accounts/{id}/block {}',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/block`,
    admin: true,
    body: {},
    field: 'note',
    message: 'note is required',
  },
  {
    name: 'POST /admin/accounts/{id}/unblock {}',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/unblock`,
    admin: true,
    body: {},
    field: 'note',
    message: 'note is required',
  },
  {
    name: 'POST /admin/accounts/{id}/senders {}',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/senders`,
    admin: true,
    body: {},
    field: 'identity',
    message: 'identity is required',
  },
  {
    name: 'POST /admin/accounts/{id}/api-keys {}',
    method: 'POST',
    url: (a) => `/admin/accounts/${a.accountId}/api-keys`,
    admin: true,
    body: {},
    field: 'operator',
    message: 'operator is required',
  },
  {
    name: 'POST /api-keys {}',
    method: 'POST',
    url: () => '/api-keys',
    body: {},
    field: 'name',
    message: 'name is required',
  },
  {
    name: 'PATCH /account settings.allowRoleAddresses null',
    method: 'PATCH',
    url: () => '/account',
    body: { settings: { allowRoleAddresses: null } },
    field: 'settings.allowRoleAddresses',
    message: 'allowRoleAddresses must be a boolean value',
  },
  {
    name: 'PATCH /account settings null',
    method: 'PATCH',
    url: () => '/account',
    body: { settings: null },
    field: 'settings',
    message: 'settings must be an object',
  },
];

describe('required fields and non-nullable settings (gateway)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it.each(CASES)('$name → 400 "$message"', async (c) => {
    const res = await app.inject({
      method: c.method,
      url: c.url(account),
      headers: {
        authorization: `Bearer ${c.admin ? process.env.ADMIN_API_KEY : account.apiKey}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(c.body),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual({ field: c.field, message: c.message });
  });

  it('still takes a settings change without the other settings, and notificationUrl null', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/account',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ notificationUrl: null, settings: { allowRoleAddresses: true } }),
    });
    expect(res.statusCode).toBe(200);
  });
});
