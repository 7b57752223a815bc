import { randomUUID } from 'node:crypto';
import { hourStartOf, JobName, type RecordReputationEventJob, QueueName } from '@postline/contracts';
import { redisOptionsFromUrl } from '@postline/queue';
import { Queue, Worker } from 'bullmq';
import { Pool } from 'pg';
import { COUNT_OUTCOMES_SQL } from '../apps/reputation/src/events/count-outcomes.sql';
import { benchDatabase, pct, startProcess, stopProcess, runBench, dropQueueKeys } from './support/bench-env';

// npm run bench:reputation — reputation events/s through the real worker (BullMQ → batch transaction:
// outcomes deduplicated, hourly buckets, accounts evaluated), against two ceilings measured in the same run:
// the raw multi-row SQL alone, and a BullMQ worker that does nothing.
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const DUPLICATE_SHARE = 0.02;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A realistic stream: mostly sends, ~1.5 % hard bounces, ~0.03 % complaints, 2 % re-queued duplicates. */
function syntheticStream(accountIds: string[], n: number): { data: RecordReputationEventJob; jobId: string }[] {
  const now = Date.now();
  const jobs: { data: RecordReputationEventJob; jobId: string }[] = [];
  while (jobs.length < n) {
    const accountId = accountIds[jobs.length % accountIds.length];
    const emailId = randomUUID();
    const occurredAt = now - Math.floor(Math.random() * 3 * 3_600_000);
    const sent = { accountId, emailId, kind: 'sent' as const, recipient: 'reader@example.test', occurredAt };
    jobs.push({ data: sent, jobId: `${emailId}_sent` });
    const r = Math.random();
    if (r < 0.015)
      jobs.push({
        data: { ...sent, kind: 'hard-bounce', occurredAt: occurredAt + 1000 },
        jobId: `${emailId}_hard-bounce`,
      });
    else if (r < 0.0153)
      jobs.push({ data: { ...sent, kind: 'complaint', occurredAt: occurredAt + 1000 }, jobId: `${emailId}_complaint` });
    if (Math.random() < DUPLICATE_SHARE) jobs.push({ data: sent, jobId: `${emailId}_sent_requeued` });
  }
  return jobs.slice(0, n);
}

async function createAccounts(pool: Pool, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await pool.query(
    `INSERT INTO "Account" ("id", "name", "webhookSecret", "updatedAt")
     SELECT id, 'bench-' || id, 'whsec_x', now() FROM unnest($1::uuid[]) AS id`,
    [ids],
  );
  return ids;
}

async function bucketTotal(pool: Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT COALESCE(sum("sent" + "hardBounces" + "complaints"), 0)::int AS n FROM "ReputationBucket"`,
  );
  return rows[0].n;
}

/** The ceiling of the database side: the worker's counting statement alone, batches of 1,000, two connections. */
async function sqlCeiling(pool: Pool, accountIds: string[]): Promise<number> {
  const jobs = syntheticStream(accountIds, EVENTS).map((j) => j.data);
  const batches: RecordReputationEventJob[][] = [];
  for (let i = 0; i < jobs.length; i += 1000) batches.push(jobs.slice(i, i + 1000));
  const started = Date.now();
  const lane = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const unique = [...new Map(batch.map((e) => [`${e.emailId}|${e.kind}`, e])).values()];
      await pool.query(COUNT_OUTCOMES_SQL, [
        unique.map((e) => e.emailId),
        unique.map((e) => e.kind),
        unique.map((e) => new Date(e.occurredAt).toISOString()),
        unique.map((e) => e.accountId),
        unique.map((e) => new Date(hourStartOf(e.occurredAt)).toISOString()),
      ]);
    }
  };
  await Promise.all([lane(), lane()]);
  return jobs.length / ((Date.now() - started) / 1000);
}

async function fill(queue: Queue, jobs: { data: RecordReputationEventJob; jobId: string }[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 5000) {
    await queue.addBulk(
      jobs.slice(i, i + 5000).map((j) => ({
        name: JobName.RecordReputationEvents,
        data: { events: [j.data] },
        opts: { jobId: j.jobId, removeOnComplete: true },
      })),
    );
  }
}

/** The ceiling of the queue side: as many jobs through a BullMQ worker (in this process) whose processor does nothing. */
async function queueCeiling(prefix: string, accountIds: string[]): Promise<number> {
  const connection = redisOptionsFromUrl(REDIS_URL);
  const name = 'noop-ceiling';
  const queue = new Queue(name, { connection, prefix });
  await fill(queue, syntheticStream(accountIds, EVENTS));
  let done = 0;
  const started = Date.now();
  const worker = new Worker(name, async () => undefined, {
    connection: { ...connection, maxRetriesPerRequest: null },
    prefix,
    concurrency: 1000,
  });
  await new Promise<void>((resolve) =>
    worker.on('completed', () => {
      if (++done === EVENTS) resolve();
    }),
  );
  const rate = EVENTS / ((Date.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function main(): Promise<void> {
  const db = await benchDatabase('reputation');
  const prefix = `{bench-rep-${Date.now()}}`;
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    const ceilingAccounts = await createAccounts(pool, ACCOUNTS);
    const noop = await queueCeiling(prefix, ceilingAccounts);
    const sql = await sqlCeiling(pool, ceilingAccounts);
    await pool.query(`TRUNCATE "ReputationBucket", "ReputationOutcome"`);

    const accountIds = await createAccounts(pool, ACCOUNTS);
    const jobs = syntheticStream(accountIds, EVENTS);
    const expected = new Set(jobs.map((j) => `${j.data.emailId}|${j.data.kind}`)).size;
    const queue = new Queue(QueueName.ReputationEvent, { connection: redisOptionsFromUrl(REDIS_URL), prefix });
    await queue.pause();
    await fill(queue, jobs);
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        startProcess(
          'apps/reputation/src/main.ts',
          {
            DATABASE_URL: db.url,
            QUEUE_PREFIX: prefix,
            PORT: String(3993 + i),
            LOG_LEVEL: 'error',
            REPUTATION_SWEEP_EVERY_MS: '3600000',
            // As scripts/start.sh should run it: a larger young generation cuts GC from ~25 % to ~9 % of the worker's CPU.
            NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter(Boolean).join(' '),
          },
          `http://127.0.0.1:${3993 + i}/health`,
        ),
      ),
    );
    const started = Date.now();
    await queue.resume();
    const idle = async () => {
      const c = await queue.getJobCounts('waiting', 'active');
      return c.waiting + c.active === 0;
    };
    while ((await bucketTotal(pool)) < expected || !(await idle())) await new Promise((r) => setTimeout(r, 50));
    const elapsed = (Date.now() - started) / 1000;
    const counts = await queue.getJobCounts('waiting', 'active', 'failed');
    const metrics = await (await fetch('http://127.0.0.1:3993/metrics')).text();
    await Promise.all(workers.map((w) => stopProcess(w)));
    await queue.close();
    const rate = EVENTS / elapsed;
    const batchSum = Number(/postline_reputation_batch_size_sum (\S+)/.exec(metrics)?.[1] ?? 0);
    const batchCount = Number(/postline_reputation_batch_size_count (\S+)/.exec(metrics)?.[1] ?? 1);
    const { rows } = await pool.query(
      `SELECT "reputationState" AS s, count(*)::int AS n FROM "Account" WHERE "id" = ANY($1::uuid[]) GROUP BY 1`,
      [accountIds],
    );

    console.log(
      `\nreputation worker       ${rate.toFixed(0)} events/s  (${WORKERS} process${WORKERS > 1 ? 'es' : ''}, ${EVENTS} jobs, ${expected} distinct outcomes, ${ACCOUNTS} accounts, ${elapsed.toFixed(1)} s; goal ≥ 10,000)`,
    );
    console.log(
      `  mean batch ${(batchSum / batchCount).toFixed(0)} events; left in queue ${counts.waiting + counts.active}, failed ${counts.failed}; states ${rows.map((r) => `${r.s} ${r.n}`).join(', ')}`,
    );
    console.log(
      `ceiling: counting SQL alone    ${sql.toFixed(0)} events/s  (batches of 1,000, 2 connections)  worker = ${pct(rate, sql)}`,
    );
    console.log(
      `ceiling: no-op BullMQ worker   ${noop.toFixed(0)} jobs/s    (concurrency 1,000)                worker = ${pct(rate, noop)}`,
    );
  } finally {
    await pool.end();
    await dropQueueKeys(prefix);
    await db.drop();
  }
}

runBench(main);
