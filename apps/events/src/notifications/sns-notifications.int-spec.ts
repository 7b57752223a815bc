import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signSnsEnvelope } from '@postline/ses';
import { closeTestPool, createAccount, eventually, testPool } from '@postline/testing';
import {
  allApplied,
  eventsTestEnv,
  FIXTURE_TOPIC_ARN,
  insertEmail,
  postToSns,
  receiptState,
  sesRecord,
  signedNotification,
  startEventsApp,
  statusOf,
} from '../../test/events-test-kit';
import { fixtureManifest, readFixture, testSigningKey } from '../../../../libs/ses/src/testing/ses-fixtures';

eventsTestEnv({ SNS_TOPIC_ARNS: `${FIXTURE_TOPIC_ARN}, arn:aws:sns:us-east-1:123456789012:other-allowed` });

const FIXTURE_MESSAGE_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
const FIXTURE_SUBSCRIPTION_MESSAGE_ID = 'EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000';

async function receiptCount(): Promise<number> {
  const { rows } = await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "SnsReceipt"`);
  return rows[0].n;
}

describe('POST /ses/notifications', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  afterEach(() => jest.restoreAllMocks());

  it('verifies every fixture as SNS sends it, and applies each SES event to the email with that SES MessageId', async () => {
    const account = await createAccount();
    const main = await insertEmail(account, { sesMessageId: FIXTURE_MESSAGE_ID, to: 'recipient@example.com' });
    const other = await insertEmail(account, {
      sesMessageId: FIXTURE_SUBSCRIPTION_MESSAGE_ID,
      to: 'recipient@example.com',
    });
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('<ConfirmSubscriptionResponse/>', { status: 200 }));

    const messageIds: string[] = [];
    for (const fixture of fixtureManifest()) {
      const body = readFixture(fixture.file);
      if (fixture.eventType) messageIds.push(String(body.MessageId));
      const { status, json } = await postToSns(app, body);
      expect({ file: fixture.file, status }).toEqual({ file: fixture.file, status: 200 });
      const expected =
        fixture.snsType === 'SubscriptionConfirmation'
          ? 'subscription-confirmed'
          : fixture.snsType === 'UnsubscribeConfirmation'
            ? 'unsubscribe-noted'
            : fixture.eventType
              ? expect.stringMatching(/^(accepted|duplicate)$/)
              : 'ignored';
      expect((json.data as { result: string }).result).toEqual(expected);
    }
    expect(fetchSpy).toHaveBeenCalledTimes(2);

    await eventually(() => allApplied(messageIds));
    const { rows: events } = await testPool().query<{ type: string; details: Record<string, unknown> }>(
      `SELECT "type", "details" FROM "EmailEvent" WHERE "emailId" = $1 AND "source" = 'SES'`,
      [main.id],
    );
    const eventTypes = fixtureManifest()
      .filter((f) => f.eventType && f.eventType !== 'Subscription')
      .map((f) => f.eventType as string);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(eventTypes));
    // bounce-permanent.json and its sigv2 twin carry the same SES event: kept once.
    expect(events.filter((e) => e.type === 'Bounce')).toHaveLength(4);
    expect(await statusOf(main.id)).toBe('COMPLAINED');
    expect(await statusOf(other.id)).toBe('UNSUBSCRIBED');
    const { rows: suppressions } = await testPool().query(`SELECT "reason" FROM "Suppression" WHERE "accountId" = $1`, [
      account.accountId,
    ]);
    expect(suppressions).toHaveLength(1);
  });

  it('refuses (403) a notification whose signed fields were changed, and stores nothing', async () => {
    const before = await receiptCount();
    for (const field of ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Signature']) {
      const body = readFixture('delivery.json');
      body[field] =
        field === 'TopicArn'
          ? 'arn:aws:sns:us-east-1:123456789012:other-allowed'
          : field === 'Signature'
            ? String(body.Signature).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
            : field === 'Timestamp'
              ? '2016-10-19T23:21:05.563Z'
              : field === 'Message'
                ? String(body.Message).replace('"Delivery"', '"Bounce"')
                : randomUUID();
      const { status, json } = await postToSns(app, body);
      expect({ field, status, code: (json.error as { code: string }).code }).toEqual({
        field,
        status: 403,
        code: 'SNS_VERIFICATION_FAILED',
      });
    }
    expect(await receiptCount()).toBe(before);
  });

  it('refuses (403) a certificate URL on another host, even with a valid signature', async () => {
    const body = {
      ...readFixture('delivery.json'),
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem',
    };
    expect((await postToSns(app, body)).status).toBe(403);
  });

  it('refuses (403) a topic outside SNS_TOPIC_ARNS', async () => {
    const account = await createAccount();
    const email = await insertEmail(account);
    const envelope = signedNotification(sesRecord('delivery.json', email), {
      topicArn: 'arn:aws:sns:us-east-1:123456789012:stranger',
    });
    expect((await postToSns(app, envelope)).status).toBe(403);
    expect(await receiptState(envelope.MessageId)).toBeUndefined();
  });

  it('answers 400 to a body that is not JSON', async () => {
    expect((await postToSns(app, '{"Type": "Notification", ')).status).toBe(400);
  });

  it('accepts the same notification three times and records one event', async () => {
    const account = await createAccount();
    const email = await insertEmail(account);
    const envelope = signedNotification(sesRecord('delivery.json', email));

    const first = await postToSns(app, envelope);
    const again = await Promise.all([postToSns(app, envelope), postToSns(app, envelope)]);
    expect(first.status).toBe(200);
    expect((first.json.data as { result: string }).result).toBe('accepted');
    expect(again.map((r) => [r.status, (r.json.data as { result: string }).result])).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);

    await eventually(async () => (await receiptState(envelope.MessageId))?.state === 'APPLIED');
    const { rows } = await testPool().query(`SELECT 1 FROM "EmailEvent" WHERE "emailId" = $1 AND "type" = 'Delivery'`, [
      email.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(await statusOf(email.id)).toBe('DELIVERED');
  });

  it('confirms a subscription only on an SNS host, and asks SNS to retry when the confirmation fails', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    const confirmation = readFixture('sns-subscription-confirmation.sigv2.json');
    const failed = await postToSns(app, confirmation);
    expect(failed.status).toBe(502);
    expect(String(fetchSpy.mock.calls[0][0])).toBe(confirmation.SubscribeURL);

    fetchSpy.mockClear();
    const forged = { ...confirmation, SubscribeURL: 'https://attacker.example/?Action=ConfirmSubscription' };
    expect((await postToSns(app, forged)).status).toBe(403);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses (403) the SubscriptionConfirmation of a topic outside SNS_TOPIC_ARNS without visiting SubscribeURL', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('<ok/>', { status: 200 }));
    const stranger = 'arn:aws:sns:us-east-1:123456789012:stranger';
    const fixture = readFixture('sns-subscription-confirmation.json');
    const confirmation = signSnsEnvelope(
      {
        Type: 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        Token: String(fixture.Token),
        TopicArn: stranger,
        Message: `You have chosen to subscribe to the topic ${stranger}.`,
        SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${stranger}&Token=t`,
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        SigningCertURL: String(fixture.SigningCertURL),
      },
      testSigningKey(),
    );
    expect((await postToSns(app, confirmation)).status).toBe(403);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('does not visit SubscribeURL for an UnsubscribeConfirmation', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const { status } = await postToSns(app, readFixture('sns-unsubscribe-confirmation.json'));
    expect(status).toBe(200);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('acknowledges JSON that is not an SES event without storing it', async () => {
    const envelope = signedNotification({ hello: 'world' });
    const { status, json } = await postToSns(app, envelope);
    expect([status, (json.data as { result: string }).result]).toEqual([200, 'ignored']);
    expect(await receiptState(envelope.MessageId)).toBeUndefined();
  });

  it('also takes application/json bodies', async () => {
    const account = await createAccount();
    const email = await insertEmail(account);
    const envelope = signedNotification(sesRecord('open.json', email), { version: '2' });
    const response = await app.inject({ method: 'POST', url: '/ses/notifications', payload: envelope });
    expect(response.statusCode).toBe(200);
    await eventually(async () => (await statusOf(email.id)) === 'OPEN');
  });
});
