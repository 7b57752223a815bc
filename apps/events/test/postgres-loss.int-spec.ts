import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { eventually, freePort, TestPostgres } from '@postline/testing';
import { Client } from 'pg';
import { FIXTURE_TOPIC_ARN, sesRecord, signedNotification, TEST_SIGNING_CERT_FILE } from './events-test-kit';

const EMAILS = 3000;
const CONCURRENCY = 10;
const OUTAGE_MS = 18_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app as its own process, as `npm start` runs it, so that an exit would be seen. */
async function startApp(app: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
    {
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`)).ok, 60_000, 200);
  return { child, url };
}

// The events and reputation apps, each its own process, while Postgres is stopped under a stream of SNS
// notifications: neither exits, notifications get 503 (SNS delivers them again), and every acknowledged one
// is applied and counted for reputation once Postgres is back.
describe('events and reputation through a Postgres outage', () => {
  let pg: TestPostgres;
  let databaseUrl: string;
  const apps: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await TestPostgres.create('postline_evpg');
    databaseUrl = await pg.createDatabase('postline');
    execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
      stdio: 'pipe',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
  }, 120_000);

  afterAll(() => {
    for (const child of apps) child.kill('SIGKILL');
    pg?.remove();
  });

  it('keeps both apps running, answers 503 while it is down, and applies every acknowledged event after', async () => {
    const db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined); // the cluster stops under this client
    await db.connect();
    const [accountId, operatorId] = [randomUUID(), randomUUID()];
    await db.query(
      `INSERT INTO "Account" ("id", "name", "webhookSecret", "updatedAt") VALUES ($1, 'pg-loss', 'whsec_x', now())`,
      [accountId],
    );
    await db.query(`INSERT INTO "Operator" ("id", "accountId", "name") VALUES ($1, $2, 'ops')`, [
      operatorId,
      accountId,
    ]);
    const emails = Array.from({ length: EMAILS }, () => {
      const id = randomUUID();
      return { id, to: `rcpt-${id.slice(0, 8)}@example.com`, sesMessageId: `0100${randomUUID()}-000000` };
    });
    await db.query(
      `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "status", "sequence",
         "sesMessageId", "dispatchState", "callbacks", "createdAt", "updatedAt", "sentAt")
       SELECT v."id", $2, $3, v."to", 'sender@example.com', 'Hello', 'Hi', 'SENT', 1, v."sesMessageId", 'CONFIRMED',
         '{}', now(), now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "to" text, "sesMessageId" text)`,
      [JSON.stringify(emails), accountId, operatorId],
    );
    await db.end();

    const env = {
      DATABASE_URL: databaseUrl,
      SNS_CERT_FILE: TEST_SIGNING_CERT_FILE,
      SNS_TOPIC_ARNS: FIXTURE_TOPIC_ARN,
      SNS_MAX_AGE_SECONDS: '0',
      RECONCILE_EVERY_MS: '2000',
      RECONCILE_GRACE_MS: '2000',
    };
    const events = await startApp('events', env);
    const reputation = await startApp('reputation', env);
    apps.push(events.child, reputation.child);
    const exits: string[] = [];
    for (const [name, child] of [
      ['events', events.child],
      ['reputation', reputation.child],
    ] as const) {
      child.once('exit', (code, signal) => exits.push(`${name}: ${code ?? signal}`));
    }

    const acknowledged: string[] = [];
    const unavailable: (string | null)[] = [];
    const other: string[] = [];
    let next = 0;
    // As SNS does: a notification answered 503 is delivered again a little later, until it is acknowledged.
    const client = async () => {
      while (next < EMAILS) {
        const email = emails[next++];
        // Now, not the fixture's date: reputation counts only events inside its window.
        const record = sesRecord('bounce-permanent.json', email);
        record.mail.timestamp = new Date().toISOString();
        if (record.eventType === 'Bounce') record.bounce.timestamp = new Date().toISOString();
        const envelope = signedNotification(record);
        for (let delivered = false; !delivered;) {
          try {
            const res = await fetch(`${events.url}/ses/notifications`, {
              method: 'POST',
              headers: {
                'content-type': 'text/plain; charset=UTF-8',
                'x-amz-sns-message-type': 'Notification',
                'x-amz-sns-message-id': envelope.MessageId,
                'x-amz-sns-topic-arn': envelope.TopicArn,
              },
              body: JSON.stringify(envelope),
            });
            await res.arrayBuffer();
            delivered = res.status !== 503;
            if (res.status === 200) acknowledged.push(email.id);
            else if (res.status === 503) unavailable.push(res.headers.get('retry-after'));
            else other.push(String(res.status));
          } catch (error) {
            delivered = true;
            other.push((error as Error).message);
          }
          if (!delivered) await sleep(250);
        }
      }
    };
    const clients = Array.from({ length: CONCURRENCY }, client);
    await sleep(1500);
    pg.stop();
    await sleep(2000);
    // Both report the outage while it lasts.
    expect((await fetch(`${events.url}/health`)).status).toBe(503);
    expect((await fetch(`${reputation.url}/health`)).status).toBe(503);
    // Longer than a job's retry backoff (1 + 2 + 4 + 8 s): workers that kept failing jobs would lose them.
    await sleep(OUTAGE_MS);
    await pg.start();
    await Promise.all(clients);

    expect(exits).toEqual([]);
    expect(other).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((retryAfter) => retryAfter === '5')).toBe(true);
    expect(acknowledged.length).toBe(EMAILS);

    const check = new Client({ connectionString: databaseUrl });
    check.on('error', () => undefined);
    await check.connect();
    try {
      await eventually(
        async () => {
          const { rows } = await check.query<{ bounced: number; counted: number }>(
            `SELECT (SELECT count(*)::int FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'BOUNCED_PERMANENT') AS "bounced",
               (SELECT coalesce(sum("hardBounces"), 0)::int FROM "ReputationBucket" WHERE "accountId" = $2) AS "counted"`,
            [acknowledged, accountId],
          );
          return rows[0].bounced === acknowledged.length && rows[0].counted >= acknowledged.length;
        },
        120_000,
        500,
      );
      const { rows } = await check.query<{ counted: number; bounced: number }>(
        `SELECT (SELECT coalesce(sum("hardBounces"), 0)::int FROM "ReputationBucket" WHERE "accountId" = $1) AS "counted",
           (SELECT count(*)::int FROM "Email" WHERE "accountId" = $1 AND "status" = 'BOUNCED_PERMANENT') AS "bounced"`,
        [accountId],
      );
      // Each email's bounce counts once, acknowledged or applied from a receipt whose answer was lost.
      expect(rows[0].counted).toBe(rows[0].bounced);
    } finally {
      await check.end();
    }
    expect((await fetch(`${events.url}/health`)).status).toBe(200);
    expect((await fetch(`${reputation.url}/health`)).status).toBe(200);
    expect(exits).toEqual([]);
  }, 480_000);
});
