import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueueName } from '@postline/contracts';
import type { SesEventRecord } from '@postline/ses';
import { closeTestPool, createAccount, eventually, type TestAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import {
  eventsTestEnv,
  insertEmail,
  postToSns,
  receiptState,
  sesRecord,
  signedNotification,
  startEventsApp,
  statusOf,
  type TestEmail,
} from '../../test/events-test-kit';
import { SesEventApplier } from './ses-event-applier.service';

eventsTestEnv();

const ADMIN = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

interface Claims {
  sesMessageId: string | null;
  emailId: string;
  accountId: string;
  to: string;
}

/** An SES record (bare fixture file) that says exactly `claims`: SES MessageId, email_id and account_id tags, recipient. */
function recordClaiming(file: string, claims: Claims): SesEventRecord {
  const record = sesRecord(file, { to: claims.to, sesMessageId: claims.sesMessageId }, { tag: false });
  record.mail.tags = { ...record.mail.tags, email_id: [claims.emailId], account_id: [claims.accountId] };
  return record;
}

/** Everything an applied event would leave behind for an email and its account. */
async function footprint(email: TestEmail, account: TestAccount, reputation: Queue): Promise<Record<string, unknown>> {
  const { rows } = await testPool().query(
    `SELECT e."status", e."sequence", e."sesMessageId", e."complainedAt",
       (SELECT count(*)::int FROM "EmailEvent" WHERE "emailId" = e."id") AS "events",
       (SELECT count(*)::int FROM "Suppression" WHERE "accountId" = e."accountId") AS "suppressions",
       (SELECT count(*)::int FROM "WebhookDelivery" WHERE "emailId" = e."id") AS "callbacks",
       (SELECT count(*)::int FROM "CampaignStats" WHERE "accountId" = e."accountId") AS "campaignStats",
       (SELECT count(*)::int FROM "OutboxEvent" WHERE "jobs"::text LIKE '%' || e."id" || '%') AS "outbox"
     FROM "Email" e WHERE e."id" = $1`,
    [email.id],
  );
  const jobs = await reputation.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
  const reputationJobs = jobs.filter((job) => JSON.stringify(job.data).includes(account.accountId)).length;
  return { ...rows[0], reputationJobs };
}

describe('an SES event must prove which email it belongs to', () => {
  let app: NestFastifyApplication;
  let reputation: Queue;
  let a: TestAccount;
  let b: TestAccount;

  beforeAll(async () => {
    app = await startEventsApp();
    reputation = new Queue(QueueName.ReputationEvent, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: process.env.QUEUE_PREFIX,
    });
    a = await createAccount();
    b = await createAccount();
  });

  afterAll(async () => {
    await reputation.close();
    await app.close();
    await closeTestPool();
  });

  const victim = () => insertEmail(b, { callbacks: ['https://hooks.example.com/b'], externalId: 'spring' });

  async function postAndSettle(record: SesEventRecord): Promise<string> {
    const envelope = signedNotification(record);
    expect((await postToSns(app, envelope)).status).toBe(200);
    await eventually(async () => ((await receiptState(envelope.MessageId))?.state ?? 'PENDING') !== 'PENDING');
    return envelope.MessageId;
  }

  it("parks a complaint naming B's email with A's SES MessageId, account and recipient; B is untouched", async () => {
    const own = await insertEmail(a);
    const target = await victim();
    const before = await footprint(target, b, reputation);

    const messageId = await postAndSettle(
      recordClaiming('complaint.json', {
        sesMessageId: own.sesMessageId,
        emailId: target.id,
        accountId: a.accountId,
        to: own.to,
      }),
    );

    expect(await receiptState(messageId)).toMatchObject({
      state: 'PARKED',
      outcome: expect.stringMatching(/^contradicted: /),
    });
    expect(await footprint(target, b, reputation)).toEqual(before);
    expect(before).toMatchObject({ status: 'SENT', events: 0, suppressions: 0, callbacks: 0, reputationJobs: 0 });
    expect(await statusOf(own.id)).toBe('SENT');

    const listed = await app.inject({ method: 'GET', url: '/ses/parked?limit=500', headers: ADMIN });
    expect(listed.json().data.items).toContainEqual(
      expect.objectContaining({
        snsMessageId: messageId,
        eventType: 'Complaint',
        emailIdTag: target.id,
        reason: expect.stringMatching(/^contradicted: .*SES MessageId/),
      }),
    );
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/postline_ses_events_total\{event_type="Complaint",outcome="contradicted"\} [1-9]/);

    // A replay checks it again: still parked, still not applied.
    const replay = await app.inject({ method: 'POST', url: `/ses/parked/${messageId}/replay`, headers: ADMIN });
    expect(replay.statusCode).toBe(202);
    await eventually(async () => (await receiptState(messageId))?.state === 'PARKED');
    expect(await footprint(target, b, reputation)).toEqual(before);
  });

  it.each<[string, string, (own: TestEmail, target: TestEmail) => Claims]>([
    [
      'its SES MessageId',
      'SES MessageId',
      (own, target) => ({ sesMessageId: own.sesMessageId, emailId: target.id, accountId: b.accountId, to: target.to }),
    ],
    [
      'its account_id tag',
      'account_id',
      (_own, target) => ({
        sesMessageId: target.sesMessageId,
        emailId: target.id,
        accountId: a.accountId,
        to: target.to,
      }),
    ],
    [
      'its recipient',
      'recipient other',
      (own, target) => ({ sesMessageId: target.sesMessageId, emailId: target.id, accountId: b.accountId, to: own.to }),
    ],
  ])('parks an event that agrees in everything but %s', async (_what, reason, claims) => {
    const own = await insertEmail(a);
    const target = await victim();
    const before = await footprint(target, b, reputation);

    const messageId = await postAndSettle(recordClaiming('bounce-permanent.json', claims(own, target)));

    expect(await receiptState(messageId)).toMatchObject({ state: 'PARKED', outcome: expect.stringContaining(reason) });
    expect(await footprint(target, b, reputation)).toEqual(before);
  });

  it('parks a complaint whose complained recipient is not the one the email went to', async () => {
    const target = await victim();
    const before = await footprint(target, b, reputation);
    const record = recordClaiming('complaint.json', { ...target, emailId: target.id, accountId: b.accountId });
    if (record.eventType !== 'Complaint') throw new Error('complaint.json is a Complaint');
    record.complaint.complainedRecipients = [{ emailAddress: 'someone-else@example.com' }];

    const messageId = await postAndSettle(record);

    expect(await receiptState(messageId)).toMatchObject({
      state: 'PARKED',
      outcome: expect.stringContaining('someone-else'),
    });
    expect(await footprint(target, b, reputation)).toEqual(before);
  });

  it('applies an event that agrees in everything', async () => {
    const target = await victim();
    const messageId = await postAndSettle(
      recordClaiming('complaint.json', { ...target, emailId: target.id, accountId: b.accountId }),
    );
    expect(await receiptState(messageId)).toMatchObject({ state: 'APPLIED', outcome: 'applied' });
    expect(await statusOf(target.id)).toBe('COMPLAINED');
  });

  it('applies events that arrive before the SES MessageId is known, and then holds later ones to it', async () => {
    const email = await insertEmail(b, { status: 'DEQUEUED', sesMessageId: null, dispatchState: 'STARTED' });
    const sesMessageId = `0100${randomUUID()}-000000`;
    const claims = { sesMessageId, emailId: email.id, accountId: b.accountId, to: email.to };

    // SES published Delivery and Send before SendEmail answered the sender.
    const delivery = await postAndSettle(recordClaiming('delivery.json', claims));
    expect(await receiptState(delivery)).toMatchObject({ state: 'APPLIED', outcome: 'applied' });
    const send = await postAndSettle(recordClaiming('send.json', claims));
    expect(await receiptState(send)).toMatchObject({ state: 'APPLIED' });
    const { rows } = await testPool().query(`SELECT "status", "sesMessageId" FROM "Email" WHERE "id" = $1`, [email.id]);
    expect(rows[0]).toEqual({ status: 'DELIVERED', sesMessageId });

    // From now on the email has an SES MessageId, and an event with another one is not its.
    const other = await postAndSettle(
      recordClaiming('complaint.json', { ...claims, sesMessageId: `0100${randomUUID()}-000000` }),
    );
    expect(await receiptState(other)).toMatchObject({ state: 'PARKED' });
    expect(await statusOf(email.id)).toBe('DELIVERED');
  });

  it('parks an event of the wrong account even before the SES MessageId is known', async () => {
    const email = await insertEmail(b, { status: 'DEQUEUED', sesMessageId: null, dispatchState: 'STARTED' });
    const messageId = await postAndSettle(
      recordClaiming('send.json', {
        sesMessageId: `0100${randomUUID()}-000000`,
        emailId: email.id,
        accountId: a.accountId,
        to: email.to,
      }),
    );
    expect(await receiptState(messageId)).toMatchObject({
      state: 'PARKED',
      outcome: expect.stringContaining('account_id'),
    });
    const { rows } = await testPool().query(`SELECT "status", "sesMessageId" FROM "Email" WHERE "id" = $1`, [email.id]);
    expect(rows[0]).toEqual({ status: 'DEQUEUED', sesMessageId: null });
  });

  it('parks the contradicted event of a batch and applies its neighbours in the same batch', async () => {
    const emails = [await insertEmail(b), await insertEmail(b), await insertEmail(b)];
    const forged = recordClaiming('complaint.json', { ...emails[1], emailId: emails[1].id, accountId: a.accountId });
    const receipts = [
      { id: randomUUID(), record: sesRecord('delivery.json', emails[0]) },
      { id: randomUUID(), record: forged },
      { id: randomUUID(), record: sesRecord('delivery.json', emails[2]) },
    ];
    for (const r of receipts) {
      await testPool().query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "record") VALUES ($1, 'arn:aws:sns:us-east-1:1:t', $2, $3)`,
        [r.id, r.record.eventType, JSON.stringify(r.record)],
      );
    }
    const results = await Promise.all(receipts.map((r) => app.get(SesEventApplier).apply(r.id)));

    expect(results).toEqual([
      { kind: 'done', outcome: 'applied' },
      { kind: 'parked', cause: 'contradicted', reason: "its account_id tag is not the email's account" },
      { kind: 'done', outcome: 'applied' },
    ]);
    expect(await Promise.all(emails.map((e) => statusOf(e.id)))).toEqual(['DELIVERED', 'SENT', 'DELIVERED']);
  });
});
