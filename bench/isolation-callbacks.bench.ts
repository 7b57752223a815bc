import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { WebhookEventType } from '@postline/contracts';
import { type Sql, withTransaction } from '@postline/database';
import { type WebhookToQueue, webhooksStatement } from '@postline/email-ledger';
import { freePort } from '@postline/testing';
import { Pool } from 'pg';
import { BlackHole } from '../apps/webhooks/src/testing/black-hole';
import { TestReceiver } from '../apps/webhooks/src/testing/test-receiver';
import { benchAccount, benchDatabase, runBench, startProcess, stopProcess } from './support/bench-env';

// npm run bench:isolation:callbacks — part (b) of bench:isolation: a healthy account's callback latency (queued → received)
// while another account has DEAD callbacks to a receiver that accepts the connection and never answers, beside
// the same run's baseline without them. The webhooks worker runs with its production settings (100 slots,
// 15 s timeout). Goal: p95 under 1 s.
const DEAD = Number(process.env.BENCH_DEAD_CALLBACKS ?? 1_000);
/** Healthy callbacks queued per wave, one wave every WAVE_MS, for the length of each phase. */
const PER_WAVE = Number(process.env.BENCH_PER_WAVE ?? 5);
const WAVE_MS = 100;
const BASELINE_S = Number(process.env.BENCH_BASELINE_SECONDS ?? 10);
/** Longer than one 15 s timeout plus the first retry wave (5 s) of the dead callbacks. */
const ISOLATION_S = Number(process.env.BENCH_ISOLATION_SECONDS ?? 25);

function callback(accountId: string, url: string): WebhookToQueue {
  const emailId = randomUUID();
  return {
    accountId,
    emailId,
    eventId: randomUUID(),
    type: WebhookEventType.EmailStatus,
    url,
    data: { id: emailId, status: 'DELIVERED', previousStatus: 'SENT', to: 'jane@example.com', sequence: 3 },
    occurredAt: new Date(),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v: number) => `${Math.round(v)} ms`.padStart(8);
  return `p50 ${ms(percentile(sorted, 50))}   p95 ${ms(percentile(sorted, 95))}   max ${ms(sorted[sorted.length - 1])}   (${sorted.length} callbacks)`;
}

/** Queues PER_WAVE healthy callbacks every WAVE_MS for `seconds`; resolves with each one's latency. */
async function healthyLoad(pool: Pool, accountId: string, receiver: TestReceiver, seconds: number): Promise<number[]> {
  const queuedAt = new Map<string, number>();
  const end = Date.now() + seconds * 1000;
  let wave = 0;
  while (Date.now() < end) {
    const batch = Array.from({ length: PER_WAVE }, (_, i) =>
      callback(accountId, receiver.url(`/healthy/${wave}/${i}`)),
    );
    const at = Date.now();
    await withTransaction(pool, (client) => client.query(webhooksStatement(batch) as Sql));
    for (const c of batch) queuedAt.set(c.eventId, at);
    wave += 1;
    await new Promise((r) => setTimeout(r, Math.max(0, at + WAVE_MS - Date.now())));
  }
  const deadline = Date.now() + 60_000;
  const arrived = () => [...queuedAt.keys()].every((id) => receiver.byId(id).length > 0);
  while (!arrived()) {
    if (Date.now() > deadline) throw new Error('healthy callbacks did not all arrive within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return [...queuedAt].map(([id, at]) => receiver.byId(id)[0].at - at);
}

async function main(): Promise<void> {
  const db = await benchDatabase('isolation_callbacks');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const receiver = await TestReceiver.start();
  const hole = await BlackHole.start();
  let worker: ChildProcess | undefined;
  try {
    const healthy = await benchAccount(db.url);
    await new Promise((r) => setTimeout(r, 5)); // account names carry the time in ms
    const careless = await benchAccount(db.url);
    const port = await freePort();
    worker = await startProcess(
      'apps/webhooks/src/main.ts',
      { DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'error', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
      `http://127.0.0.1:${port}/health`,
    );

    const baseline = await healthyLoad(pool, healthy.accountId, receiver, BASELINE_S);

    await withTransaction(pool, (client) =>
      client.query(
        webhooksStatement(
          Array.from({ length: DEAD }, (_, i) => callback(careless.accountId, hole.url(`/dead/${i}`))),
        ) as Sql,
      ),
    );
    // The dead callbacks are claimed first (they are older) and fill what the worker lets them.
    await new Promise((r) => setTimeout(r, 1_000));
    const heldBefore = hole.open;
    const isolated = await healthyLoad(pool, healthy.accountId, receiver, ISOLATION_S);
    const { rows } = await pool.query<{ failures: number; open: boolean }>(
      `SELECT "failures", "openUntil" > now() AS "open" FROM "WebhookTarget" WHERE "accountId" = $1`,
      [careless.accountId],
    );

    console.log(`\nhealthy account's callback latency, queued → received (1 webhooks worker, 100 slots, 15 s timeout)`);
    console.log(`  baseline                          ${summary(baseline)}`);
    console.log(`  beside ${DEAD} dead callbacks        ${summary(isolated)}   (goal: p95 < 1 s)`);
    console.log(
      `dead receiver: ${heldBefore} connections held after 1 s; its circuit ${
        rows[0]?.open ? `open after ${rows[0].failures} failures` : 'not open'
      } at the end`,
    );
  } finally {
    if (worker) await stopProcess(worker);
    await hole.stop();
    await receiver.stop();
    await pool.end();
    await db.drop();
  }
}

runBench(main);
