import type { INestApplication } from '@nestjs/common';
import { closeTestPool, createAccount, eventually } from '@postline/testing';
import { BlackHole } from '../testing/black-hole';
import { TestReceiver } from '../testing/test-receiver';
import { queueCallbacks } from '../testing/webhook-fixtures';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
process.env.WEBHOOK_POLL_INTERVAL_MS = '50';
// The production slots and timeout: 100 slots, 15 s per attempt, as in the reported case.
process.env.WEBHOOK_CONCURRENCY = '100';
process.env.WEBHOOK_TIMEOUT_MS = '15000';
process.env.PORT = '0';

/** Queues `n` callbacks of one event to distinct paths under `url` (one delivery each). */
async function queueMany(accountId: string, url: (path: string) => string, n: number): Promise<void> {
  await queueCallbacks(
    accountId,
    Array.from({ length: n }, (_, i) => url(`/dead/${i}`)),
  );
}

describe('fair share of the worker between targets and accounts (integration)', () => {
  let app: INestApplication;
  let healthy: TestReceiver;
  let holes: BlackHole[] = [];

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    healthy = await TestReceiver.start();
  });

  afterEach(async () => {
    // The dead receivers' connections end, so their slots free up for the next test.
    await Promise.all(holes.map((h) => h.stop()));
    holes = [];
  });

  afterAll(async () => {
    await app.close();
    await healthy.stop();
    await closeTestPool();
  });

  /** Callbacks of a healthy account, queued now: how long until each arrived (ms). */
  async function healthyLatencies(n: number): Promise<number[]> {
    const account = await createAccount();
    const queuedAt = Date.now();
    const queued = await Promise.all(
      Array.from({ length: n }, (_, i) => queueCallbacks(account.accountId, [healthy.url(`/healthy/${i}`)])),
    );
    const ids = queued.map(([d]) => d.eventId);
    await eventually(async () => ids.every((id) => healthy.byId(id).length > 0), 10_000);
    return ids.map((id) => healthy.byId(id)[0].at - queuedAt);
  }

  it("delivers a healthy account's callbacks promptly while another's receiver holds 200 POSTs unanswered", async () => {
    const hole = await BlackHole.start();
    holes.push(hole);
    const dead = await createAccount();
    await queueMany(dead.accountId, (p) => hole.url(p), 200);
    // The dead target has taken every slot it is allowed.
    await eventually(async () => hole.open >= 10, 5_000);
    const latencies = await healthyLatencies(20);
    // Before: the healthy callbacks waited for the dead POSTs to time out (about 15 s).
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    // The dead target holds only its own share of the 100 slots.
    expect(hole.open).toBeLessThanOrEqual(75);
  });

  it('bounds an account with several dead targets to its share of the slots', async () => {
    const dead = await createAccount();
    for (let i = 0; i < 4; i++) {
      const hole = await BlackHole.start();
      holes.push(hole);
      await queueMany(dead.accountId, (p) => hole.url(p), 60);
    }
    await eventually(async () => holes.reduce((n, h) => n + h.open, 0) >= 10, 5_000);
    const latencies = await healthyLatencies(20);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    expect(holes.reduce((n, h) => n + h.open, 0)).toBeLessThanOrEqual(80);
  });
});
