import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QueueName } from '@postline/contracts';
import { closeTestPool, createAccount, testPool } from '@postline/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { parse, parseAllDocuments } from 'yaml';

// The KEDA triggers measure real backlogs: the sender's list is the key BullMQ fills, the webhooks' query counts
// the deliveries the claim would take.
const manifest = (file: string) =>
  parseAllDocuments(readFileSync(resolve(__dirname, file), 'utf8')).map((d) => d.toJS()) as {
    kind: string;
    data?: Record<string, string>;
    spec: { triggers: { metadata: Record<string, string> }[] };
  }[];
const trigger = (file: string) => manifest(file).find((o) => o.kind === 'ScaledObject')!.spec.triggers[0].metadata;
const configuredPrefix = (
  parse(readFileSync(resolve(__dirname, 'config.yaml'), 'utf8')) as { data: Record<string, string> }
).data.QUEUE_PREFIX;

afterAll(() => closeTestPool());

it("the sender's redis trigger reads the list BullMQ keeps its waiting email-send jobs in", async () => {
  const prefix = process.env.QUEUE_PREFIX as string;
  const connection = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.EmailSend, { connection, prefix });
  try {
    await queue.addBulk(
      [1, 2, 3].map((n) => ({ name: 'send-email', data: { emailId: randomUUID() }, opts: { jobId: `j${n}` } })),
    );
    const listName = trigger('sender.yaml').listName.replace(configuredPrefix, prefix);
    expect(await connection.llen(listName)).toBe(3);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
});

it("the webhooks' postgresql trigger counts the due deliveries only", async () => {
  const { accountId } = await createAccount();
  const row = (status: string, nextAttemptAt: string | null) =>
    testPool().query(
      `INSERT INTO "WebhookDelivery" ("id", "accountId", "eventId", "type", "url", "payload", "status", "nextAttemptAt")
       VALUES ($1, $2, $3, 'email.status', 'https://hooks.test/x', '{}', $4::"WebhookDeliveryStatus", $5::timestamp)`,
      [randomUUID(), accountId, randomUUID(), status, nextAttemptAt],
    );
  await row('PENDING', '2000-01-01T00:00:00');
  await row('FAILED', '2000-01-01T00:00:00');
  await row('PENDING', '2999-01-01T00:00:00');
  await row('SUCCEEDED', null);
  const { rows } = await testPool().query<{ count: string }>(trigger('webhooks.yaml').query);
  expect(Number(rows[0].count)).toBe(2);
});
