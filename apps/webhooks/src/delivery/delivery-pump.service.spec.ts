import type { ConfigService } from '@nestjs/config';
import type { Env } from '../env';
import type { WebhookHttpClient } from '../http/webhook-http-client';
import type { DeliveryRow } from './delivery-row';
import type { DeliveryStore } from './delivery-store.service';
import type { ClaimLimits } from './fair-share';
import { DeliveryPump } from './delivery-pump.service';
import type { DeliveryResult, WebhookDeliveryService } from './webhook-delivery.service';

const settings: Partial<Env> = {
  WEBHOOK_CONCURRENCY: 100,
  WEBHOOK_POLL_INTERVAL_MS: 60_000, // a stall would wait this long: the test would time out
  WEBHOOK_LEASE_MS: 60_000,
  // The rows below share one target; the shares are under test in their own case.
  WEBHOOK_TARGET_SHARE: 1,
  WEBHOOK_ACCOUNT_SHARE: 1,
};
const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
const http = { close: async () => undefined } as unknown as WebhookHttpClient;

function rows(n: number): DeliveryRow[] {
  return Array.from({ length: n }, (_, i) => ({ id: `d${i}` }) as DeliveryRow);
}

/** Attempts whose POSTs stay open until the test finishes them (each then records 'succeeded'). */
function heldPosts() {
  const posts = {
    started: 0,
    finishers: [] as (() => void)[],
    deliveries: {} as WebhookDeliveryService,
  };
  posts.deliveries = {
    attempt: () => {
      posts.started += 1;
      return new Promise<{ recorded: Promise<DeliveryResult> }>((resolve) =>
        posts.finishers.push(() => resolve({ recorded: Promise.resolve('succeeded') })),
      );
    },
  } as unknown as WebhookDeliveryService;
  return posts;
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
      release: async () => undefined,
      claimProbes: async () => [],
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
      // Batched: never more than the concurrency and half of it ahead, and not one claim per delivery.
      expect(Math.max(...claims)).toBeLessThanOrEqual(150);
      expect(claims.length).toBeLessThan(100);
    } finally {
      clearInterval(flush);
      await pump.onModuleDestroy();
    }
  });

  it('keeps every slot busy, and hands back the rows claimed ahead when it stops', async () => {
    const due = rows(1_000);
    const released: string[] = [];
    const store = {
      claimDue: async (limit: number) => due.splice(0, limit),
      release: async (ids: string[]) => void released.push(...ids),
      claimProbes: async () => [],
    } as unknown as DeliveryStore;
    const posts = heldPosts();
    const pump = new DeliveryPump(store, posts.deliveries, http, config);
    pump.onApplicationBootstrap();
    for (let i = 0; i < 100 && posts.started < 100; i++) await new Promise((r) => setTimeout(r, 5));
    expect(posts.started).toBe(100);
    // One POST finishes: its slot takes a row claimed ahead in the same turn, with no claim in between.
    (posts.finishers.shift() as () => void)();
    await new Promise((r) => setImmediate(r));
    expect(posts.started).toBe(101);

    const stopping = pump.onModuleDestroy();
    posts.finishers.forEach((finish) => finish());
    await stopping;
    // 150 claimed (100 slots and 50 ahead), 101 started: the other 49 go back.
    expect(released).toHaveLength(49);
    expect(posts.started).toBe(101);
  });

  it('claims again while rows are still ready, so a slot freed during the claim does not wait for it', async () => {
    const due = rows(1_000);
    const claims: number[] = [];
    let answer: (() => void) | undefined;
    const store = {
      claimDue: (limit: number) => {
        claims.push(limit);
        // The first claim answers at once; the next one hangs until the test lets it answer.
        if (claims.length === 1) return Promise.resolve(due.splice(0, limit));
        return new Promise<DeliveryRow[]>((resolve) => (answer = () => resolve(due.splice(0, limit))));
      },
      release: async () => undefined,
      claimProbes: async () => [],
    } as unknown as DeliveryStore;
    const posts = heldPosts();
    const pump = new DeliveryPump(store, posts.deliveries, http, config);
    pump.onApplicationBootstrap();
    for (let i = 0; i < 100 && posts.started < 100; i++) await new Promise((r) => setTimeout(r, 5));
    expect(posts.started).toBe(100);

    // A quarter of the POSTs finish: a claim goes out while a quarter is still ready.
    posts.finishers.splice(0, 25).forEach((finish) => finish());
    await new Promise((r) => setImmediate(r));
    expect(claims).toHaveLength(2);
    expect(posts.started).toBe(125);
    // More finish before that claim answers: they take the rows still ready instead of waiting for it.
    posts.finishers.splice(0, 10).forEach((finish) => finish());
    await new Promise((r) => setImmediate(r));
    expect(posts.started).toBe(135);

    answer?.();
    const stopping = pump.onModuleDestroy();
    posts.finishers.forEach((finish) => finish());
    await stopping;
  });

  it('keeps a target at its share of the slots and claims for it in batches, not one row per POST', async () => {
    const due = Array.from(
      { length: 600 },
      (_, i) => ({ id: `d${i}`, accountId: 'a', target: 'https://one.test' }) as DeliveryRow,
    );
    const claims: number[] = [];
    const store = {
      // As the claim statement does: no more of the target than what is left of its share.
      claimDue: async (limit: number, _lease: number, share: ClaimLimits) => {
        const held = share.held.reduce((n, h) => n + h.n, 0);
        const rows = due.splice(0, Math.min(limit, share.perTarget - held));
        claims.push(rows.length);
        return rows;
      },
      claimProbes: async () => [],
      release: async () => undefined,
    } as unknown as DeliveryStore;
    const posts = heldPosts();
    let running = 0;
    let most = 0;
    const deliveries = {
      attempt: () => {
        running += 1;
        most = Math.max(most, running);
        return new Promise<{ recorded: Promise<DeliveryResult> }>((resolve) =>
          setTimeout(() => {
            running -= 1;
            resolve({ recorded: Promise.resolve('succeeded') });
          }, 2),
        );
      },
    } as unknown as WebhookDeliveryService;
    const shared = { ...settings, WEBHOOK_TARGET_SHARE: 0.5 };
    const pump = new DeliveryPump(store, deliveries, http, {
      get: (key: keyof Env) => shared[key],
    } as unknown as ConfigService<Env, true>);
    try {
      pump.onApplicationBootstrap();
      // The poll interval is a minute: only claims made as room comes back can get through in time.
      for (let i = 0; i < 400 && (due.length > 0 || running > 0); i++) await new Promise((r) => setTimeout(r, 5));
      expect(due).toHaveLength(0);
      expect(most).toBe(50);
      expect(claims.filter((n) => n > 0).length).toBeLessThan(600 / 10);
    } finally {
      await pump.onModuleDestroy();
    }
    expect(posts.started).toBe(0);
  });
});
