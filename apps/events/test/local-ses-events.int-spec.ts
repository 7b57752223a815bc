import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { NotificationPoster } from '../../../tools/ses-simulator/src/notification-poster';
import { SesEventsSimulator } from '../../../tools/ses-simulator/src/ses-events-simulator';
import { loadOrCreateSigningMaterial } from '../../../tools/ses-simulator/src/signing-material';
import { eventsTestEnv, insertEmail, startEventsApp } from './events-test-kit';

const dir = mkdtempSync(join(tmpdir(), 'postline-sns-'));
const certFile = join(dir, 'signing-cert.pem');
const keyFile = join(dir, 'signing-key.pem');
// The events service trusts the certificate the tool generates when it starts (read lazily, re-read on change).
// The tool's topics are listed, as `npm start` lists its default one.
eventsTestEnv({
  SNS_CERT_FILE: certFile,
  SNS_MAX_AGE_SECONDS: '3600',
  SNS_TOPIC_ARNS:
    'arn:aws:sns:us-east-1:000000000000:postline-ses-events-local,arn:aws:sns:us-east-1:000000000000:local',
});

const REPO_ROOT = resolve(__dirname, '../../..');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What the sender does in local mode: SendEmail with the email id in a header, then records the MessageId. */
async function sendThroughLocalSes(
  ses: LocalSes,
  email: { id: string; to: string },
  withHeader = true,
): Promise<string> {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { MessageId } = await client.send(
    new SendEmailCommand({
      FromEmailAddress: 'Promo <promo@elipackage.test>',
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: 'EliPackage Promo' },
          Body: { Text: { Data: 'we have a new offer this week' } },
          Headers: withHeader ? [{ Name: 'X-Postline-Email-Id', Value: email.id }] : [],
        },
      },
      EmailTags: [{ Name: 'email_id', Value: email.id }],
    }),
  );
  client.destroy();
  return MessageId as string;
}

describe('local SES events (tools/ses-simulator)', () => {
  let app: NestFastifyApplication;
  let ses: LocalSes;
  let account: TestAccount;
  let eventsUrl: string;

  beforeAll(async () => {
    ses = await LocalSes.start();
    app = await startEventsApp();
    await app.listen(0, '127.0.0.1');
    eventsUrl = `${await app.getUrl()}/ses/notifications`.replace('[::1]', '127.0.0.1');
    account = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await ses.stop();
    await closeTestPool();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as a process and brings each mailbox simulator address to its SES outcome', async () => {
    const expected: Record<string, { status: string; suppression?: string }> = {
      'success@simulator.amazonses.com': { status: 'DELIVERED' },
      'ooto@simulator.amazonses.com': { status: 'DELIVERED' },
      'bounce@simulator.amazonses.com': { status: 'BOUNCED_PERMANENT', suppression: 'HARD_BOUNCE' },
      'bounce+label-1@simulator.amazonses.com': { status: 'BOUNCED_PERMANENT', suppression: 'HARD_BOUNCE' },
      'complaint+x@simulator.amazonses.com': { status: 'COMPLAINED', suppression: 'COMPLAINT' },
      'suppressionlist@simulator.amazonses.com': { status: 'BLACKLISTED', suppression: 'HARD_BOUNCE' },
      'someone@example.com': { status: 'DELIVERED' },
    };
    const emails = new Map<string, { id: string; sesMessageId: string }>();
    for (const to of Object.keys(expected)) {
      // Dispatch started but not confirmed: the Send event confirms it and brings the SES MessageId.
      const email = await insertEmail(account, {
        to,
        status: 'DEQUEUED',
        sesMessageId: null,
        dispatchState: 'STARTED',
      });
      emails.set(to, { id: email.id, sesMessageId: await sendThroughLocalSes(ses, email) });
    }

    const tool: ChildProcess = spawn(
      process.execPath,
      ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'tools/ses-simulator/src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          EVENTS_URL: eventsUrl,
          SES_ENDPOINT: ses.endpoint,
          SNS_CERT_FILE: certFile,
          SNS_SIGNING_KEY_FILE: keyFile,
          SES_SIMULATOR_POLL_MS: '100',
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      },
    );
    try {
      const rows = await eventually(async () => {
        const { rows } = await testPool().query<{
          to: string;
          status: string;
          sesMessageId: string;
          dispatchState: string;
          reason: string | null;
        }>(
          `SELECT e."to", e."status", e."sesMessageId", e."dispatchState", s."reason"
           FROM "Email" e LEFT JOIN "Suppression" s ON s."accountId" = e."accountId" AND s."address" = e."to"
           WHERE e."accountId" = $1`,
          [account.accountId],
        );
        return rows.every((r) => r.status === expected[r.to].status) ? rows : undefined;
      }, 30_000);
      for (const row of rows) {
        expect(row).toEqual({
          to: row.to,
          status: expected[row.to].status,
          sesMessageId: emails.get(row.to)?.sesMessageId,
          dispatchState: 'CONFIRMED',
          reason: expected[row.to].suppression ?? null,
        });
      }
    } finally {
      tool.kill('SIGTERM');
    }
  });

  it('links a message without the header by its SES MessageId, and retries while the events service is down', async () => {
    await ses.clear();
    const email = await insertEmail(account, { to: 'success+plain@simulator.amazonses.com', sesMessageId: null });
    const sesMessageId = await sendThroughLocalSes(ses, email, false);
    await testPool().query(`UPDATE "Email" SET "sesMessageId" = $2 WHERE "id" = $1`, [email.id, sesMessageId]);

    const signing = loadOrCreateSigningMaterial(keyFile, certFile);
    expect(signing.created).toBe(false);
    const options = {
      sesEndpoint: ses.endpoint,
      pollMs: 100,
      region: 'us-east-1',
      accountId: '000000000000',
      configurationSet: 'local',
    };
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:local';
    const down = new SesEventsSimulator(
      options,
      new NotificationPoster({
        eventsUrl: 'http://127.0.0.1:1/ses/notifications',
        topicArn,
        region: 'us-east-1',
        signing,
      }),
      silent,
    );
    expect(await down.pollOnce()).toEqual({ messages: 0, notifications: 0, pending: 1 });
    expect(await down.pollOnce()).toEqual({ messages: 0, notifications: 0, pending: 1 });

    const up = new SesEventsSimulator(
      options,
      new NotificationPoster({ eventsUrl, topicArn, region: 'us-east-1', signing }),
      silent,
    );
    expect(await up.pollOnce()).toEqual({ messages: 1, notifications: 2, pending: 0 });
    expect(await up.pollOnce()).toEqual({ messages: 0, notifications: 0, pending: 0 });
    await eventually(async () => {
      const { rows } = await testPool().query(`SELECT "status" FROM "Email" WHERE "id" = $1`, [email.id]);
      return rows[0].status === 'DELIVERED';
    });
  });
});
