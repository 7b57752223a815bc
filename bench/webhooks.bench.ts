import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { WebhookEventType } from '@postline/contracts';
import { type Sql, withTransaction } from '@postline/database';
import { webhookBody, webhooksStatement } from '@postline/email-ledger';
import { Pool } from 'pg';
import { secretKey, signatureHeader } from '../apps/webhooks/src/delivery/webhook-signature';
import { WebhookHttpClient } from '../apps/webhooks/src/http/webhook-http-client';
import { cpuPerItem, cpuSnapshot } from './support/cpu-usage';
import { benchAccount, benchDatabase, pct, startProcess, stopProcess, runBench } from './support/bench-env';
import { freePort } from '@postline/testing';

// npm run bench:webhooks — callbacks/s that the webhooks app delivers to a local receiver (due WebhookDelivery
// rows → claimed in batches → signed POST → outcome and attempt log recorded in Postgres), against its same-run
// ceiling: a bare loop POSTing the same signed bodies with the same HTTP client at the same concurrency.
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
/** Webhooks processes sharing the due rows (CONCURRENCY is split between them); the design scales by copies. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
let RECEIVER = '';
let URLS: string[] = [];

interface Stats {
  count: number;
  distinct: number;
  first: number;
  last: number;
}

async function stats(): Promise<Stats> {
  return (await (await fetch(`${RECEIVER}/stats`)).json()) as Stats;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rate = (s: Stats) => (s.count - 1) / ((s.last - s.first) / 1000);

/** Email status changes with two callback URLs each, queued as the status recorder does (due at once). */
async function queueDeliveries(pool: Pool, accountId: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let done = 0; done < CALLBACKS; done += 1000) {
    const n = Math.min(1000, CALLBACKS - done) / URLS.length;
    await withTransaction(pool, (client) =>
      client.query(
        webhooksStatement(
          Array.from({ length: n }).flatMap(() => {
            const emailId = randomUUID();
            const eventId = randomUUID();
            const data = {
              id: emailId,
              status: 'DELIVERED',
              previousStatus: 'SENT',
              to: 'jane@example.com',
              from: 'promo@elipackage.test',
              subject: 'EliPackage Promo',
              externalId: '123456789abcde',
              clientId: '48118112',
              alias: 'New User',
              userName: 'bench',
              operator: 'bench',
              sequence: 4,
              occurredAt: new Date().toISOString(),
              details: { smtpResponse: '250 2.0.0 OK', processingTimeMillis: 812 },
            };
            const occurredAt = new Date();
            bodies.push(webhookBody({ eventId, type: WebhookEventType.EmailStatus, occurredAt, data }));
            return URLS.map((url) => ({
              accountId,
              emailId,
              eventId,
              type: WebhookEventType.EmailStatus,
              url,
              data,
              occurredAt,
            }));
          }),
        ) as Sql,
      ),
    );
  }
  await pool.query(`VACUUM ANALYZE "WebhookDelivery"`);
  return bodies;
}

/** The ceiling: the same signed bodies through the same client, CONCURRENCY requests in flight. */
async function bareLoop(client: WebhookHttpClient, bodies: string[], secret: string, total: number): Promise<void> {
  const key = secretKey(secret);
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < total; i = next++) {
        const body = bodies[Math.floor(i / URLS.length) % bodies.length];
        const id = `evt_${i}`;
        const ts = Math.floor(Date.now() / 1000);
        const result = await client.post(URLS[i % URLS.length], body, {
          'content-type': 'application/json',
          'user-agent': 'Postline-Webhooks/1.0',
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signatureHeader([key], id, ts, body),
        });
        if (result.kind !== 'response' || result.statusCode !== 200) failures += 1;
      }
    }),
  );
  if (failures > 0) throw new Error(`${failures} ceiling requests failed`);
}

async function main(): Promise<void> {
  const db = await benchDatabase('webhooks');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const receiverPort = await freePort();
  RECEIVER = `http://127.0.0.1:${receiverPort}`;
  URLS = [`${RECEIVER}/hooks/a`, `${RECEIVER}/hooks/b`];
  const receiver = await startProcess(
    'bench/support/webhook-receiver.ts',
    { PORT: String(receiverPort) },
    `${RECEIVER}/stats`,
  );
  const client = new WebhookHttpClient({ timeoutMs: 15_000, bodyLimit: 4096, allowPrivateTargets: true });
  let workers: ChildProcess[] = [];
  try {
    const account = await benchAccount(db.url);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await pool.query(`UPDATE "Account" SET "webhookSecret" = $2 WHERE "id" = $1`, [account.accountId, secret]);
    const bodies = await queueDeliveries(pool, account.accountId);
    // Held back while the worker boots, so that the measured run is delivery alone: row locks make its
    // claims (SKIP LOCKED) find nothing, without writing new row versions as an UPDATE would.
    const hold = await pool.connect();
    await hold.query(`BEGIN`);
    await hold.query(`SELECT "id" FROM "WebhookDelivery" FOR UPDATE`);
    const pids = (extra: Record<string, number> = {}) => ({
      bench: process.pid,
      receiver: receiver.pid as number,
      ...extra,
    });
    const commands = ['postgres', 'redis-server'];

    // The ceiling is measured before and after the webhooks run and averaged, as the machine may be shared.
    await bareLoop(client, bodies, secret, 2_000); // warm-up, discarded
    const ceilingRun = async () => {
      await fetch(`${RECEIVER}/reset`, { method: 'POST' });
      const before = cpuSnapshot(pids(), commands);
      await bareLoop(client, bodies, secret, CALLBACKS);
      return { rate: rate(await stats()), cpu: cpuPerItem(before, cpuSnapshot(pids(), commands), CALLBACKS) };
    };
    const ceilingBefore = await ceilingRun();
    await fetch(`${RECEIVER}/reset`, { method: 'POST' });

    workers = await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const port = await freePort();
        return startProcess(
          'apps/webhooks/src/main.ts',
          {
            DATABASE_URL: db.url,
            PORT: String(port),
            LOG_LEVEL: 'error',
            WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
            WEBHOOK_CONCURRENCY: String(Math.ceil(CONCURRENCY / WORKERS)),
          },
          `http://127.0.0.1:${port}/health`,
        );
      }),
    );
    const workerPids = Object.fromEntries(
      workers.map((w, i) => [`worker${WORKERS > 1 ? i + 1 : ''}`, w.pid as number]),
    );
    const workerCpu = cpuSnapshot(pids(workerPids), commands);
    const started = Date.now();
    await hold.query(`COMMIT`);
    hold.release();
    await waitFor(async () => (await stats()).count >= CALLBACKS, 300_000, 'every callback to arrive');
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "status" = 'SUCCEEDED'`,
        );
        return rows[0].n >= CALLBACKS;
      },
      60_000,
      'every delivery to be recorded',
    );
    const recordedAfter = (Date.now() - started) / 1000;
    const workerCpuUsed = cpuPerItem(workerCpu, cpuSnapshot(pids(workerPids), commands), CALLBACKS);
    const delivered = await stats();
    await Promise.all(workers.map((w) => stopProcess(w)));
    const ceilingAfter = await ceilingRun();

    const webhooks = rate(delivered);
    const bare = (ceilingBefore.rate + ceilingAfter.rate) / 2;
    console.log(
      `\nwebhooks app     ${webhooks.toFixed(0)} callbacks/s   (${WORKERS} process${WORKERS > 1 ? 'es' : ''}, ` +
        `${delivered.count} POSTs, ${delivered.distinct} distinct; all ${CALLBACKS} SUCCEEDED in Postgres ` +
        `${recordedAfter.toFixed(1)} s after the start)`,
    );
    console.log(
      `ceiling          ${bare.toFixed(0)} req/s         (bare loop, same client, bodies, signing, concurrency ` +
        `${CONCURRENCY}; before ${ceilingBefore.rate.toFixed(0)}, after ${ceilingAfter.rate.toFixed(0)})`,
    );
    console.log(`ratio            ${pct(webhooks, bare)}   (goal ≥ 70 %)`);
    console.log(`CPU ms per callback (postgres and redis-server are shared with anything else running):`);
    console.log(`  webhooks run   ${workerCpuUsed}`);
    console.log(`  ceiling run    ${ceilingBefore.cpu}`);
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await client.close();
    await stopProcess(receiver);
    await pool.end();
    await db.drop();
  }
}

runBench(main);
