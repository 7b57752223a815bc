import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmailStatus } from '@postline/contracts';
import type { SesEventRecord, SnsEnvelope } from '@postline/ses';
import { signSnsEnvelope } from '@postline/ses';
import { createTestApp, type TestAccount, testPool } from '@postline/testing';
import {
  FIXTURE_CERT_URL,
  FIXTURE_TOPIC_ARN,
  readFixtureText,
  TEST_SIGNING_CERT_FILE,
  testSigningKey,
} from '../../../libs/ses/src/testing/ses-fixtures';

export { FIXTURE_TOPIC_ARN, TEST_SIGNING_CERT_FILE };

/** Settings every events integration test file shares; call before importing the app module. */
export function eventsTestEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    SNS_CERT_FILE: TEST_SIGNING_CERT_FILE,
    // As against AWS: the fixtures' topic is the only one listed.
    SNS_TOPIC_ARNS: FIXTURE_TOPIC_ARN,
    // The shared fixtures are signed in 2016–2022.
    SNS_MAX_AGE_SECONDS: '0',
    EVENTS_UNKNOWN_EMAIL_RETRIES: '2',
    EVENTS_UNKNOWN_EMAIL_DELAY_MS: '100',
    ...extra,
  });
}

export async function startEventsApp(): Promise<NestFastifyApplication> {
  const { AppModule } = await import('../src/app.module');
  const { configureEvents } = await import('../src/configure-app');
  return createTestApp(AppModule, configureEvents);
}

export interface TestEmail {
  id: string;
  to: string;
  sesMessageId: string | null;
}

/** An email as the sender leaves it (SENT with its SES MessageId by default), written straight to the database. */
export async function insertEmail(
  account: TestAccount,
  opts: {
    status?: EmailStatus;
    sesMessageId?: string | null;
    to?: string;
    callbacks?: string[];
    dispatchState?: 'NONE' | 'STARTED' | 'CONFIRMED' | 'AMBIGUOUS';
    externalId?: string;
  } = {},
): Promise<TestEmail> {
  const id = randomUUID();
  const to = opts.to ?? `rcpt-${id.slice(0, 8)}@example.com`;
  const status = opts.status ?? 'SENT';
  const sesMessageId = opts.sesMessageId === undefined ? `0100${randomUUID()}-000000` : opts.sesMessageId;
  await testPool().query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "status", "sequence",
       "sesMessageId", "dispatchState", "callbacks", "externalId", "createdAt", "updatedAt", "sentAt")
     VALUES ($1, $2, $3, $4, 'sender@example.com', 'Hello', 'Hi', $5::"EmailStatus", 1, $6, $7::"DispatchState", $8, $9,
       now(), now(), CASE WHEN $5 = 'SENT' THEN now() END)`,
    [
      id,
      account.accountId,
      account.operatorId,
      to,
      status,
      sesMessageId,
      opts.dispatchState ?? 'CONFIRMED',
      opts.callbacks ?? [],
      opts.externalId ?? null,
    ],
  );
  return { id, to, sesMessageId };
}

/** A bare SES record of the fixture set, rewritten for one email: its address, SES MessageId and email_id tag. */
export function sesRecord(
  bareFile: string,
  email: { id?: string; to: string; sesMessageId: string | null },
  opts: { tag?: boolean } = {},
): SesEventRecord {
  const text = readFixtureText(`bare/${bareFile}`)
    .replaceAll('recipient@example.com', email.to)
    .replaceAll('EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000', email.sesMessageId ?? 'unknown')
    .replaceAll('EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000', email.sesMessageId ?? 'unknown');
  const record = JSON.parse(text) as SesEventRecord;
  if (opts.tag !== false && email.id) record.mail.tags = { ...record.mail.tags, email_id: [email.id] };
  return record;
}

/** An SNS notification carrying `record`, signed with the fixtures' test key. */
export function signedNotification(
  record: unknown,
  opts: { messageId?: string; topicArn?: string; timestamp?: string; version?: '1' | '2' } = {},
): SnsEnvelope {
  return signSnsEnvelope(
    {
      Type: 'Notification',
      MessageId: opts.messageId ?? randomUUID(),
      TopicArn: opts.topicArn ?? FIXTURE_TOPIC_ARN,
      Message: typeof record === 'string' ? record : JSON.stringify(record),
      Timestamp: opts.timestamp ?? new Date().toISOString(),
      SignatureVersion: opts.version ?? '1',
      SigningCertURL: FIXTURE_CERT_URL,
      UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${FIXTURE_TOPIC_ARN}:1`,
    },
    signingKey(),
  );
}

let key: string | undefined;
function signingKey(): string {
  key ??= testSigningKey();
  return key;
}

/** POSTs a body the way SNS does: text/plain JSON with the x-amz-sns-* headers. */
export async function postToSns(
  app: NestFastifyApplication,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const response = await app.inject({
    method: 'POST',
    url: '/ses/notifications',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': String(envelope.Type ?? ''),
      'x-amz-sns-message-id': String(envelope.MessageId ?? ''),
      'x-amz-sns-topic-arn': String(envelope.TopicArn ?? ''),
    },
    payload,
  });
  return { status: response.statusCode, json: response.json<Record<string, unknown>>() };
}

export async function statusOf(emailId: string): Promise<EmailStatus> {
  const { rows } = await testPool().query<{ status: EmailStatus }>(`SELECT "status" FROM "Email" WHERE "id" = $1`, [
    emailId,
  ]);
  return rows[0].status;
}

export async function receiptState(
  messageId: string,
): Promise<{ state: string; attempts: number; outcome: string | null } | undefined> {
  const { rows } = await testPool().query<{ state: string; attempts: number; outcome: string | null }>(
    `SELECT "state", "attempts", "outcome" FROM "SnsReceipt" WHERE "messageId" = $1`,
    [messageId],
  );
  return rows[0];
}

/** Resolves once none of these receipts is still waiting to be applied. */
export async function allApplied(messageIds: string[]): Promise<boolean> {
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "SnsReceipt" WHERE "messageId" = ANY($1::text[]) AND "state" = 'APPLIED'`,
    [messageIds],
  );
  return rows[0].n === messageIds.length;
}
