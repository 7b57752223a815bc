import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueueName } from '@postline/contracts';
import { ScheduledEmails } from '@postline/email-ledger';
import { QueueRegistry } from '@postline/queue';
import { closeTestPool, createAccount, createTestApp, eventually, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

// The gateway's side of scheduled sending, without a sender: acceptance, validation, cancel, reschedule, and
// what lists, reports and callbacks show. Sending itself is tested in apps/sender/test/scheduled-sending.int-spec.ts.
describe('scheduled emails at the gateway (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;
  let other: TestAccount;

  const message = (extra: Record<string, unknown> = {}) => ({
    to: 'reader@example.test',
    from: 'news@shop.test',
    subject: 'Advent',
    text: 'door 24',
    callbacks: ['https://hooks.example.test/postline'],
    ...extra,
  });
  const call = (method: 'GET' | 'POST', url: string, body?: unknown, key = account.apiKey) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const schedule = async (extra: Record<string, unknown> = {}) => {
    const res = await call('POST', '/emails', message({ sendAt: inSeconds(3600), ...extra }));
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; status: string; sendAt?: string };
  };
  const row = async (id: string) =>
    (
      await testPool().query<{ status: string; sendAt: Date | null }>(
        `SELECT "status", "sendAt" FROM "Email" WHERE "id" = $1`,
        [id],
      )
    ).rows[0];

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
    other = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('accepts an email with sendAt as SCHEDULED, holds no send job for it, and stores the time in UTC', async () => {
    const local = new Date(Date.now() + 2 * 86_400_000);
    const offset = `${local.toISOString().slice(0, 19)}+02:00`; // two days ahead, written in UTC+2
    const res = await call('POST', '/emails', message({ sendAt: offset }));
    expect(res.statusCode).toBe(201);
    const email = res.json().data;
    expect(email).toMatchObject({ status: 'SCHEDULED', sendAt: new Date(offset).toISOString() });
    expect((await row(email.id)).sendAt?.toISOString()).toBe(new Date(offset).toISOString());
    // A plain email sent with it gets its send job; the scheduled one gets none, in Redis or in the outbox.
    const plain = (await call('POST', '/emails', message())).json().data;
    const sends = app.get(QueueRegistry).get(QueueName.EmailSend);
    await eventually(async () => (await sends.getJob(plain.id)) !== undefined, 15_000);
    expect(await sends.getJob(email.id)).toBeUndefined();
    const { rows } = await testPool().query(`SELECT 1 FROM "OutboxEvent" WHERE "jobs"::text LIKE $1`, [
      `%${email.id}%`,
    ]);
    expect(rows).toEqual([]);
  });

  it('queues at once an email whose sendAt is just past (clock skew), keeping the time', async () => {
    const sendAt = new Date(Date.now() - 20_000).toISOString();
    const res = await call('POST', '/emails', message({ sendAt }));
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ status: 'QUEUED', sendAt });
  });

  it('refuses a bad sendAt with 400 naming the field and the rule, and stores nothing', async () => {
    const cases: [unknown, RegExp][] = [
      ['2026-12-24T09:00:00', /sendAt must be an ISO 8601 date-time with a time zone offset/],
      ['next tuesday', /sendAt must be an ISO 8601 date-time with a time zone offset/],
      [1_800_000_000_000, /sendAt must be an ISO 8601 date-time with a time zone offset/],
      [new Date(Date.now() - 10 * 60_000).toISOString(), /sendAt must not be in the past/],
      [new Date(Date.now() + 31 * 86_400_000).toISOString(), /sendAt must be at most 30 days ahead/],
    ];
    const before = (await testPool().query(`SELECT count(*)::int AS n FROM "Email"`)).rows[0].n;
    for (const [sendAt, rule] of cases) {
      const res = await call('POST', '/emails', message({ sendAt }));
      expect(res.statusCode).toBe(400);
      const details = res.json().error.details as { field: string; message: string }[];
      expect(details).toEqual([{ field: 'sendAt', message: expect.stringMatching(rule) }]);
    }
    expect((await testPool().query(`SELECT count(*)::int AS n FROM "Email"`)).rows[0].n).toBe(before);
  });

  it('schedules batch messages one by one: a bad sendAt refuses only its own message', async () => {
    const res = await call('POST', '/emails/batch', {
      messages: [message({ sendAt: inSeconds(600) }), message({ sendAt: 'soon' }), message()],
    });
    expect(res.statusCode).toBe(200);
    const { accepted, rejected, results } = res.json().data;
    expect({ accepted, rejected }).toEqual({ accepted: 2, rejected: 1 });
    expect(results[0].data.status).toBe('SCHEDULED');
    expect(results[1].error.details).toEqual([
      { field: 'messages[1].sendAt', message: expect.stringMatching(/ISO 8601/) },
    ]);
    expect(results[2].data.status).toBe('QUEUED');
  });

  it('refuses at acceptance what cannot be sent, scheduled or not (a sender identity it does not own)', async () => {
    const res = await call('POST', '/emails', message({ from: 'news@elsewhere.test', sendAt: inSeconds(600) }));
    expect(res.json().data.status).toBe('BAD_FROM');
  });

  it('checks the suppression list at acceptance for a scheduled email too', async () => {
    const added = await call('POST', '/suppressions', { address: 'gone@example.test' });
    expect(added.statusCode).toBeLessThan(300);
    const res = await call('POST', '/emails', message({ to: 'gone@example.test', sendAt: inSeconds(600) }));
    expect(res.json().data).toMatchObject({
      status: 'BLACKLISTED',
      statusReason: expect.stringMatching(/suppression/),
    });
  });

  it('cancels a scheduled email: CANCELED for good, in its history, its callbacks and its campaign', async () => {
    const externalId = `advent-${Date.now()}`;
    const email = await schedule({ externalId });
    const report = async () => (await call('GET', `/reports/campaigns/${externalId}`)).json().data.byStatus;
    expect(await report()).toEqual({ SCHEDULED: 1 });

    const res = await call('POST', `/emails/${email.id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ id: email.id, status: 'CANCELED', statusReason: expect.any(String) });
    expect(res.json().data.events.map((e: { type: string; newStatus: string }) => [e.type, e.newStatus])).toEqual([
      ['Accepted', 'SCHEDULED'],
      ['Canceled', 'CANCELED'],
    ]);
    expect(await report()).toEqual({ CANCELED: 1 });
    const { rows } = await testPool().query<{ payload: { data: { status: string; previousStatus: string } } }>(
      `SELECT "payload" FROM "WebhookDelivery" WHERE "emailId" = $1`,
      [email.id],
    );
    expect(rows.map((r) => [r.payload.data.previousStatus, r.payload.data.status])).toEqual([
      ['SCHEDULED', 'CANCELED'],
    ]);

    const again = await call('POST', `/emails/${email.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/is CANCELED, not SCHEDULED/);
    const reschedule = await call('POST', `/emails/${email.id}/reschedule`, { sendAt: inSeconds(60) });
    expect(reschedule.statusCode).toBe(409);
    // A cancelled email is never released, even once its time has come.
    await testPool().query(`UPDATE "Email" SET "sendAt" = now() - interval '1 minute' WHERE "id" = $1`, [email.id]);
    await app.get(ScheduledEmails).releaseDue();
    expect((await row(email.id)).status).toBe('CANCELED');
  });

  it('answers 409 naming the status when the email is not scheduled (queued, or released meanwhile)', async () => {
    const queued = (await call('POST', '/emails', message())).json().data;
    const res = await call('POST', `/emails/${queued.id}/cancel`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is QUEUED/) });

    const email = await schedule();
    await testPool().query(`UPDATE "Email" SET "sendAt" = now() - interval '1 second' WHERE "id" = $1`, [email.id]);
    expect(await app.get(ScheduledEmails).releaseDue()).toBeGreaterThanOrEqual(1);
    expect((await row(email.id)).status).toBe('QUEUED');
    expect((await call('POST', `/emails/${email.id}/cancel`)).json().error.message).toMatch(/is QUEUED/);
  });

  it('reschedules a scheduled email, keeping the change in its history', async () => {
    const email = await schedule();
    const sendAt = inSeconds(7200);
    const res = await call('POST', `/emails/${email.id}/reschedule`, { sendAt });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ status: 'SCHEDULED', sendAt: new Date(sendAt).toISOString() });
    const rescheduled = res.json().data.events.find((e: { type: string }) => e.type === 'Rescheduled');
    expect(rescheduled).toMatchObject({ status: 'SCHEDULED', newStatus: null, details: { sendAt } });
    expect((await row(email.id)).sendAt?.toISOString()).toBe(new Date(sendAt).toISOString());

    const bad = await call('POST', `/emails/${email.id}/reschedule`, { sendAt: inSeconds(-3600) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ field: 'sendAt', message: 'sendAt must not be in the past' }]);
    const missing = await call('POST', `/emails/${email.id}/reschedule`, {});
    expect(missing.json().error.details).toEqual([{ field: 'sendAt', message: 'sendAt is required' }]);
  });

  it('does not let another account see, cancel or reschedule an email (404, nothing changes)', async () => {
    const email = await schedule();
    for (const res of [
      await call('POST', `/emails/${email.id}/cancel`, undefined, other.apiKey),
      await call('POST', `/emails/${email.id}/reschedule`, { sendAt: inSeconds(60) }, other.apiKey),
      await call('POST', `/emails/00000000-0000-4000-8000-000000000000/cancel`),
      await call('POST', `/emails/not-a-uuid/cancel`),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    expect((await row(email.id)).status).toBe('SCHEDULED');
  });

  it('lists scheduled and cancelled emails by status', async () => {
    const kept = await schedule({ clientId: 'filter-test' });
    const dropped = await schedule({ clientId: 'filter-test' });
    await call('POST', `/emails/${dropped.id}/cancel`);
    const ids = async (status: string) =>
      (await call('GET', `/emails?clientId=filter-test&status=${status}`))
        .json()
        .data.items.map((e: { id: string }) => e.id);
    expect(await ids('SCHEDULED')).toEqual([kept.id]);
    expect(await ids('CANCELED')).toEqual([dropped.id]);
  });
});
