import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EmailStatus, statusRank } from '@postline/contracts';
import { closeTestPool, createAccount, eventually, type TestAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import {
  allApplied,
  eventsTestEnv,
  insertEmail,
  postToSns,
  receiptState,
  sesRecord,
  signedNotification,
  startEventsApp,
  statusOf,
} from '../../test/events-test-kit';
import { SesEventApplier } from './ses-event-applier.service';

eventsTestEnv();

/** Each SES event of the fixture set (bare record file) and the status it maps to. */
const EVENTS: [string, EmailStatus][] = [
  ['send.json', 'SENT'],
  ['delivery.json', 'DELIVERED'],
  ['delivery-delay.json', 'DELAYED'],
  ['bounce-transient.json', 'BOUNCED'],
  ['bounce-undetermined.json', 'BOUNCED'],
  ['bounce-permanent.json', 'BOUNCED_PERMANENT'],
  ['bounce-suppressed.json', 'BLACKLISTED'],
  ['complaint.json', 'COMPLAINED'],
  ['reject.json', 'NOT_SENT'],
  ['rendering-failure.json', 'NOT_SENT'],
  ['open.json', 'OPEN'],
  ['click.json', 'CLICK'],
  ['subscription.json', 'UNSUBSCRIBED'],
];

const highest = (...statuses: EmailStatus[]) => statuses.reduce((a, b) => (statusRank(b) > statusRank(a) ? b : a));

describe('applying SES events', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    app = await startEventsApp();
    account = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  async function deliver(envelopes: { MessageId: string }[]): Promise<void> {
    const responses = await Promise.all(envelopes.map((e) => postToSns(app, e)));
    expect(responses.map((r) => r.status)).toEqual(envelopes.map(() => 200));
    await eventually(() => allApplied(envelopes.map((e) => e.MessageId)), 20_000);
  }

  it('ends in the same status whatever the order of any two events', async () => {
    const pairs: { a: number; b: number; email: { id: string; to: string; sesMessageId: string | null } }[] = [];
    for (let a = 0; a < EVENTS.length; a++) {
      for (let b = 0; b < EVENTS.length; b++) {
        if (a !== b) pairs.push({ a, b, email: await insertEmail(account) });
      }
    }
    await deliver(pairs.map((p) => signedNotification(sesRecord(EVENTS[p.a][0], p.email))));
    await deliver(pairs.map((p) => signedNotification(sesRecord(EVENTS[p.b][0], p.email))));

    const { rows } = await testPool().query<{ id: string; status: EmailStatus }>(
      `SELECT "id", "status" FROM "Email" WHERE "id" = ANY($1::uuid[])`,
      [pairs.map((p) => p.email.id)],
    );
    const status = new Map(rows.map((r) => [r.id, r.status]));
    const mismatches = pairs.filter((p) => {
      const reverse = pairs.find((q) => q.a === p.b && q.b === p.a) as (typeof pairs)[number];
      const expected = highest('SENT', EVENTS[p.a][1], EVENTS[p.b][1]);
      return status.get(p.email.id) !== status.get(reverse.email.id) || status.get(p.email.id) !== expected;
    });
    expect(mismatches.map((p) => `${EVENTS[p.a][0]} then ${EVENTS[p.b][0]}: ${status.get(p.email.id)}`)).toEqual([]);
  });

  it('keeps every event in the history with its details, and moves the status only up', async () => {
    const email = await insertEmail(account);
    await deliver([signedNotification(sesRecord('click.json', email))]);
    await deliver([
      signedNotification(sesRecord('bounce-transient.json', email)),
      signedNotification(sesRecord('delivery-delay.json', email)),
    ]);

    expect(await statusOf(email.id)).toBe('CLICK');
    const { rows } = await testPool().query<{
      type: string;
      mappedStatus: string;
      newStatus: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT "type", "mappedStatus", "newStatus", "details" FROM "EmailEvent" WHERE "emailId" = $1 AND "source" = 'SES' ORDER BY "type"`,
      [email.id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        type: 'Bounce',
        mappedStatus: 'BOUNCED',
        newStatus: null,
        details: expect.objectContaining({
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipient: email.to,
        }),
      }),
      expect.objectContaining({
        type: 'Click',
        newStatus: 'CLICK',
        details: expect.objectContaining({
          link: expect.stringContaining('docs.aws.amazon.com'),
          userAgent: expect.any(String),
        }),
      }),
      expect.objectContaining({
        type: 'DeliveryDelay',
        newStatus: null,
        details: expect.objectContaining({ delayType: 'TransientCommunicationFailure' }),
      }),
    ]);
  });

  it.each([
    ['bounce-permanent.json', 'HARD_BOUNCE'],
    ['bounce-suppressed.json', 'HARD_BOUNCE'],
    ['complaint.json', 'COMPLAINT'],
    ['subscription.json', 'UNSUBSCRIBE'],
    ['bounce-transient.json', null],
    ['bounce-undetermined.json', null],
    ['delivery-delay.json', null],
    ['delivery.json', null],
  ])('%s puts the address on the suppression list: %s', async (file, reason) => {
    const email = await insertEmail(account, { to: `Mixed.${randomUUID().slice(0, 6)}@Example.com` });
    await deliver([signedNotification(sesRecord(file, email))]);
    const { rows } = await testPool().query(
      `SELECT "reason", "emailId" FROM "Suppression" WHERE "accountId" = $1 AND "address" = $2`,
      [account.accountId, email.to.toLowerCase()],
    );
    expect(rows).toEqual(reason ? [{ reason, emailId: email.id }] : []);
  });

  it('confirms an ambiguous dispatch with the Send event and records its SES MessageId', async () => {
    const email = await insertEmail(account, { status: 'DEQUEUED', sesMessageId: null, dispatchState: 'AMBIGUOUS' });
    const sesMessageId = `0100${randomUUID()}-000000`;
    await deliver([signedNotification(sesRecord('send.json', { ...email, sesMessageId }))]);
    const { rows } = await testPool().query(
      `SELECT "status", "sesMessageId", "dispatchState", "sentAt" FROM "Email" WHERE "id" = $1`,
      [email.id],
    );
    expect(rows[0]).toMatchObject({
      status: 'SENT',
      sesMessageId,
      dispatchState: 'CONFIRMED',
      sentAt: expect.any(Date),
    });
  });

  it('applies an event that arrives before its email is known as sent once the sender has recorded it', async () => {
    const email = await insertEmail(account, { status: 'DEQUEUED', sesMessageId: null, dispatchState: 'STARTED' });
    const sesMessageId = `0100${randomUUID()}-000000`;
    // An identity-level notification carries no email_id tag: only the SES MessageId links it to the email.
    const envelope = signedNotification(sesRecord('delivery.json', { ...email, sesMessageId }, { tag: false }));
    expect((await postToSns(app, envelope)).status).toBe(200);
    await eventually(async () => ((await receiptState(envelope.MessageId))?.attempts ?? 0) >= 1);
    expect(await receiptState(envelope.MessageId)).toMatchObject({ state: 'PENDING', outcome: 'unknown-email' });

    await testPool().query(
      `UPDATE "Email" SET "status" = 'SENT', "sesMessageId" = $2, "dispatchState" = 'CONFIRMED' WHERE "id" = $1`,
      [email.id, sesMessageId],
    );
    await eventually(async () => (await receiptState(envelope.MessageId))?.state === 'APPLIED', 5_000);
    expect(await statusOf(email.id)).toBe('DELIVERED');
  });

  it('parks an event whose email never shows up, lists it for operators, and replays it on request', async () => {
    const sesMessageId = `0100${randomUUID()}-000000`;
    const envelope = signedNotification(
      sesRecord('bounce-permanent.json', { to: 'ghost@example.com', sesMessageId }, { tag: false }),
    );
    expect((await postToSns(app, envelope)).status).toBe(200);
    await eventually(async () => (await receiptState(envelope.MessageId))?.state === 'PARKED', 5_000);
    expect(await receiptState(envelope.MessageId)).toMatchObject({ attempts: 3, outcome: 'unknown-email' });

    expect((await app.inject({ method: 'GET', url: '/ses/parked' })).statusCode).toBe(401);
    const auth = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };
    const listed = await app.inject({ method: 'GET', url: '/ses/parked?limit=500', headers: auth });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.items).toContainEqual(
      expect.objectContaining({ snsMessageId: envelope.MessageId, eventType: 'Bounce', sesMessageId, attempts: 3 }),
    );
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/postline_ses_events_parked_total\{event_type="Bounce"\} [1-9]/);

    const email = await insertEmail(account, { to: 'ghost@example.com', sesMessageId });
    const replay = await app.inject({ method: 'POST', url: `/ses/parked/${envelope.MessageId}/replay`, headers: auth });
    expect(replay.statusCode).toBe(202);
    await eventually(async () => (await statusOf(email.id)) === 'BOUNCED_PERMANENT', 5_000);
    expect(
      (await app.inject({ method: 'POST', url: `/ses/parked/${envelope.MessageId}/replay`, headers: auth })).statusCode,
    ).toBe(404);
  });

  it('applies the good events of a batch that holds a broken one, and fails only that one', async () => {
    const emails = [await insertEmail(account), await insertEmail(account), await insertEmail(account)];
    const good = emails.slice(0, 2).map((email) => ({ id: randomUUID(), record: sesRecord('delivery.json', email) }));
    const broken = { id: randomUUID(), record: { ...sesRecord('bounce-permanent.json', emails[2]), bounce: {} } };
    for (const r of [...good, broken]) {
      await testPool().query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record") VALUES ($1, 'arn:aws:sns:us-east-1:1:t', $2, $3)`,
        [r.id, r.record.eventType, JSON.stringify(r.record)],
      );
    }
    const applier = app.get(SesEventApplier);
    const results = await Promise.allSettled([good[0], broken, good[1]].map((r) => applier.apply(r.id)));

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await statusOf(emails[0].id)).toBe('DELIVERED');
    expect(await statusOf(emails[1].id)).toBe('DELIVERED');
    expect(await receiptState(broken.id)).toMatchObject({ state: 'PENDING' });
  });

  it('queues the webhooks and the reputation event of an applied status change through the outbox', async () => {
    const email = await insertEmail(account, {
      callbacks: ['https://hooks.example.com/a', 'https://hooks.example.com/b'],
    });
    await deliver([signedNotification(sesRecord('bounce-permanent.json', email))]);

    const { rows } = await testPool().query(
      `SELECT "url", "payload" FROM "WebhookDelivery" WHERE "emailId" = $1 ORDER BY "url"`,
      [email.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].payload).toMatchObject({
      type: 'email.status',
      data: { status: 'BOUNCED_PERMANENT', previousStatus: 'SENT' },
    });
    const queue = new Queue('reputation-event', {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: process.env.QUEUE_PREFIX,
    });
    try {
      const job = await eventually(() => queue.getJob(`${email.id}_hard-bounce`));
      expect(job.data).toMatchObject({
        events: [{ accountId: account.accountId, emailId: email.id, kind: 'hard-bounce' }],
      });
    } finally {
      await queue.close();
    }
  });
});
