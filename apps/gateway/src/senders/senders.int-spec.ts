import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, eventually, type TestAccount, testPool } from '@postline/testing';
import { LocalSesIdentities } from './testing/local-ses-identities';

// SES mode against a stand-in of the SES v2 identity API (the real SDK over HTTP); a fast sync schedule.
const ADMIN = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

describe('sender identities (SES mode, real Postgres and Redis, SES identity API stand-in)', () => {
  const ses = new LocalSesIdentities();
  let app: NestFastifyApplication;
  let account: TestAccount;
  let other: TestAccount;

  const asAccount = (who: TestAccount) => ({ authorization: `Bearer ${who.apiKey}` });
  const addSender = (accountId: string, identity: string) =>
    app.inject({ method: 'POST', url: `/admin/accounts/${accountId}/senders`, headers: ADMIN, payload: { identity } });
  const sendFrom = (from: string) =>
    app.inject({
      method: 'POST',
      url: '/emails',
      headers: asAccount(account),
      payload: { to: 'success@simulator.amazonses.com', from, subject: 'Hello', text: 'Hi there' },
    });
  const statusOf = async (id: string) =>
    (await testPool().query<{ status: string }>(`SELECT "status" FROM "SenderIdentity" WHERE "id" = $1`, [id])).rows[0]
      ?.status;

  beforeAll(async () => {
    await ses.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    process.env.SES_IDENTITY_MODE = 'ses';
    process.env.SES_REGION = 'eu-west-1';
    process.env.IDENTITY_SYNC_EVERY_MS = '300';
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount();
    other = await createAccount();
  });

  afterAll(async () => {
    await app?.close();
    await ses.stop();
    await closeTestPool();
  });

  afterEach(() => {
    ses.failure = undefined;
  });

  it('starts verifying a domain in SES and shows the exact DNS records to publish', async () => {
    const res = await addSender(account.accountId, 'Verified-Later.test');
    expect(res.statusCode).toBe(201);
    const sender = res.json().data;
    const tokens = ses.identities.get('verified-later.test')?.tokens ?? [];
    expect(tokens).toHaveLength(3);
    expect(ses.calls).toEqual(
      expect.arrayContaining(['POST /v2/email/identities', 'PUT /v2/email/identities/verified-later.test/mail-from']),
    );
    expect(sender).toMatchObject({
      kind: 'DOMAIN',
      identity: 'verified-later.test',
      status: 'PENDING',
      mailFrom: { domain: 'mail.verified-later.test', status: 'PENDING' },
    });
    expect(sender.dnsRecords).toEqual([
      ...tokens.map((t) => ({
        purpose: 'DKIM',
        type: 'CNAME',
        name: `${t}._domainkey.verified-later.test`,
        value: `${t}.dkim.amazonses.com`,
        required: true,
      })),
      expect.objectContaining({
        purpose: 'MAIL_FROM_MX',
        type: 'MX',
        name: 'mail.verified-later.test',
        value: 'feedback-smtp.eu-west-1.amazonses.com',
        priority: 10,
      }),
      {
        purpose: 'MAIL_FROM_SPF',
        type: 'TXT',
        name: 'mail.verified-later.test',
        value: 'v=spf1 include:amazonses.com ~all',
        required: true,
      },
      expect.objectContaining({ purpose: 'DMARC', type: 'TXT', name: '_dmarc.verified-later.test', required: false }),
    ]);

    const listed = await app.inject({ method: 'GET', url: '/senders', headers: asAccount(account) });
    // The sync (every 300 ms here) may have checked it again in between.
    expect(listed.json().data).toEqual([{ ...sender, lastCheckedAt: expect.any(String) }]);
  });

  it('refuses a from of a pending domain, and accepts it once the periodic sync sees SES verify it', async () => {
    const { id } = (await addSender(account.accountId, 'sync.test')).json().data;
    expect((await sendFrom('news@sync.test')).json().data.status).toBe('BAD_FROM');

    ses.setStatus('sync.test', 'SUCCESS', 'SUCCESS');
    await eventually(async () => (await statusOf(id)) === 'VERIFIED', 10_000);
    const view = (await app.inject({ method: 'GET', url: `/senders/${id}`, headers: asAccount(account) })).json().data;
    expect(view).toMatchObject({
      status: 'VERIFIED',
      mailFrom: { status: 'SUCCESS' },
      verifiedAt: expect.any(String),
      lastCheckedAt: expect.any(String),
    });
    expect((await sendFrom('news@sync.test')).json().data.status).toBe('QUEUED');
    // A verified domain does not cover its subdomains.
    expect((await sendFrom('news@eu.sync.test')).json().data.status).toBe('BAD_FROM');
  });

  it('lets the account refresh one identity now', async () => {
    const { id } = (await addSender(account.accountId, 'promo@refresh.test')).json().data;
    ses.setStatus('promo@refresh.test', 'SUCCESS');
    await eventually(async () => (await statusOf(id)) === 'VERIFIED', 10_000);
    // Verified and just checked: the sync leaves it alone for a day, so only the refresh can see this.
    ses.setStatus('promo@refresh.test', 'FAILED');
    const res = await app.inject({ method: 'POST', url: `/senders/${id}/refresh`, headers: asAccount(account) });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      status: 'FAILED',
      statusReason: expect.stringContaining('TYPE_NOT_FOUND'),
      dnsRecords: [],
    });
    expect((await sendFrom('promo@refresh.test')).json().data.status).toBe('BAD_FROM');
  });

  it('adds an existing identity once, and restarts a failed verification', async () => {
    const first = (await addSender(account.accountId, 'again@elipackage.test')).json().data;
    const posts = ses.calls.filter((c) => c === 'POST /v2/email/identities').length;
    expect((await addSender(account.accountId, 'again@elipackage.test')).json().data.id).toBe(first.id);
    expect(ses.calls.filter((c) => c === 'POST /v2/email/identities')).toHaveLength(posts);

    ses.setStatus('again@elipackage.test', 'FAILED');
    await app.inject({ method: 'POST', url: `/senders/${first.id}/refresh`, headers: asAccount(account) });
    const again = (await addSender(account.accountId, 'again@elipackage.test')).json().data;
    expect(again).toMatchObject({ id: first.id, status: 'PENDING' });
    // The background sync's GETs may interleave: compare only the calls that change identities.
    expect(ses.calls.filter((c) => !c.startsWith('GET ')).slice(-2)).toEqual([
      'DELETE /v2/email/identities/again@elipackage.test',
      'POST /v2/email/identities',
    ]);
  });

  it("hides an account's identities from another account", async () => {
    const { id } = (await addSender(account.accountId, 'private.test')).json().data;
    for (const [method, url] of [
      ['GET', `/senders/${id}`],
      ['POST', `/senders/${id}/refresh`],
      ['DELETE', `/senders/${id}`],
    ] as const) {
      const res = await app.inject({ method, url, headers: asAccount(other) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await app.inject({ method: 'GET', url: '/senders', headers: asAccount(other) })).json().data).toEqual([]);
    expect(await statusOf(id)).toBe('PENDING');
  });

  it('deletes an identity and its SES identity; sending from it is refused again', async () => {
    const { id } = (await addSender(account.accountId, 'gone.test')).json().data;
    ses.setStatus('gone.test', 'SUCCESS');
    await app.inject({ method: 'POST', url: `/senders/${id}/refresh`, headers: asAccount(account) });
    expect((await sendFrom('a@gone.test')).json().data.status).toBe('QUEUED');

    const res = await app.inject({ method: 'DELETE', url: `/senders/${id}`, headers: asAccount(account) });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ id, identity: 'gone.test', deleted: true, sesIdentityDeleted: true });
    expect(ses.identities.has('gone.test')).toBe(false);
    expect(await statusOf(id)).toBeUndefined();
    expect((await sendFrom('a@gone.test')).json().data.status).toBe('BAD_FROM');
  });

  it('keeps the SES identity while another account still uses it', async () => {
    const mine = (await addSender(account.accountId, 'shared.test')).json().data;
    await addSender(other.accountId, 'shared.test');
    const res = await app.inject({ method: 'DELETE', url: `/senders/${mine.id}`, headers: asAccount(account) });
    expect(res.json().data.sesIdentityDeleted).toBe(false);
    expect(ses.identities.has('shared.test')).toBe(true);
  });

  it('gives the support team the same views, refresh and delete', async () => {
    const { id } = (await addSender(account.accountId, 'admin-view.test')).json().data;
    const list = await app.inject({
      method: 'GET',
      url: `/admin/accounts/${account.accountId}/senders`,
      headers: ADMIN,
    });
    expect(list.json().data.map((s: { id: string }) => s.id)).toContain(id);
    const one = await app.inject({
      method: 'GET',
      url: `/admin/accounts/${account.accountId}/senders/${id}`,
      headers: ADMIN,
    });
    expect(one.json().data).toMatchObject({
      id,
      dnsRecords: expect.arrayContaining([expect.objectContaining({ purpose: 'DKIM' })]),
    });
    expect(
      (await app.inject({ method: 'GET', url: `/admin/accounts/${other.accountId}/senders/${id}`, headers: ADMIN }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/admin/accounts/00000000-0000-4000-8000-000000000000/senders',
          headers: ADMIN,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/admin/accounts/${account.accountId}/senders`,
          headers: asAccount(account),
        })
      ).statusCode,
    ).toBe(401);

    ses.setStatus('admin-view.test', 'SUCCESS');
    const refreshed = await app.inject({
      method: 'POST',
      url: `/admin/accounts/${account.accountId}/senders/${id}/refresh`,
      headers: ADMIN,
    });
    expect(refreshed.json().data.status).toBe('VERIFIED');
    const removed = await app.inject({
      method: 'DELETE',
      url: `/admin/accounts/${account.accountId}/senders/${id}`,
      headers: ADMIN,
    });
    expect(removed.json().data).toMatchObject({ deleted: true, sesIdentityDeleted: true });
  });

  it('answers an SES failure with a clear error and stores nothing', async () => {
    ses.failure = { name: 'LimitExceededException', status: 400 };
    const res = await addSender(account.accountId, 'too-many.test');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'SES_LIMIT_EXCEEDED',
      message: expect.stringContaining('LimitExceededException'),
    });
    const { rows } = await testPool().query(`SELECT 1 FROM "SenderIdentity" WHERE "identity" = 'too-many.test'`);
    expect(rows).toEqual([]);
  });

  it('refuses an identity that is neither an address nor a domain', async () => {
    const res = await addSender(account.accountId, 'not a domain');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('identity');
  });
});
