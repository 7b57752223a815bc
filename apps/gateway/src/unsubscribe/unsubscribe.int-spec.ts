import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signUnsubscribeToken } from '@postline/contracts';
import { EmailIntake, StatusRecorder } from '@postline/email-ledger';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

describe('GET|POST /unsubscribe/:token (gateway, real Postgres)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;
  const secret = () => process.env.UNSUBSCRIBE_SECRET as string;

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  /** A sent email, as the sender leaves it. */
  async function sentEmail(to: string): Promise<{ id: string; token: string }> {
    const id = randomUUID();
    await app.get(EmailIntake).store([
      {
        id,
        accountId: account.accountId,
        operatorId: account.operatorId,
        userName: account.name,
        operator: account.operatorName,
        to,
        from: 'promo@shop.test',
        alias: null,
        subject: 'Promo',
        text: 'hello',
        externalId: 'unsub-campaign',
        clientId: null,
        callbacks: ['https://hooks.example/h'],
        unsubscribeMsg: 'Unsubscribe',
        status: 'QUEUED',
        statusReason: null,
        createdAt: new Date(),
      },
    ]);
    await app.get(StatusRecorder).record([
      {
        emailId: id,
        status: 'SENT',
        source: 'SENDER',
        sourceId: `${id}:sent:sender`,
        type: 'Send',
        occurredAt: new Date(),
      },
    ]);
    return { id, token: signUnsubscribeToken({ emailId: id, accountId: account.accountId }, secret()) };
  }

  const state = async (id: string, to: string) => {
    const email = await testPool().query(`SELECT "status", "unsubscribedAt" FROM "Email" WHERE "id" = $1`, [id]);
    const suppression = await testPool().query(
      `SELECT "reason", "emailId" FROM "Suppression" WHERE "accountId" = $1 AND "address" = $2`,
      [account.accountId, to],
    );
    const events = await testPool().query(
      `SELECT "source", "details" FROM "EmailEvent" WHERE "emailId" = $1 AND "type" = 'Unsubscribe'`,
      [id],
    );
    return { email: email.rows[0], suppression: suppression.rows[0], events: events.rows };
  };

  it('shows a confirmation page on GET and changes nothing', async () => {
    const { id, token } = await sentEmail('reader@example.com');
    const res = await app.inject({ method: 'GET', url: `/unsubscribe/${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('r***@example.com');
    expect(res.body).toContain('<form method="post">');
    expect(await state(id, 'reader@example.com')).toEqual({
      email: { status: 'SENT', unsubscribedAt: null },
      suppression: undefined,
      events: [],
    });
  });

  it('unsubscribes on an RFC 8058 one-click POST: suppression, UNSUBSCRIBED, event and callback, once', async () => {
    const to = 'oneclick@example.com';
    const { id, token } = await sentEmail(to);
    const post = () =>
      app.inject({
        method: 'POST',
        url: `/unsubscribe/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const res = await post();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are unsubscribed');
    const after = await state(id, to);
    expect(after.email.status).toBe('UNSUBSCRIBED');
    expect(after.email.unsubscribedAt).not.toBeNull();
    expect(after.suppression).toEqual({ reason: 'UNSUBSCRIBE', emailId: id });
    expect(after.events).toEqual([{ source: 'UNSUBSCRIBE', details: { method: 'one-click' } }]);
    const hooks = await testPool().query(
      `SELECT 1 FROM "WebhookDelivery" WHERE "emailId" = $1 AND "payload"->'data'->>'status' = 'UNSUBSCRIBED'`,
      [id],
    );
    expect(hooks.rowCount).toBe(1);

    expect((await post()).statusCode).toBe(200);
    expect((await state(id, to)).events).toHaveLength(1);
    const page = await app.inject({ method: 'GET', url: `/unsubscribe/${token}` });
    expect(page.body).toContain('You are unsubscribed');

    // Later emails to the address are refused at acceptance.
    const next = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: { to, from: 'promo@shop.test', subject: 'Again', text: 'hi' },
    });
    expect(next.json().data.status).toBe('BLACKLISTED');
  });

  it('accepts the one-click body as multipart/form-data, and the page button as a form', async () => {
    const a = await sentEmail('multi@example.com');
    const multipart = [
      '--b0undary',
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      '--b0undary--',
      '',
    ].join('\r\n');
    const res = await app.inject({
      method: 'POST',
      url: `/unsubscribe/${a.token}`,
      headers: { 'content-type': 'multipart/form-data; boundary=b0undary' },
      payload: multipart,
    });
    expect(res.statusCode).toBe(200);
    expect((await state(a.id, 'multi@example.com')).events).toEqual([
      { source: 'UNSUBSCRIBE', details: { method: 'one-click' } },
    ]);

    const b = await sentEmail('button@example.com');
    const button = await app.inject({
      method: 'POST',
      url: `/unsubscribe/${b.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirm=page',
    });
    expect(button.statusCode).toBe(200);
    expect((await state(b.id, 'button@example.com')).events).toEqual([
      { source: 'UNSUBSCRIBE', details: { method: 'page' } },
    ]);
  });

  it('answers 404 to a forged or altered token and changes nothing', async () => {
    const { id, token } = await sentEmail('victim@example.com');
    const altered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    const forged = signUnsubscribeToken(
      { emailId: id, accountId: account.accountId },
      'an-attacker-guess-of-the-secret',
    );
    const otherAccount = signUnsubscribeToken({ emailId: id, accountId: randomUUID() }, secret());
    for (const bad of [altered, forged, otherAccount, 'garbage']) {
      expect((await app.inject({ method: 'GET', url: `/unsubscribe/${bad}` })).statusCode).toBe(404);
      const post = await app.inject({
        method: 'POST',
        url: `/unsubscribe/${bad}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(post.statusCode).toBe(404);
      expect(post.body).toContain('not valid');
    }
    expect(await state(id, 'victim@example.com')).toEqual({
      email: { status: 'SENT', unsubscribedAt: null },
      suppression: undefined,
      events: [],
    });
  });

  it('keeps multipart bodies away from the JSON API', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});
