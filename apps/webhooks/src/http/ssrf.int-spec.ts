import net from 'node:net';
import tls from 'node:tls';
import type { INestApplication } from '@nestjs/common';
import { closeTestPool, createAccount, eventually, type TestAccount } from '@postline/testing';
import { deliveryState, queueCallbacks } from '../testing/webhook-fixtures';
import { TestReceiver } from '../testing/test-receiver';
import { WebhookHttpClient } from './webhook-http-client';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';
process.env.WEBHOOK_RETRY_SCHEDULE = '0.2';
process.env.WEBHOOK_TIMEOUT_MS = '2000';
process.env.PORT = '0';

const NEVER_DIALLED = ['10.0.0.1', '192.168.1.1', '169.254.169.254', 'fd00::1', '100.64.0.1', '172.16.5.4'];

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (first && typeof first === 'object') return String((first as { host?: string }).host ?? '');
  return typeof args[1] === 'string' ? args[1] : undefined;
}

describe('callback targets with WEBHOOK_ALLOW_PRIVATE_TARGETS off (integration)', () => {
  let app: INestApplication;
  let receiver: TestReceiver;
  let account: TestAccount;
  const dialled: string[] = [];

  beforeAll(async () => {
    for (const mod of [net, tls] as { connect: (...args: unknown[]) => unknown }[]) {
      const original = mod.connect.bind(mod);
      jest.spyOn(mod, 'connect').mockImplementation((...args: unknown[]) => {
        dialled.push(hostOf(args) ?? '');
        return original(...args);
      });
    }
    const { AppModule } = await import('../app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    receiver = await TestReceiver.start();
    account = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await receiver.stop();
    await closeTestPool();
    jest.restoreAllMocks();
  });

  it('refuses loopback, private, link-local, unique-local and CGNAT targets without sending them anything', async () => {
    const port = receiver.port;
    const urls = [
      `http://127.0.0.1:${port}/hook`,
      'http://10.0.0.1/hook',
      'https://10.0.0.1/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/hook`,
      'http://[fd00::1]/hook',
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
      'http://100.64.0.1/hook',
      'https://172.16.5.4/hook',
      `http://localhost:${port}/hook`,
    ];
    const queued = await queueCallbacks(account.accountId, urls);
    await eventually(async () => {
      const states = await Promise.all(queued.map((q) => deliveryState(q.deliveryId)));
      return states.every((s) => s.status === 'EXHAUSTED');
    });
    for (const q of queued) {
      const state = await deliveryState(q.deliveryId);
      expect({ url: q.url, attempts: state.attempts, code: state.lastStatusCode }).toEqual({
        url: q.url,
        attempts: 1,
        code: null,
      });
      expect(state.lastError).toMatch(
        /^refused to connect to .+: (loopback|private|link-local|unique-local|unspecified|carrier-grade NAT) address$/,
      );
    }
    expect((await deliveryState(queued[11].deliveryId)).lastError).toMatch(
      /^refused to connect to localhost \((127\.0\.0\.1|::1)\): loopback address$/,
    );
    expect(receiver.requests).toHaveLength(0);
    // The spy sees undici's sockets (the host name reached net.connect, whose guarded lookup refused it) …
    expect(dialled).toContain('localhost');
    // … and no socket was ever opened towards an address outside this machine.
    expect(dialled.filter((host) => NEVER_DIALLED.includes(host.replace(/^\[|\]$/g, '')))).toEqual([]);
  });

  it('refuses a host name whose DNS answer points inside, checking the very answer it would connect to', async () => {
    const asked: string[] = [];
    const client = new WebhookHttpClient({
      timeoutMs: 2000,
      bodyLimit: 1024,
      allowPrivateTargets: false,
      resolver: async (hostname) => {
        asked.push(hostname);
        return hostname === 'rebind.example'
          ? [{ address: '10.0.0.1', family: 4 }]
          : [
              { address: '93.184.216.34', family: 4 },
              { address: '10.0.0.2', family: 4 },
            ];
      },
    });
    try {
      const result = await client.post('http://rebind.example/hook', '{}', { 'content-type': 'application/json' });
      expect(result).toMatchObject({
        kind: 'error',
        refused: true,
        error: 'refused to connect to rebind.example (10.0.0.1): private address',
      });
      const mixed = await client.post('http://mixed.example/hook', '{}', {});
      expect(mixed).toMatchObject({
        kind: 'error',
        refused: true,
        error: 'refused to connect to mixed.example (10.0.0.2): private address',
      });
      expect(asked).toEqual(['rebind.example', 'mixed.example']);
      expect(dialled.filter((host) => NEVER_DIALLED.includes(host) || host === '93.184.216.34')).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
