import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type RecordReputationEventsJob, QueueName } from '@postline/contracts';
import { recipientDeliveryId } from '@postline/email-ledger';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { NotificationPoster } from '../../../tools/ses-simulator/src/notification-poster';
import { SesEventsSimulator } from '../../../tools/ses-simulator/src/ses-events-simulator';
import { loadOrCreateSigningMaterial } from '../../../tools/ses-simulator/src/signing-material';
import { eventsTestEnv, insertEmail, startEventsApp } from './events-test-kit';

const dir = mkdtempSync(join(tmpdir(), 'postline-sns-'));
const certFile = join(dir, 'signing-cert.pem');
const keyFile = join(dir, 'signing-key.pem');
const topicArn = 'arn:aws:sns:us-east-1:000000000000:local';
eventsTestEnv({ SNS_CERT_FILE: certFile, SNS_MAX_AGE_SECONDS: '3600', SNS_TOPIC_ARNS: topicArn });
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

// SES publishes one event per recipient: cc and bcc recipients bounce, complain and are delivered on their own.
// The local simulator does the same, and the events service applies each to the email it belongs to.
describe('cc and bcc recipients in SES events (local simulator → events)', () => {
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

  it('keeps the status of `to`, suppresses a bounced cc and a complaining bcc, and counts each recipient for reputation', async () => {
    const cc = ['bounce+cc@simulator.amazonses.com', 'success+cc@simulator.amazonses.com'];
    const bcc = ['complaint+bcc@simulator.amazonses.com'];
    const email = await insertEmail(account, {
      to: 'success@simulator.amazonses.com',
      status: 'DEQUEUED',
      sesMessageId: null,
      dispatchState: 'STARTED',
    });
    await testPool().query(`UPDATE "Email" SET "cc" = $2, "bcc" = $3 WHERE "id" = $1`, [email.id, cc, bcc]);
    const client = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'promo@elipackage.test',
        Destination: { ToAddresses: [email.to], CcAddresses: cc, BccAddresses: bcc },
        Content: {
          Simple: {
            Subject: { Data: 'Promo' },
            Body: { Text: { Data: 'offer' } },
            Headers: [{ Name: 'X-Postline-Email-Id', Value: email.id }],
          },
        },
      }),
    );
    client.destroy();

    const signing = loadOrCreateSigningMaterial(keyFile, certFile);
    const simulator = new SesEventsSimulator(
      {
        sesEndpoint: ses.endpoint,
        pollMs: 100,
        region: 'us-east-1',
        accountId: '000000000000',
        configurationSet: 'local',
      },
      new NotificationPoster({ eventsUrl, topicArn, region: 'us-east-1', signing }),
      silent,
    );
    // Send, and per recipient: to delivered; cc bounce; cc delivered; bcc delivered then complaint.
    expect(await simulator.pollOnce()).toEqual({ messages: 1, notifications: 6, pending: 0 });

    const history = await eventually(async () => {
      const { rows } = await testPool().query<{
        type: string;
        newStatus: string | null;
        details: {
          recipients?: string[];
          bouncedRecipient?: string;
          complainedRecipients?: string[];
          recipient?: string;
        };
      }>(`SELECT "type", "newStatus", "details" FROM "EmailEvent" WHERE "emailId" = $1 AND "source" = 'SES'`, [
        email.id,
      ]);
      return rows.length === 6 ? rows : undefined;
    }, 30_000);
    // Only `to`'s events move the status; the others are history.
    expect(
      history
        .filter((e) => e.newStatus !== null)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['Delivery', 'Send']);
    // The others name the cc/bcc recipient they are about (reports by tag leave their opens and clicks out).
    expect(
      history
        .filter((e) => e.newStatus === null)
        .map((e) => `${e.type} ${e.details.recipient}`)
        .sort(),
    ).toEqual([
      'Bounce bounce+cc@simulator.amazonses.com',
      'Complaint complaint+bcc@simulator.amazonses.com',
      'Delivery complaint+bcc@simulator.amazonses.com',
      'Delivery success+cc@simulator.amazonses.com',
    ]);
    const {
      rows: [row],
    } = await testPool().query(`SELECT "status" FROM "Email" WHERE "id" = $1`, [email.id]);
    expect(row.status).toBe('DELIVERED');

    const { rows: suppressions } = await testPool().query(
      `SELECT "address", "reason", "emailId" FROM "Suppression" WHERE "accountId" = $1 ORDER BY "address"`,
      [account.accountId],
    );
    expect(suppressions).toEqual([
      { address: 'bounce+cc@simulator.amazonses.com', reason: 'HARD_BOUNCE', emailId: email.id },
      { address: 'complaint+bcc@simulator.amazonses.com', reason: 'COMPLAINT', emailId: email.id },
    ]);
    const { rows: parked } = await testPool().query(`SELECT 1 FROM "SnsReceipt" WHERE "state" = 'PARKED'`);
    expect(parked).toEqual([]);

    // Reputation: four sends (one per recipient, as SES counts them), a hard bounce and a complaint.
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queue = new Queue(QueueName.ReputationEvent, { connection: redis, prefix: process.env.QUEUE_PREFIX });
    try {
      const events = await eventually(async () => {
        const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
        const all = jobs.flatMap((j) => (j.data as RecordReputationEventsJob).events ?? []);
        return all.length >= 6 ? all : undefined;
      }, 30_000);
      const seen = events.map((e) => `${e.kind} ${e.recipient} ${e.emailId}`).sort();
      expect(seen).toEqual(
        [
          `complaint ${bcc[0]} ${recipientDeliveryId(email.id, bcc[0])}`,
          `hard-bounce ${cc[0]} ${recipientDeliveryId(email.id, cc[0])}`,
          `sent ${bcc[0]} ${recipientDeliveryId(email.id, bcc[0])}`,
          `sent ${cc[0]} ${recipientDeliveryId(email.id, cc[0])}`,
          `sent ${cc[1]} ${recipientDeliveryId(email.id, cc[1])}`,
          `sent ${email.to} ${email.id}`,
        ].sort(),
      );
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
});
