import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Pool } from 'pg';

// The ceiling of the gateway benchmark: a bare Fastify handler doing one INSERT of the same row and one
// BullMQ add, with no validation, auth, envelope or outbox.
// Idle connections are kept: a backend that exits takes its CPU time out of the per-email figure.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, idleTimeoutMillis: 0 });
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const queue = new Queue('email-send', {
  connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
  prefix: process.env.QUEUE_PREFIX,
});
const accountId = process.env.BENCH_ACCOUNT_ID as string;
const operatorId = process.env.BENCH_OPERATOR_ID as string;

const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
app.get('/health', async () => ({ ok: true }));
app.post('/emails', async (request, reply) => {
  const b = request.body as Record<string, string>;
  const id = randomUUID();
  await pool.query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId", "clientId", "callbacks", "status", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'QUEUED', now())`,
    [id, accountId, operatorId, b.to, b.from, b.alias, b.subject, b.text, b.externalId, b.clientId, b.callbacks],
  );
  await queue.add('send-email', { emailId: id }, { jobId: id, removeOnComplete: true });
  return reply.status(201).send({ id, status: 'QUEUED' });
});
// The batch ceiling: the same row for each message with one multi-row INSERT, and one addBulk.
app.post('/emails/batch', async (request, reply) => {
  const messages = (request.body as { messages: Record<string, unknown>[] }).messages;
  const rows = messages.map((m) => ({ ...m, id: randomUUID() }));
  await pool.query(
    `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId", "clientId", "callbacks", "status", "updatedAt")
     SELECT v."id", $2, $3, v."to", v."from", v."alias", v."subject", v."text", v."externalId", v."clientId",
       ARRAY(SELECT jsonb_array_elements_text(v."callbacks")), 'QUEUED', now()
     FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "to" text, "from" text, "alias" text, "subject" text, "text" text,
       "externalId" text, "clientId" text, "callbacks" jsonb)`,
    [JSON.stringify(rows), accountId, operatorId],
  );
  await queue.addBulk(
    rows.map((r) => ({ name: 'send-email', data: { emailId: r.id }, opts: { jobId: r.id, removeOnComplete: true } })),
  );
  return reply.status(201).send({ data: rows.map((r) => ({ id: r.id, status: 'QUEUED' })) });
});
void app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
