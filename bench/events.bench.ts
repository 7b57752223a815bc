import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigService } from '@nestjs/config';
import { QueueName } from '@postline/contracts';
import { StatusRecorder } from '@postline/email-ledger';
import type { OutboxRelay, PostgresOutage } from '@postline/queue';
import { type SesEventRecord, signSnsEnvelope } from '@postline/ses';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { Pool as HttpPool } from 'undici';
import { SesEventApplier } from '../apps/events/src/apply/ses-event-applier.service';
import type { Env } from '../apps/events/src/env';
import { loadOrCreateSigningMaterial, type SigningMaterial } from '../tools/ses-simulator/src/signing-material';
import {
  benchAccount,
  benchDatabase,
  pct,
  startProcess,
  stopProcess,
  runBench,
  dropQueueKeys,
} from './support/bench-env';
import { freePort } from '@postline/testing';

// npm run bench:events — SNS notifications POSTed to the events app as fast as it takes them (received/s), then
// applied by its ses-event worker (events/s), against the same-run ceiling: the same receipts applied by the
// same statements (SesEventApplier + StatusRecorder) on a plain pg pool in a loop, without HTTP, BullMQ or Nest.
const EMAILS = Number(process.env.BENCH_EMAILS ?? 5_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** The worker's EVENTS_CONCURRENCY, which is also the ceiling loop's number of events in flight. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const REGION = 'us-east-1';
const TOPIC_ARN = `arn:aws:sns:${REGION}:000000000000:postline-bench`;
const KINDS = ['Delivery', 'Open', 'Click'] as const;

interface BenchEmail {
  id: string;
  to: string;
  sesMessageId: string;
}

/** SENT emails spread over ten campaigns, as the sender leaves them. */
async function insertEmails(db: Pool, accountId: string, operatorId: string, count: number): Promise<BenchEmail[]> {
  const emails = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    to: `reader-${i}@example.com`,
    sesMessageId: `0100${randomUUID()}-000000`,
    externalId: `campaign-${i % 10}`,
  }));
  for (let i = 0; i < emails.length; i += 5_000) {
    await db.query(
      `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "externalId", "status", "sequence",
         "sesMessageId", "dispatchState", "createdAt", "updatedAt", "sentAt")
       SELECT v."id", $2, $3, v."to", 'news@elipackage.test', 'Spring', 'Spring sale', v."externalId", 'SENT', 1,
         v."sesMessageId", 'CONFIRMED', now(), now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "to" text, "sesMessageId" text, "externalId" text)`,
      [JSON.stringify(emails.slice(i, i + 5_000)), accountId, operatorId],
    );
  }
  return emails;
}

/** The SES event records of one email, as SES publishes them (email_id tag included). */
function records(email: BenchEmail): SesEventRecord[] {
  const sent = Date.now() - 60_000;
  const mail = {
    timestamp: new Date(sent).toISOString(),
    source: 'news@elipackage.test',
    sendingAccountId: '000000000000',
    messageId: email.sesMessageId,
    destination: [email.to],
    tags: { 'ses:configuration-set': ['bench'], email_id: [email.id] },
  };
  const at = (ms: number) => new Date(sent + ms).toISOString();
  return KINDS.map((kind): SesEventRecord => {
    switch (kind) {
      case 'Delivery':
        return {
          eventType: 'Delivery',
          mail,
          delivery: { timestamp: at(1_000), recipients: [email.to], smtpResponse: '250 ok' },
        };
      case 'Open':
        return {
          eventType: 'Open',
          mail,
          open: { timestamp: at(30_000), ipAddress: '192.0.2.1', userAgent: 'Mozilla/5.0' },
        };
      case 'Click':
        return {
          eventType: 'Click',
          mail,
          click: { timestamp: at(40_000), link: 'https://elipackage.test/sale', ipAddress: '192.0.2.1' },
        };
    }
  });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function signedBodies(emails: BenchEmail[], signing: SigningMaterial): { messageId: string; body: string }[] {
  return shuffle(emails.flatMap(records)).map((record) => {
    const envelope = signSnsEnvelope(
      {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: TOPIC_ARN,
        Message: JSON.stringify(record),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        SigningCertURL: signing.certUrl(REGION),
      },
      signing.privateKey,
    );
    return { messageId: envelope.MessageId, body: JSON.stringify(envelope) };
  });
}

/** POSTs every body with CONNECTIONS requests in flight; returns seconds and the number of non-200 answers. */
async function postAll(url: string, bodies: string[]): Promise<{ seconds: number; failed: number }> {
  const target = new URL(url);
  const http = new HttpPool(target.origin, { connections: CONNECTIONS });
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const res = await http.request({
          method: 'POST',
          path: target.pathname,
          headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
          body: bodies[i],
        });
        await res.body.dump();
        if (res.statusCode !== 200) failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await http.close();
  return { seconds, failed };
}

async function waitApplied(db: Pool, total: number, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "SnsReceipt" WHERE "state" = 'APPLIED'`,
    );
    if (rows[0].n >= total) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) throw new Error(`only ${rows[0].n} of ${total} applied`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The ceiling: the worker's statements, in-process on a plain pool, IN_FLIGHT events at a time. */
async function ceiling(databaseUrl: string, messageIds: string[]): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 20 });
  const relay = { nudge: () => undefined } as unknown as OutboxRelay;
  const settings: Partial<Env> = {
    EVENTS_MAX_BATCH: 500,
    EVENTS_UNKNOWN_EMAIL_RETRIES: 0,
    EVENTS_UNKNOWN_EMAIL_DELAY_MS: 1000,
  };
  const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
  const outage = { report: () => false } as unknown as PostgresOutage;
  const applier = new SesEventApplier(pool, new StatusRecorder(pool, relay), relay, config, outage);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < messageIds.length; i = next++) {
        const result = await applier.apply(messageIds[i]);
        if (result.kind !== 'done') throw new Error(`ceiling: ${messageIds[i]} ${result.kind}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return seconds;
}

async function main(): Promise<void> {
  const db = await benchDatabase('events');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const prefix = `{bench-events-${Date.now()}}`;
  const dir = mkdtempSync(join(tmpdir(), 'postline-bench-sns-'));
  const signing = loadOrCreateSigningMaterial(join(dir, 'key.pem'), join(dir, 'cert.pem'));
  const queue = new Queue(QueueName.SesEvent, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
  try {
    const account = await benchAccount(db.url);
    const emails = await insertEmails(pool, account.accountId, account.operatorId, EMAILS);
    const notifications = signedBodies(emails, signing);
    const total = notifications.length;

    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      LOG_LEVEL: 'error',
      SNS_CERT_FILE: join(dir, 'cert.pem'),
      SNS_TOPIC_ARNS: TOPIC_ARN,
      EVENTS_CONCURRENCY: String(IN_FLIGHT),
    };
    const events = await startProcess('apps/events/src/main.ts', env, `http://127.0.0.1:${port}/health`);
    const url = `http://127.0.0.1:${port}/ses/notifications`;
    // Receiving alone: the worker waits (queue paused) while every notification is POSTed.
    await queue.pause();
    const received = await postAll(
      url,
      notifications.map((n) => n.body),
    );
    await new Promise((r) => setTimeout(r, 1000)); // the outbox relay moves the last jobs to Redis
    await queue.resume();
    const applySeconds = await waitApplied(pool, total);
    await stopProcess(events);

    const { rows: check } = await pool.query<{ events: number; clicked: number }>(
      `SELECT (SELECT count(*)::int FROM "EmailEvent" WHERE "source" = 'SES') AS "events",
              (SELECT count(*)::int FROM "Email" WHERE "status" = 'CLICK') AS "clicked"`,
    );

    // Ceiling on a fresh set of emails: the same receipts, stored directly, applied in-process.
    const fresh = await insertEmails(pool, account.accountId, account.operatorId, EMAILS);
    const receipts = shuffle(fresh.flatMap(records)).map((record) => ({ messageId: randomUUID(), record }));
    for (let i = 0; i < receipts.length; i += 5_000) {
      await pool.query(
        `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "sesMessageId", "record")
         SELECT v."messageId", $2, v."record" ->> 'eventType', v."record" #>> '{mail,messageId}', v."record"
         FROM jsonb_to_recordset($1::jsonb) AS v("messageId" text, "record" jsonb)`,
        [JSON.stringify(receipts.slice(i, i + 5_000)), TOPIC_ARN],
      );
    }
    const ceilingSeconds = await ceiling(
      db.url,
      receipts.map((r) => r.messageId),
    );

    const receivedRate = total / received.seconds;
    const appliedRate = total / applySeconds;
    const ceilingRate = receipts.length / ceilingSeconds;
    console.log(
      `\n${total} SNS notifications (${EMAILS} emails × Delivery, Open, Click; shuffled), ${CONNECTIONS} connections`,
    );
    console.log(`received   ${receivedRate.toFixed(0)} notifications/s   (non-200: ${received.failed})`);
    console.log(
      `applied    ${appliedRate.toFixed(0)} events/s   (worker, EVENTS_CONCURRENCY=${IN_FLIGHT}; goal ≥ 2,000)`,
    );
    console.log(`ceiling    ${ceilingRate.toFixed(0)} events/s   (same statements, plain pg, ${IN_FLIGHT} in flight)`);
    console.log(`ratio      ${pct(appliedRate, ceilingRate)}`);
    console.log(
      `check      ${check[0].events} SES events recorded for ${total} notifications; ${check[0].clicked} of ${EMAILS} emails at CLICK`,
    );
  } finally {
    await queue.close();
    await dropQueueKeys(prefix);
    await pool.end();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
