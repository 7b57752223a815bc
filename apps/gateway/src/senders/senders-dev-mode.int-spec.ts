import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueueName } from '@postline/contracts';
import { QueueRegistry } from '@postline/queue';
import { closeTestPool, createAccount, createTestApp, type TestAccount } from '@postline/testing';
import { IDENTITY_SYNC_SCHEDULER_ID } from './identity-sync-scheduler.service';

// The development identity mode: SES_ENDPOINT names a local SES (nothing listens there: SES must not be asked).
const ADMIN = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

describe('sender identities in the development mode (local SES, auto-verify)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    process.env.SES_ENDPOINT = 'http://127.0.0.1:9';
    delete process.env.SES_IDENTITY_MODE;
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount();
  });

  afterAll(async () => {
    await app?.close();
    await closeTestPool();
  });

  it('verifies an identity at once, says so, and lets it send', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/admin/accounts/${account.accountId}/senders`,
      headers: ADMIN,
      payload: { identity: 'dev.test' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      status: 'VERIFIED',
      statusReason: expect.stringContaining('SES_IDENTITY_MODE=auto-verify'),
    });
    // The records a user will publish against SES: three DKIM CNAMEs (simulated tokens), MAIL FROM MX and SPF, DMARC.
    const records = res.json().data.dnsRecords as { purpose: string; name: string; value: string }[];
    expect(records.map((r) => r.purpose)).toEqual(['DKIM', 'DKIM', 'DKIM', 'MAIL_FROM_MX', 'MAIL_FROM_SPF', 'DMARC']);
    expect(records[0]).toMatchObject({ name: expect.stringMatching(/^[0-9a-f]{32}\._domainkey\.dev\.test$/) });
    expect(records[3]).toMatchObject({ name: 'mail.dev.test', value: 'feedback-smtp.us-east-1.amazonses.com' });
    const listed = await app.inject({
      method: 'GET',
      url: '/senders',
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(listed.json().data[0].dnsRecords).toEqual(records);
    const sent = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}` },
      payload: { to: 'success@simulator.amazonses.com', from: 'hello@dev.test', subject: 'Hi', text: 'Hello' },
    });
    expect(sent.json().data.status).toBe('QUEUED');

    const removed = await app.inject({
      method: 'DELETE',
      url: `/senders/${res.json().data.id}`,
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    expect(removed.json().data).toMatchObject({ deleted: true, sesIdentityDeleted: false });
  });

  it('registers no identity sync', async () => {
    const queue = app.get(QueueRegistry).get(QueueName.IdentitySync);
    await expect(queue.getJobScheduler(IDENTITY_SYNC_SCHEDULER_ID)).resolves.toBeFalsy();
  });
});
