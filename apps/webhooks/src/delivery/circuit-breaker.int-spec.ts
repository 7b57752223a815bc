import type { INestApplication } from '@nestjs/common';
import { WebhookEventType } from '@postline/contracts';
import { closeTestPool, createAccount, eventually, testPool } from '@postline/testing';
import { TestReceiver } from '../testing/test-receiver';
import { countInStatus, queueCallbacks } from '../testing/webhook-fixtures';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
process.env.WEBHOOK_POLL_INTERVAL_MS = '50';
process.env.WEBHOOK_CONCURRENCY = '10';
process.env.WEBHOOK_TIMEOUT_MS = '300';
process.env.WEBHOOK_LEASE_MS = '2000';
// Plenty of quick retries: without the breaker every delivery would spend them all within a few seconds.
process.env.WEBHOOK_RETRY_SCHEDULE = Array.from({ length: 30 }, () => '0.1').join(',');
process.env.WEBHOOK_RETRY_JITTER = '0';
process.env.WEBHOOK_CIRCUIT_FAILURES = '3';
process.env.WEBHOOK_CIRCUIT_OPEN_MS = '2000';
process.env.WEBHOOK_CIRCUIT_MAX_OPEN_MS = '8000';
process.env.PORT = '0';

interface Circuit {
  failures: number;
  opens: number;
  openUntil: Date | null;
  openedAt: Date | null;
}

async function circuit(accountId: string, target: string): Promise<Circuit | undefined> {
  const { rows } = await testPool().query<Circuit>(
    `SELECT "failures", "opens", "openUntil", "openedAt" FROM "WebhookTarget" WHERE "accountId" = $1 AND "target" = $2`,
    [accountId, target],
  );
  return rows[0];
}

async function attemptsOf(ids: string[]): Promise<number> {
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT coalesce(sum("attempts"), 0)::int AS "n" FROM "WebhookDelivery" WHERE "id" = ANY($1::uuid[])`,
    [ids],
  );
  return rows[0].n;
}

describe('circuit breaker per target (integration)', () => {
  let app: INestApplication;
  let receiver: TestReceiver;
  /** The account's notificationUrl lives elsewhere: a notification to the failing origin would wait with it. */
  let notifications: TestReceiver;
  /** Paths under /dead hang until the client gives up, unless `healed`. */
  let healed = false;

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    receiver = await TestReceiver.start(0, (req, res) => {
      if (req.path.startsWith('/dead') && !healed) return; // accepted, never answered
      res.writeHead(204).end();
    });
    notifications = await TestReceiver.start();
  });

  afterAll(async () => {
    await app.close();
    await receiver.stop();
    await notifications.stop();
    await closeTestPool();
  });

  it('opens on a target that keeps timing out, tells the account, probes with one delivery and closes again', async () => {
    const account = await createAccount();
    await testPool().query(`UPDATE "Account" SET "notificationUrl" = $2 WHERE "id" = $1`, [
      account.accountId,
      notifications.url('/notify'),
    ]);
    const target = `http://127.0.0.1:${receiver.port}`;
    const queued = await queueCallbacks(
      account.accountId,
      Array.from({ length: 20 }, (_, i) => receiver.url(`/dead/${i}`)),
    );
    const ids = queued.map((q) => q.deliveryId);

    // Opens after 3 failures, and the account hears of it once.
    const opened = await eventually(async () => {
      const c = await circuit(account.accountId, target);
      return c?.openUntil && c.openUntil.getTime() > Date.now() ? c : undefined;
    }, 5_000);
    expect(opened.opens).toBe(1);
    const notice = await eventually(async () => notifications.requests[0]);
    expect(JSON.parse(notice.body)).toMatchObject({
      type: WebhookEventType.WebhookTargetFailing,
      data: { target, failures: expect.any(Number), lastError: 'timed out after 300 ms', retryAt: expect.any(String) },
    });

    // While open, its deliveries wait without spending their retries; another account on the same origin is
    // not held up by this account's circuit.
    const other = await createAccount();
    const [alive] = await queueCallbacks(other.accountId, [receiver.url('/alive')]);
    await eventually(async () => receiver.byId(alive.eventId).length === 1, 2_000);
    // Attempts started before the opening was recorded end within one timeout (300 ms); after that, none.
    const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
    await sleepUntil((opened.openedAt as Date).getTime() + 800);
    const spent = await attemptsOf(ids);
    await sleepUntil((opened.openedAt as Date).getTime() + 1_600);
    expect(await attemptsOf(ids)).toBe(spent);
    expect(await countInStatus(queued, 'EXHAUSTED')).toBe(0);

    // The wait over, one delivery probes; it times out too, so the circuit opens again for twice as long.
    const reopened = await eventually(async () => {
      const c = await circuit(account.accountId, target);
      return c && c.opens === 2 ? c : undefined;
    }, 8_000);
    expect((reopened.openUntil as Date).getTime() - (reopened.openedAt as Date).getTime()).toBeGreaterThanOrEqual(
      3_990,
    );
    expect(notifications.requests).toHaveLength(1);

    // The receiver recovers: the next probe succeeds, the circuit closes, and every delivery arrives.
    healed = true;
    await eventually(async () => (await countInStatus(queued, 'SUCCEEDED')) === queued.length, 15_000);
    expect(await circuit(account.accountId, target)).toMatchObject({ failures: 0, opens: 0, openUntil: null });
    // The deliveries waited for the circuit instead of spending their retries: without it, 20 deliveries
    // retried every 0.1 s for these seconds would have made hundreds of attempts. (A few more than the
    // threshold fail: the attempts started before the opening was recorded.)
    expect(await attemptsOf(ids)).toBeLessThan(queued.length * 3);
  });
});
