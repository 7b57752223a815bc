import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { Webhook } from 'standardwebhooks';
import type { Env } from '../env';
import type { PostResult, WebhookHttpClient } from '../http/webhook-http-client';
import type { AttemptRecord, DeliveryRow } from './delivery-row';
import type { DeliveryStore } from './delivery-store.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const previous = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;

function row(overrides: Partial<DeliveryRow> = {}): DeliveryRow {
  return {
    id: 'd1',
    accountId: 'a1',
    target: 'https://hooks.example.com',
    eventId: 'evt_1',
    url: 'https://hooks.example.com/postline',
    body: '{"id":"evt_1","type":"email.status","timestamp":1,"data":{"status":"SENT"}}',
    attempts: 0,
    webhookSecret: secret,
    previousWebhookSecret: null,
    previousSecretExpiresAt: null,
    ...overrides,
  };
}

describe(WebhookDeliveryService.name, () => {
  let delivery: DeliveryRow;
  let applied: boolean;
  let result: PostResult;
  const recorded: AttemptRecord[] = [];
  const posted: { url: string; body: string; headers: Record<string, string> }[] = [];
  const store = {
    record: async (r: AttemptRecord) => {
      recorded.push(r);
      return applied;
    },
  } as unknown as DeliveryStore;
  const http = {
    post: async (url: string, body: string, headers: Record<string, string>) => {
      posted.push({ url, body, headers });
      return result;
    },
  } as unknown as WebhookHttpClient;
  const settings: Partial<Env> = {
    WEBHOOK_RETRY_SCHEDULE: '5,300',
    WEBHOOK_RETRY_JITTER: 0,
    WEBHOOK_RETRY_AFTER_MAX_SECONDS: 60,
  };
  const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
  const sut = new WebhookDeliveryService(store, http, config);

  beforeEach(() => {
    delivery = row();
    applied = true;
    result = { kind: 'response', statusCode: 200, latencyMs: 3, body: '' };
    recorded.length = 0;
    posted.length = 0;
  });

  it('POSTs the stored body byte for byte, signed so that standardwebhooks verifies it', async () => {
    expect(await sut.deliver(delivery)).toBe('succeeded');
    const [{ url, body, headers }] = posted;
    expect(url).toBe('https://hooks.example.com/postline');
    expect(body).toBe('{"id":"evt_1","type":"email.status","timestamp":1,"data":{"status":"SENT"}}');
    expect(headers['webhook-id']).toBe('evt_1');
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(recorded).toEqual([expect.objectContaining({ deliveryId: 'd1', status: 'SUCCEEDED', seenAttempts: 0 })]);
  });

  it('adds the previous secret while its overlap lasts, not after', async () => {
    delivery = row({ previousWebhookSecret: previous, previousSecretExpiresAt: new Date(Date.now() + 60_000) });
    await sut.deliver(delivery);
    delivery = row({ previousWebhookSecret: previous, previousSecretExpiresAt: new Date(Date.now() - 1) });
    await sut.deliver(delivery);
    const [during, after] = posted;
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(during.body, during.headers)).not.toThrow();
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => new Webhook(previous).verify(after.body, after.headers)).toThrow();
  });

  it('runs a FAILED delivery whose retry is due, and schedules the next one when it fails again', async () => {
    delivery = row({ attempts: 1 });
    result = { kind: 'response', statusCode: 503, latencyMs: 9, body: 'busy' };
    expect(await sut.deliver(delivery)).toBe('retrying');
    expect(recorded[0]).toMatchObject({
      status: 'FAILED',
      seenAttempts: 1,
      retryInMs: 300_000,
      error: 'HTTP 503: busy',
    });
  });

  it('logs a failing callback with what comes next, at most one line a second', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const fresh = new WebhookDeliveryService(store, http, config);
    result = { kind: 'response', statusCode: 500, latencyMs: 5, body: 'oops' };
    await fresh.deliver(delivery);
    await fresh.deliver(delivery);
    expect(warn.mock.calls).toEqual([
      ['callback to https://hooks.example.com/postline failed: HTTP 500: oops; next attempt in 5 s'],
    ]);
    warn.mockRestore();
  });

  it('reports an attempt another worker recorded first as superseded', async () => {
    applied = false;
    expect(await sut.deliver(delivery)).toBe('superseded');
  });
});
