import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { type ParsedMail, simpleParser } from 'mailparser';
import { emailRow, queueEmails, statusOf } from './support';

// Templates and variables end to end: gateway (acceptance) → sender (rendering) → aws-ses-v2-local.
describe('personalized email: gateway → sender → SES emulator', () => {
  let ses: LocalSes;
  let gateway: NestFastifyApplication;
  let sender: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await LocalSes.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    delete process.env.SES_MAX_SEND_RATE;
    const { createTestApp } = await import('@postline/testing');
    const gatewayModule = await import('../../gateway/src/app.module');
    const { configureGateway } = await import('../../gateway/src/configure-app');
    const senderModule = await import('../src/app.module');
    gateway = await createTestApp(gatewayModule.AppModule, (a) => configureGateway(a, false));
    sender = await createTestApp(senderModule.AppModule);
    account = await createAccount({ senders: ['shop.test'] });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await gateway?.close();
    await ses?.stop();
    await closeTestPool();
  });

  const call = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
    const res = await gateway.inject({
      method,
      url,
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode).toBeLessThan(300);
    return res.json().data;
  };

  const sentMessage = async (emailId: string): Promise<ParsedMail> => {
    const row = await statusOf(emailId, ['SENT'], 60_000);
    const reply = JSON.parse(await ses.eml(row.sesMessageId as string)) as { body: { data: number[] } | string };
    return simpleParser(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body.data).toString('utf8'));
  };

  const sesHas = async (emailId: string) =>
    (await ses.emails()).some((e) => e.headers?.some((h) => h.name === 'X-Postline-Email-Id' && h.value === emailId));

  it('sends a templated email rendered with its variables, HTML-escaped, with the version it was accepted with', async () => {
    const template = await call('POST', '/templates', {
      name: 'order-shipped',
      subject: 'Order {{order.id}} for {{firstName}}',
      html: '<html><body><p>Hello {{firstName}}</p>{{{signature}}}</body></html>',
      text: 'Hello {{firstName}}, order {{order.id}}',
    });
    await call('PATCH', `/templates/${template.id}`, { subject: 'v2: {{firstName}}' });
    const variables = { firstName: 'Zoë <script>&', order: { id: 'A-1001' }, signature: '<p><b>The Shop</b></p>' };

    const pinned = await call('POST', '/emails', {
      to: 'zoe@example.com',
      from: 'news@shop.test',
      templateId: template.id,
      templateVersion: 1,
      variables,
    });
    expect(pinned).toMatchObject({ templateId: template.id, templateVersion: 1 });
    const message = await sentMessage(pinned.id);
    expect(message.subject).toBe('Order A-1001 for Zoë <script>&');
    expect(message.html).toContain('<p>Hello Zoë &lt;script&gt;&amp;</p><p><b>The Shop</b></p>');
    expect(message.html).not.toContain('<script>');
    expect(message.text).toContain('Hello Zoë <script>&, order A-1001');
    expect(message.text).toContain('Unsubscribe: https://postline.test/unsubscribe/');

    const current = await call('POST', '/emails', {
      to: 'zoe@example.com',
      from: 'news@shop.test',
      templateId: template.id,
      variables,
    });
    expect(current.templateVersion).toBe(2);
    expect((await sentMessage(current.id)).subject).toBe('v2: Zoë <script>&');
  });

  it('renders inline subject, text and html placeholders when variables are given, and leaves plain emails alone', async () => {
    const inline = await call('POST', '/emails', {
      to: 'al@example.com',
      from: 'news@shop.test',
      subject: 'Hi {{name}}',
      text: 'Dear {{name}}',
      html: '<p>Dear <i>{{name}}</i></p>',
      variables: { name: 'Al & Co' },
    });
    const message = await sentMessage(inline.id);
    expect(message.subject).toBe('Hi Al & Co');
    expect(message.html).toContain('<p>Dear <i>Al &amp; Co</i></p>');
    expect(message.text).toContain('Dear Al & Co');

    const plain = await call('POST', '/emails', {
      to: 'al@example.com',
      from: 'news@shop.test',
      subject: 'Literally {{name}}',
      text: 'No variables: {{name}} stays',
    });
    expect((await sentMessage(plain.id)).subject).toBe('Literally {{name}}');
  });

  it('ends an email whose variable is missing INCOMPLETE, naming it, never at SES, with its callback and counters', async () => {
    const template = await call('POST', '/templates', {
      name: 'x',
      subject: 'Hi {{firstName}}',
      text: 'Code {{code}}',
    });
    const email = await call('POST', '/emails', {
      to: 'kim@example.com',
      from: 'news@shop.test',
      templateId: template.id,
      variables: { firstName: 'Kim' },
      externalId: 'incomplete-campaign',
      callbacks: ['https://hooks.example/postline'],
    });
    const row = await statusOf(email.id, ['INCOMPLETE'], 60_000);
    expect(row.statusReason).toBe('missing variable "code" (text, line 1, column 8)');
    expect(row.sesMessageId).toBeNull();
    expect(row.dispatchState).toBe('NONE');
    expect(row.rejectedAt).not.toBeNull();
    expect(await sesHas(email.id)).toBe(false);
    const detail = await gateway.inject({
      method: 'GET',
      url: `/emails/${email.id}`,
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(detail.json().data).toMatchObject({
      status: 'INCOMPLETE',
      statusReason: row.statusReason,
      templateId: template.id,
      templateVersion: 1,
      variables: { firstName: 'Kim' },
    });
    expect(detail.json().data.events).toContainEqual(
      expect.objectContaining({
        type: 'RenderFailed',
        newStatus: 'INCOMPLETE',
        details: expect.objectContaining({ part: 'text', variable: 'code' }),
      }),
    );

    const hooks = await eventually(async () => {
      const { rows } = await testPool().query<{ status: string; details: { reason?: string } }>(
        `SELECT "payload"->'data'->>'status' AS "status", "payload"->'data'->'details' AS "details"
         FROM "WebhookDelivery" WHERE "emailId" = $1`,
        [email.id],
      );
      return rows.some((r) => r.status === 'INCOMPLETE') ? rows : undefined;
    });
    expect(hooks.find((h) => h.status === 'INCOMPLETE')?.details).toMatchObject({ reason: row.statusReason });

    const { rows: campaign } = await testPool().query(
      `SELECT "rejected", "rejectedByReason", "byStatus" FROM "CampaignStats" WHERE "accountId" = $1 AND "externalId" = 'incomplete-campaign'`,
      [account.accountId],
    );
    expect(campaign[0]).toMatchObject({
      rejected: 1,
      rejectedByReason: { INCOMPLETE: 1 },
      byStatus: { INCOMPLETE: 1 },
    });
    const report = await gateway.inject({
      method: 'GET',
      url: '/reports/campaigns/incomplete-campaign',
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(report.statusCode).toBe(200);
    expect(JSON.stringify(report.json().data)).toContain('"INCOMPLETE":1');
  });

  it('sends a batch with one template, each message with its own variables', async () => {
    const template = await call('POST', '/templates', { name: 'batch', subject: 'For {{n}}', text: 'Number {{n}}' });
    const messages = Array.from({ length: 20 }, (_, n) => ({
      to: `user${n}@example.com`,
      from: 'news@shop.test',
      templateId: template.id,
      variables: n === 7 ? {} : { n },
    }));
    const batch = await call('POST', '/emails/batch', { messages });
    expect(batch.accepted).toBe(20);
    const ids: string[] = batch.results.map((r: { data: { id: string } }) => r.data.id);
    const incomplete = await statusOf(ids[7], ['INCOMPLETE'], 60_000);
    expect(incomplete.statusReason).toMatch(/^missing variable "n"/);
    for (const [n, id] of ids.entries()) {
      if (n === 7) continue;
      const message = await sentMessage(id);
      expect([message.subject, message.text?.split('\n')[0]]).toEqual([`For ${n}`, `Number ${n}`]);
    }
    expect((await emailRow(ids[0])).status).toBe('SENT');
  });

  it('still sends an email accepted with a template deleted since, with the version it recorded', async () => {
    const template = await call('POST', '/templates', { name: 'gone', subject: 'Hi {{n}}', text: 'Still {{n}}' });
    const removed = await gateway.inject({
      method: 'DELETE',
      url: `/templates/${template.id}`,
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(removed.statusCode).toBe(200);
    // Accepted before the delete: stored as the gateway stored it then.
    const [id] = await queueEmails(sender, account, [
      { subject: 'Hi {{n}}', text: '', templateId: template.id, templateVersion: 1, variables: { n: 'there' } },
    ]);
    const message = await sentMessage(id);
    expect([message.subject, message.text?.split('\n')[0]]).toEqual(['Hi there', 'Still there']);
  });
});
