import type { INestApplication } from '@nestjs/common';
import { WebhookEventType } from '@postline/contracts';
import { closeTestPool, createAccount, eventually, freePort, type TestAccount, testPool } from '@postline/testing';
import { Webhook } from 'standardwebhooks';
import { attemptLog, countInStatus, deliveryState, queueCallbacks } from '../testing/webhook-fixtures';
import { TestReceiver } from '../testing/test-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
process.env.WEBHOOK_RETRY_SCHEDULE = '0.2,0.2,0.4,0.8';
process.env.WEBHOOK_RETRY_JITTER = '0';
process.env.WEBHOOK_TIMEOUT_MS = '1000';
// A claimed delivery whose outcome was lost is due again after this (more than twice the timeout, as required).
process.env.WEBHOOK_LEASE_MS = '2500';
process.env.WEBHOOK_POLL_INTERVAL_MS = '50';
// Fewer slots than some tests have deliveries, so claims run out of slots and refill as deliveries finish.
process.env.WEBHOOK_CONCURRENCY = '8';
// These tests fail one receiver on purpose many times over; the circuit breaker has its own tests.
process.env.WEBHOOK_CIRCUIT_FAILURES = '1000';
process.env.PORT = '0';

describe('webhook delivery (integration)', () => {
  let app: INestApplication;
  let receiver: TestReceiver;
  let account: TestAccount;

  beforeAll(async () => {
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
  });

  afterEach(() => {
    receiver.handler = (_req, res) => void res.writeHead(204).end();
  });

  it('signs each callback so that the standardwebhooks package verifies it, and records the success', async () => {
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/signed')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED');
    const [request] = receiver.byId(d.eventId);
    const verified = new Webhook(account.webhookSecret).verify(
      request.body,
      request.headers as Record<string, string>,
    ) as {
      id: string;
      type: string;
      timestamp: number;
      data: { status: string; sequence: number };
    };
    expect(verified).toMatchObject({ id: d.eventId, type: 'email.status', data: { status: 'DELIVERED', sequence: 3 } });
    expect(Object.keys(verified)).toEqual(['id', 'type', 'timestamp', 'data']);
    const { rows } = await testPool().query<{ body: string }>(
      `SELECT "payload"::text AS "body" FROM "WebhookDelivery" WHERE "id" = $1`,
      [d.deliveryId],
    );
    expect(request.body).toBe(rows[0].body);
    expect(request.headers['content-type']).toBe('application/json');
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret').toString('base64')}`).verify(
        request.body,
        request.headers as Record<string, string>,
      ),
    ).toThrow();
    const state = await deliveryState(d.deliveryId);
    expect(state).toMatchObject({ attempts: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null });
    expect(state.deliveredAt).not.toBeNull();
    expect(await attemptLog(d.deliveryId)).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 204, error: null }),
    ]);
  });

  it('retries a receiver that fails twice, then succeeds, with the same webhook-id', async () => {
    receiver.handler = (req, res) => {
      const seen = receiver.byId(req.headers['webhook-id'] as string).length;
      if (seen <= 2) res.writeHead(500).end('try later');
      else res.writeHead(200).end('ok');
    };
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/flaky')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED');
    const requests = receiver.byId(d.eventId);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.eventId]));
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(150);
    const log = await attemptLog(d.deliveryId);
    expect(log.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(log[0].error).toBe('HTTP 500: try later');
    expect((await deliveryState(d.deliveryId)).attempts).toBe(3);
  });

  it('gives up after the schedule: EXHAUSTED after one attempt plus one per retry, spaced as scheduled', async () => {
    receiver.handler = (_req, res) => void res.writeHead(502).end();
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/broken')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'EXHAUSTED');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.byId(d.eventId)).toHaveLength(5);
    expect(await deliveryState(d.deliveryId)).toMatchObject({ attempts: 5, lastStatusCode: 502, nextAttemptAt: null });
    const log = await attemptLog(d.deliveryId);
    expect(log.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    // The log's gaps follow the schedule (0.2, 0.2, 0.4, 0.8 s, no jitter here).
    expect(log[4].createdAt.getTime() - log[3].createdAt.getTime()).toBeGreaterThanOrEqual(750);
  });

  it('stops at once on 410 Gone', async () => {
    receiver.handler = (_req, res) => void res.writeHead(410).end();
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/gone')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'GONE');
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.byId(d.eventId)).toHaveLength(1);
    expect(await deliveryState(d.deliveryId)).toMatchObject({ attempts: 1, lastStatusCode: 410, nextAttemptAt: null });
  });

  it('waits as long as a 429 Retry-After asks instead of the shorter schedule', async () => {
    receiver.handler = (req, res) => {
      if (receiver.byId(req.headers['webhook-id'] as string).length === 1)
        res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200).end();
    };
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/throttled')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED');
    const [first, second] = receiver.byId(d.eventId);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    const log = await attemptLog(d.deliveryId);
    expect(log.map((a) => a.statusCode)).toEqual([429, 200]);
  });

  it('does not follow a redirect: the attempt fails and the target is never called', async () => {
    receiver.handler = (req, res) => {
      if (req.path === '/elsewhere') return void res.writeHead(200).end();
      res.writeHead(302, { location: receiver.url('/elsewhere') }).end();
    };
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/moved')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).attempts >= 1);
    const state = await deliveryState(d.deliveryId);
    expect(state).toMatchObject({ status: 'FAILED', lastStatusCode: 302 });
    expect(state.lastError).toContain('redirect');
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'EXHAUSTED');
    expect(receiver.byId(d.eventId).map((r) => r.path)).toEqual(['/moved', '/moved', '/moved', '/moved', '/moved']);
    expect(receiver.requests.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
  });

  it('gives up on a receiver slower than the timeout without waiting for it', async () => {
    const slow = await TestReceiver.start(0, (_req, res) => {
      const timer = setTimeout(() => res.writeHead(200).end(), 20_000);
      res.on('close', () => clearTimeout(timer));
    });
    try {
      const [d] = await queueCallbacks(account.accountId, [slow.url('/slow')]);
      const started = Date.now();
      await eventually(async () => (await deliveryState(d.deliveryId)).attempts >= 1, 5_000);
      expect(Date.now() - started).toBeLessThan(4_000);
      const state = await deliveryState(d.deliveryId);
      expect(state.lastError).toBe('timed out after 1000 ms');
      expect(state.lastStatusCode).toBeNull();
      expect(state.lastLatencyMs).toBeGreaterThanOrEqual(950);
      expect(state.lastLatencyMs).toBeLessThan(2_000);
    } finally {
      await slow.stop();
    }
  });

  it('reads only the start of a 10 MB response and drops the connection', async () => {
    let finished: boolean | undefined;
    receiver.handler = (_req, res) => {
      res.on('close', () => (finished = res.writableFinished));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(10 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/huge')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED');
    await eventually(async () => finished !== undefined);
    expect(finished).toBe(false);
    expect((await deliveryState(d.deliveryId)).lastLatencyMs).toBeLessThan(1_000);
  });

  it('signs with both secrets during a rotation overlap, and with the new one alone after it', async () => {
    const rotated = await createAccount();
    const next = `whsec_${Buffer.from('a brand new secret of 32 bytes!!').toString('base64')}`;
    await testPool().query(
      `UPDATE "Account" SET "previousWebhookSecret" = "webhookSecret", "webhookSecret" = $2,
         "previousSecretExpiresAt" = now() + interval '1 hour' WHERE "id" = $1`,
      [rotated.accountId, next],
    );
    const [during] = await queueCallbacks(rotated.accountId, [receiver.url('/rotating')]);
    await eventually(async () => receiver.byId(during.eventId).length === 1);
    const request = receiver.byId(during.eventId)[0];
    const headers = request.headers as Record<string, string>;
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.webhookSecret).verify(request.body, headers)).toMatchObject({ id: during.eventId });
    expect(new Webhook(next).verify(request.body, headers)).toMatchObject({ id: during.eventId });

    await testPool().query(
      `UPDATE "Account" SET "previousSecretExpiresAt" = now() - interval '1 second' WHERE "id" = $1`,
      [rotated.accountId],
    );
    const [after] = await queueCallbacks(rotated.accountId, [receiver.url('/rotated')]);
    await eventually(async () => receiver.byId(after.eventId).length === 1);
    const later = receiver.byId(after.eventId)[0];
    expect((later.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(new Webhook(next).verify(later.body, later.headers as Record<string, string>)).toMatchObject({
      id: after.eventId,
    });
    expect(() =>
      new Webhook(rotated.webhookSecret).verify(later.body, later.headers as Record<string, string>),
    ).toThrow();
  });

  it('delivers every event once a receiver that was down comes up', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/late`;
    const queued = await Promise.all(
      Array.from({ length: 10 }, () => queueCallbacks(account.accountId, [url]).then((q) => q[0])),
    );
    // Down for the first attempt and the first retry of every event.
    await eventually(async () => {
      const { rows } = await testPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "id" = ANY($1::uuid[]) AND "attempts" >= 2`,
        [queued.map((q) => q.deliveryId)],
      );
      return rows[0].n === queued.length;
    });
    const late = await TestReceiver.start(port);
    try {
      await eventually(async () => queued.every((q) => late.byId(q.eventId).length > 0), 5_000);
      await eventually(async () => {
        const states = await Promise.all(queued.map((q) => deliveryState(q.deliveryId)));
        return states.every((s) => s.status === 'SUCCEEDED');
      });
      const log = await attemptLog(queued[0].deliveryId);
      expect(log[0].statusCode).toBeNull();
      expect(log[0].error).toMatch(/ECONNREFUSED/);
    } finally {
      await late.stop();
    }
  });

  it('delivers account notifications (no email) like any other delivery', async () => {
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/account')], {
      emailId: null,
      type: WebhookEventType.ReputationWarning,
      data: { state: 'WARNING', bounceRate: 0.03 },
    });
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED');
    expect(JSON.parse(receiver.byId(d.eventId)[0].body)).toMatchObject({
      type: 'account.reputation.warning',
      data: { state: 'WARNING' },
    });
  });

  it('works through a backlog many times its slots, claiming again as deliveries finish', async () => {
    const queued = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          queueCallbacks(account.accountId, [receiver.url(`/backlog/${i}/a`), receiver.url(`/backlog/${i}/b`)]),
        ),
      )
    ).flat();
    await eventually(async () => (await countInStatus(queued, 'SUCCEEDED')) === queued.length, 10_000);
    expect(queued.every((q) => receiver.requests.some((r) => r.path === new URL(q.url).pathname))).toBe(true);
  });

  it('shares due deliveries between workers: each is claimed by one of them and delivered once', async () => {
    const { createTestApp } = await import('@postline/testing');
    const { AppModule } = await import('../app.module');
    const second = await createTestApp(AppModule);
    try {
      const queued = (
        await Promise.all(
          Array.from({ length: 40 }, (_, i) => queueCallbacks(account.accountId, [receiver.url(`/shared/${i}`)])),
        )
      ).flat();
      await eventually(async () => (await countInStatus(queued, 'SUCCEEDED')) === queued.length);
      expect(queued.map((q) => receiver.byId(q.eventId).length)).toEqual(queued.map(() => 1));
      const { rows } = await testPool().query<{ attempts: number }>(
        `SELECT "attempts" FROM "WebhookDelivery" WHERE "id" = ANY($1::uuid[])`,
        [queued.map((q) => q.deliveryId)],
      );
      expect(new Set(rows.map((r) => r.attempts))).toEqual(new Set([1]));
    } finally {
      await second.close();
    }
  });

  it('attempts a delivery again after its lease when its outcome could not be recorded', async () => {
    const { DeliveryStore } = await import('./delivery-store.service');
    // Postgres drops the connection as the outcome is written: the POST happened, nothing says so.
    // Only this delivery's first outcome fails: an outcome of an earlier test's delivery must not use it up.
    const store = app.get(DeliveryStore);
    const recordOf = store.record.bind(store);
    let failed = false;
    let target = '';
    const record = jest.spyOn(store, 'record').mockImplementation((attempt) => {
      if (failed || attempt.deliveryId !== target) return recordOf(attempt);
      failed = true;
      return Promise.reject(new Error('Connection terminated unexpectedly'));
    });
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/unrecorded')]);
    target = d.deliveryId;
    await eventually(async () => receiver.byId(d.eventId).length === 1);
    expect((await deliveryState(d.deliveryId)).status).toBe('PENDING');
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED', 10_000);
    record.mockRestore();
    const [first, second] = receiver.byId(d.eventId);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_500);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(await attemptLog(d.deliveryId)).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204 })]);
  });

  it('keeps claiming after a claim fails (Postgres unreachable for a moment)', async () => {
    const { DeliveryStore } = await import('./delivery-store.service');
    const claim = jest
      .spyOn(app.get(DeliveryStore), 'claimDue')
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/after-outage')]);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED', 10_000);
    expect(claim).toHaveBeenCalled();
    claim.mockRestore();
    expect(receiver.byId(d.eventId)).toHaveLength(1);
  });
});
