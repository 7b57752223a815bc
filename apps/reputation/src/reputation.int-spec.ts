import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HOUR_MS, QueueName, type RecordReputationEventJob, type ReputationEventKind } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import { AccountBlockCache, Clock, REPUTATION_RULES, ReputationLedger } from '@postline/account-reputation';
import { QueueRegistry } from '@postline/queue';
import { closeTestPool, createAccount, createTestApp, testPool } from '@postline/testing';
import type { Pool } from 'pg';

// Scheduled sweeps would race the ones these tests run by hand.
process.env.REPUTATION_SWEEP_EVERY_MS = String(HOUR_MS);

const T0 = Date.parse('2026-03-02T10:15:00Z');

describe('reputation service: counting and evaluation (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let db: Pool;
  let clock: Clock;
  let recorder: import('./events/reputation-recorder.service').ReputationRecorder;
  let sweeper: import('./sweep/reputation-sweep.service').ReputationSweep;
  let now = T0;

  const event = (
    accountId: string,
    kind: ReputationEventKind,
    at = now,
    emailId = randomUUID(),
    recipient = 'reader@example.test',
  ) => ({ accountId, emailId, kind, recipient, occurredAt: at }) satisfies RecordReputationEventJob;

  /** `sent` distinct emails; the first ones also bounce or complain. */
  const stream = (accountId: string, sent: number, hardBounces = 0, complaints = 0, at = now) => {
    const sends = Array.from({ length: sent }, () => event(accountId, 'sent', at));
    return [
      ...sends,
      ...sends.slice(0, hardBounces).map((s) => event(accountId, 'hard-bounce', at + 1000, s.emailId)),
      ...sends
        .slice(hardBounces, hardBounces + complaints)
        .map((s) => event(accountId, 'complaint', at + 1000, s.emailId)),
    ];
  };

  const record = async (events: RecordReputationEventJob[]) => {
    let counted = 0;
    for (let i = 0; i < events.length; i += 1000) counted += (await recorder.record(events.slice(i, i + 1000))).counted;
    return counted;
  };

  const state = async (accountId: string) =>
    (await db.query(`SELECT "reputationState", "reputationReason" FROM "Account" WHERE "id" = $1`, [accountId]))
      .rows[0];

  const buckets = async (accountId: string) =>
    (
      await db.query(
        `SELECT "bucketStart", "sent", "hardBounces", "complaints" FROM "ReputationBucket" WHERE "accountId" = $1 ORDER BY "bucketStart"`,
        [accountId],
      )
    ).rows;

  const changes = async (accountId: string) =>
    (
      await db.query(
        `SELECT "fromState", "toState", "actor", "reason", "bounceRate", "complaintRate", "sent", "hardBounces", "complaints"
         FROM "ReputationChange" WHERE "accountId" = $1 ORDER BY "createdAt", "id"`,
        [accountId],
      )
    ).rows;

  beforeAll(async () => {
    const { AppModule } = await import('./app.module');
    const { ReputationRecorder } = await import('./events/reputation-recorder.service');
    const { ReputationSweep } = await import('./sweep/reputation-sweep.service');
    app = await createTestApp(AppModule);
    db = testPool();
    clock = app.get(Clock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(now));
    recorder = app.get(ReputationRecorder);
    sweeper = app.get(ReputationSweep);
  });

  beforeEach(() => {
    now = T0;
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('counts a synthetic stream exactly, in the hour bucket of each event', async () => {
    const { accountId } = await createAccount();
    await record([...stream(accountId, 1000, 20, 0), ...stream(accountId, 300, 0, 0, T0 + HOUR_MS)]);

    expect(await buckets(accountId)).toEqual([
      { bucketStart: new Date('2026-03-02T10:00:00Z'), sent: 1000, hardBounces: 20, complaints: 0 },
      { bucketStart: new Date('2026-03-02T11:00:00Z'), sent: 300, hardBounces: 0, complaints: 0 },
    ]);
    expect(await state(accountId)).toEqual({ reputationState: 'HEALTHY', reputationReason: null });
  });

  it.each([
    ['bounce', 'hard-bounce', 1000, 24, 'HEALTHY', 'WARNING', 'bounce rate 2.5 % ≥ 2.5 %'],
    ['bounce', 'hard-bounce', 1000, 49, 'WARNING', 'BLOCKED', 'bounce rate 5 % ≥ 5 %'],
    ['complaint', 'complaint', 10_000, 4, 'HEALTHY', 'WARNING', 'complaint rate 0.05 % ≥ 0.05 %'],
    ['complaint', 'complaint', 10_000, 9, 'WARNING', 'BLOCKED', 'complaint rate 0.1 % ≥ 0.1 %'],
  ] as const)(
    '%s: one under the threshold stays put, exactly at it moves (%s × %i, %i → %s then %s)',
    async (_metric, kind, sent, under, before, after, reason) => {
      const { accountId } = await createAccount();
      const sends = stream(accountId, sent);
      const bad = sends.slice(0, under + 1).map((s) => event(accountId, kind, now + 1000, s.emailId));
      await record([...sends, ...bad.slice(0, under)]);
      expect((await state(accountId)).reputationState).toBe(before);

      now += 60_000;
      await record(bad.slice(under));
      expect(await state(accountId)).toEqual({ reputationState: after, reputationReason: reason });
      const last = (await changes(accountId)).at(-1);
      expect(last).toMatchObject({
        toState: after,
        actor: 'SYSTEM',
        sent,
        [kind === 'complaint' ? 'complaints' : 'hardBounces']: under + 1,
      });
    },
  );

  it('does not evaluate until the window holds the minimum volume', async () => {
    const { accountId } = await createAccount();
    await record(stream(accountId, 99, 50));
    expect((await state(accountId)).reputationState).toBe('HEALTHY');
    expect(await changes(accountId)).toEqual([]);

    await record(stream(accountId, 1));
    expect((await state(accountId)).reputationState).toBe('BLOCKED');
  });

  it('counts a duplicated outcome once, within a batch and across batches', async () => {
    const { accountId } = await createAccount();
    const events = stream(accountId, 200, 10);
    const first = await recorder.record([...events, ...events.slice(0, 50)]);
    const again = await recorder.record(events);

    expect(first).toMatchObject({ counted: 210, duplicates: 50, ignored: 0 });
    expect(again).toMatchObject({ counted: 0, duplicates: 210 });
    expect(await buckets(accountId)).toEqual([expect.objectContaining({ sent: 200, hardBounces: 10 })]);
  });

  it('leaves out mailbox-simulator recipients, events older than the window, and unknown accounts', async () => {
    const { accountId } = await createAccount();
    const summary = await recorder.record([
      event(accountId, 'sent', now, randomUUID(), 'success@simulator.amazonses.com'),
      event(accountId, 'hard-bounce', now, randomUUID(), 'Bounce+1@SIMULATOR.amazonses.com'),
      event(accountId, 'sent', now - 168 * HOUR_MS),
      event(randomUUID(), 'sent'),
      event(accountId, 'sent'),
    ]);
    expect(summary).toMatchObject({ counted: 1, ignored: 4 });
    expect(await buckets(accountId)).toEqual([expect.objectContaining({ sent: 1, hardBounces: 0 })]);
  });

  it('counts simulator recipients when REPUTATION_COUNT_SIMULATOR is on', async () => {
    const { ReputationRecorder } = await import('./events/reputation-recorder.service');
    const { ReputationEvaluator } = await import('./evaluation/reputation-evaluator.service');
    const rules = { ...app.get(REPUTATION_RULES), countSimulator: true };
    const sut = new ReputationRecorder(
      app.get(PG_POOL),
      rules,
      clock,
      app.get(ReputationEvaluator),
      app.get(ReputationLedger),
    );
    const { accountId } = await createAccount();

    expect(
      (await sut.record([event(accountId, 'sent', now, randomUUID(), 'success@simulator.amazonses.com')])).counted,
    ).toBe(1);
  });

  it('clears a warning once the bad hour leaves the window, with no new event (sweep)', async () => {
    const { accountId } = await createAccount();
    await record(stream(accountId, 100, 3));
    now = T0 + HOUR_MS;
    await record(stream(accountId, 100, 2));
    expect(await state(accountId)).toMatchObject({ reputationState: 'WARNING' });

    now = Date.parse('2026-03-09T09:59:59Z'); // the 10:00 bucket is still the oldest hour of the window
    await sweeper.sweep();
    expect((await state(accountId)).reputationState).toBe('WARNING');

    now = Date.parse('2026-03-09T10:00:00Z');
    await sweeper.sweep();
    expect(await state(accountId)).toEqual({ reputationState: 'HEALTHY', reputationReason: null });
    expect((await changes(accountId)).at(-1)).toMatchObject({
      fromState: 'WARNING',
      toState: 'HEALTHY',
      actor: 'SYSTEM',
      sent: 100,
      hardBounces: 2,
      bounceRate: 0.02,
    });
    expect((await buckets(accountId)).map((b) => b.bucketStart)).toEqual([new Date('2026-03-02T11:00:00Z')]);
  });

  it('blocks from the sweep too, when good volume leaving the window raises the bounce rate', async () => {
    const { accountId } = await createAccount();
    await record(stream(accountId, 1000));
    now = T0 + 10 * HOUR_MS;
    await record(stream(accountId, 200, 10));
    expect((await state(accountId)).reputationState).toBe('HEALTHY');

    now = T0 + 168 * HOUR_MS;
    await sweeper.sweep();
    expect(await state(accountId)).toEqual({ reputationState: 'BLOCKED', reputationReason: 'bounce rate 5 % ≥ 5 %' });
  });

  it('announces each change to the notification URL, with the rates and counts at that moment', async () => {
    const { accountId, name } = await createAccount();
    await db.query(`UPDATE "Account" SET "notificationUrl" = 'https://hooks.example.test/account' WHERE "id" = $1`, [
      accountId,
    ]);
    await record(stream(accountId, 1000, 30));
    now += 60_000;
    const more = stream(accountId, 1000, 0);
    await record(more);
    now += 60_000;
    await record(more.slice(0, 70).map((s) => event(accountId, 'hard-bounce', now + 2000, s.emailId)));

    const { rows } = await db.query(
      `SELECT "type", "url", "payload", "emailId", "status" FROM "WebhookDelivery" WHERE "accountId" = $1 ORDER BY "createdAt", "type"`,
      [accountId],
    );
    expect(rows.map((r) => r.type)).toEqual([
      'account.reputation.warning',
      'account.reputation.recovered',
      'account.reputation.blocked',
    ]);
    expect(rows[2]).toMatchObject({ url: 'https://hooks.example.test/account', emailId: null, status: 'PENDING' });
    expect(rows[2].payload).toMatchObject({
      type: 'account.reputation.blocked',
      data: {
        accountId,
        userName: name,
        state: 'BLOCKED',
        previousState: 'HEALTHY',
        actor: 'SYSTEM',
        reason: 'bounce rate 5 % ≥ 5 %',
        rates: { bounce: 0.05, complaint: 0 },
        counts: { sent: 2000, hardBounces: 100, complaints: 0 },
        windowHours: 168,
      },
    });
    // Its delivery row is due at once: the webhooks app claims it from there.
    const { rows: due } = await testPool().query(
      `SELECT "status" FROM "WebhookDelivery"
       WHERE "eventId" = $1 AND "url" = 'https://hooks.example.test/account' AND "nextAttemptAt" <= now() AT TIME ZONE 'UTC'`,
      [rows[2].payload.id],
    );
    expect(due).toEqual([{ status: 'PENDING' }]);
    expect((await changes(accountId)).at(-1)).toMatchObject({
      toState: 'BLOCKED',
      sent: 2000,
      hardBounces: 100,
      bounceRate: 0.05,
    });
  });

  it('publishes a system block to the shared flag at once, and keeps it until an operator lifts it', async () => {
    const { accountId } = await createAccount();
    const blocks = app.get(AccountBlockCache);
    expect(await blocks.isAccountBlocked(accountId)).toBe(false);

    await record(stream(accountId, 100, 5));
    expect(await blocks.state(accountId)).toEqual({ blocked: true, reason: 'bounce rate 5 % ≥ 5 %' });

    await record(stream(accountId, 10_000));
    now = T0 + 200 * HOUR_MS;
    await sweeper.sweep();
    expect((await state(accountId)).reputationState).toBe('BLOCKED');
  });

  it('after an unblock, counts only what follows it, even within the same hour', async () => {
    const { accountId } = await createAccount();
    const before = stream(accountId, 100, 10);
    await record(before);
    now = T0 + 10 * 60_000;
    await db.query(
      `UPDATE "Account" SET "reputationState" = 'HEALTHY', "blockedAt" = NULL, "reputationBaselineAt" = $2 WHERE "id" = $1`,
      [accountId, new Date(now).toISOString()],
    );

    const late = event(accountId, 'hard-bounce', T0 + 60_000, randomUUID());
    expect((await recorder.record([late])).ignored).toBe(1);
    await record(stream(accountId, 150, 4, 0, now + 1000));

    expect((await state(accountId)).reputationState).toBe('WARNING');
    expect((await changes(accountId)).at(-1)).toMatchObject({ toState: 'WARNING', sent: 150, hardBounces: 4 });
    expect((await buckets(accountId)).map((b) => [b.bucketStart.toISOString(), b.sent])).toEqual([
      ['2026-03-02T10:00:00.000Z', 100],
      ['2026-03-02T10:25:00.000Z', 150],
    ]);
  });

  it('registers the sweep as a BullMQ job scheduler', async () => {
    const scheduler = await app.get(QueueRegistry).get(QueueName.ReputationEvent).getJobScheduler('reputation-sweep');
    expect(scheduler).toMatchObject({ every: HOUR_MS, name: 'sweep-reputation' });
  });

  it('exposes its metrics', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('postline_reputation_changes_total{from="HEALTHY",to="BLOCKED",actor="system"}');
  });
});
