import type { ConfigService } from '@nestjs/config';
import type { Env } from '../env';
import type { WebhookHttpClient } from '../http/webhook-http-client';
import type { DeliveryRow } from './delivery-row';
import type { DeliveryStore } from './delivery-store.service';
import { DeliveryPump } from './delivery-pump.service';
import type { DeliveryResult, WebhookDeliveryService } from './webhook-delivery.service';

const settings: Partial<Env> = {
  WEBHOOK_CONCURRENCY: 100,
  WEBHOOK_POLL_INTERVAL_MS: 60_000, // a stall would wait this long: the test would time out
  WEBHOOK_LEASE_MS: 60_000,
  WEBHOOK_TIMEOUT_MS: 15_000,
};
const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
const http = { close: async () => undefined } as unknown as WebhookHttpClient;

function rows(n: number): DeliveryRow[] {
  return Array.from({ length: n }, (_, i) => ({ id: `d${i}` }) as DeliveryRow);
}

describe(DeliveryPump.name, () => {
  it('claims again when a whole batch of POSTs finishes in one tick (a backlog never stalls)', async () => {
    const due = rows(1_000);
    const claims: number[] = [];
    const store = {
      claimDue: async (limit: number) => {
        claims.push(limit);
        return due.splice(0, limit);
      },
    } as unknown as DeliveryStore;
    // Every POST in flight finishes in the same tick (as outcomes recorded by one group commit would).
    let waiting: (() => void)[] = [];
    const flush = setInterval(() => {
      const now = waiting;
      waiting = [];
      now.forEach((finish) => finish());
    }, 5);
    let delivered = 0;
    const deliveries = {
      attempt: () =>
        new Promise<{ recorded: Promise<DeliveryResult> }>((resolve) =>
          waiting.push(() => {
            delivered += 1;
            resolve({ recorded: Promise.resolve('succeeded') });
          }),
        ),
    } as unknown as WebhookDeliveryService;

    const pump = new DeliveryPump(store, deliveries, http, config);
    try {
      pump.onApplicationBootstrap();
      for (let i = 0; i < 400 && delivered < 1_000; i++) await new Promise((r) => setTimeout(r, 5));
      expect(delivered).toBe(1_000);
      // Batched: never more than the concurrency, and not one claim per delivery.
      expect(Math.max(...claims)).toBeLessThanOrEqual(100);
      expect(claims.length).toBeLessThan(100);
    } finally {
      clearInterval(flush);
      await pump.onModuleDestroy();
    }
  });

  it('refuses a lease that an attempt could outlast', () => {
    const short = { get: (key: keyof Env) => ({ ...settings, WEBHOOK_LEASE_MS: 15_000 })[key] };
    expect(
      () =>
        new DeliveryPump(
          {} as DeliveryStore,
          {} as WebhookDeliveryService,
          http,
          short as unknown as ConfigService<Env, true>,
        ),
    ).toThrow('WEBHOOK_LEASE_MS (15000) must be greater than WEBHOOK_TIMEOUT_MS (15000)');
  });
});
