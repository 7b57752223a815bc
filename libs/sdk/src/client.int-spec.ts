import { createServer, type Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { closeTestPool, createAccount, eventually, freePort, LocalSes, type TestAccount } from '@postline/testing';
import { createPostlineClient, verifyWebhook, type WebhookEvent } from './index';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
process.env.WEBHOOK_POLL_INTERVAL_MS = '50';

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The SDK against the running pipeline: gateway (on a port) → sender → SES emulator, and the webhooks worker. */
describe('@postline/client against the gateway, sender, SES emulator and webhooks worker', () => {
  let ses: LocalSes;
  const apps: INestApplication[] = [];
  let receiver: Server;
  const received: Received[] = [];
  let baseUrl: string;
  let hookUrl: string;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await LocalSes.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    delete process.env.SES_MAX_SEND_RATE;
    const { createTestApp } = await import('@postline/testing');
    const gateway = await import('../../../apps/gateway/src/app.module');
    const { configureGateway } = await import('../../../apps/gateway/src/configure-app');
    const sender = await import('../../../apps/sender/src/app.module');
    const webhooks = await import('../../../apps/webhooks/src/app.module');
    const gatewayApp = await createTestApp(gateway.AppModule, (a) => configureGateway(a, false));
    apps.push(gatewayApp, await createTestApp(sender.AppModule), await createTestApp(webhooks.AppModule));
    const port = await freePort();
    await gatewayApp.listen(port, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((resolve) => receiver.listen(hookPort, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${hookPort}/hooks/postline`;
    account = await createAccount({ senders: ['sdk.test'] });
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await ses?.stop();
    await closeTestPool();
  });

  it('sends an email, reads its timeline and verifies its signed callback', async () => {
    const client = createPostlineClient({ baseUrl, apiKey: account.apiKey });
    const sent = await client.POST('/emails', {
      body: {
        to: 'success@simulator.amazonses.com',
        from: 'news@sdk.test',
        subject: 'Hi',
        text: 'Hello',
        callbacks: [hookUrl],
      },
    });
    expect(sent.response.status).toBe(201);
    const id = sent.data?.data.id as string;
    expect(sent.data?.data).toMatchObject({ id: expect.any(String), status: 'QUEUED', callbacks: [hookUrl] });

    const timeline = await eventually(async () => {
      const { data } = await client.GET('/emails/{id}', { params: { path: { id } } });
      return data?.data.status === 'SENT' ? data.data : undefined;
    });
    expect(timeline.events.map((e) => e.type)).toEqual(expect.arrayContaining(['Accepted']));

    const { data: secret } = await client.GET('/account/webhook-secret');
    const callback = await eventually(async () => received.find((r) => r.body.includes('"SENT"')));
    const event: WebhookEvent = verifyWebhook(secret?.data.secret as string, callback.body, callback.headers);
    expect(event).toMatchObject({ type: 'email.status', data: { id, status: 'SENT' } });
    expect(() =>
      verifyWebhook(secret?.data.secret as string, callback.body.replace('SENT', 'OPEN'), callback.headers),
    ).toThrow();

    const missing = await client.GET('/emails/{id}', {
      params: { path: { id: '7d0f3c52-3c8e-4e7a-9a51-0b9a1f1e2d3c' } },
    });
    expect(missing.error?.error.code).toBe('NOT_FOUND');
  });
});
