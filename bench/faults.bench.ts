import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EmailIntake, type NewEmail } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import { eventually, freePort, LocalSes, TestPostgres, TestRedis } from '@postline/testing';
import { Pool } from 'pg';
import { benchAccount, runBench, stopProcess } from './support/bench-env';

// npm run bench:faults — the same load (EMAILS accepted, sent at SES_MAX_SEND_RATE by one sender process) with
// no fault, then with each fault injected a second after sending began: Redis killed and restarted empty, the
// sender killed (kill -9) and started again, Postgres stopped for a few seconds. For each: emails lost (not
// SENT when the run settles or gives up), duplicates (SendEmail calls beyond one per email, counted in the SES
// emulator by the X-Postline-Email-Id header), ambiguous (EXHAUSTED with dispatch AMBIGUOUS), time to settle
// (from the fault until every email is in a final status), and whether the sender process exited on its own.
// Postgres and Redis are this run's own (a pg cluster and a redis-server on free ports), removed at the end.
const EMAILS = Number(process.env.BENCH_EMAILS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const GIVE_UP_MS = Number(process.env.BENCH_GIVE_UP_SECONDS ?? 120) * 1000;
const PG_DOWN_MS = 3000;

type Fault = 'none' | 'redis-lost' | 'sender-killed' | 'postgres-stopped';

interface Result {
  fault: Fault;
  lost: number;
  duplicates: number;
  ambiguous: number;
  settleSeconds: number | null;
  unexpectedExits: number;
}

async function main(): Promise<void> {
  const pg = await TestPostgres.create('postline_faults');
  const redis = await TestRedis.start();
  const ses = await LocalSes.start();
  try {
    const results: Result[] = [];
    for (const fault of ['none', 'redis-lost', 'sender-killed', 'postgres-stopped'] as Fault[]) {
      results.push(await scenario(fault, pg, redis, ses));
      console.log(JSON.stringify(results[results.length - 1]));
    }
    console.log(`\n${EMAILS} emails at ${RATE}/s per run (one sender process)`);
    console.table(results);
  } finally {
    await ses.stop();
    await redis.stop();
    pg.remove();
  }
}

async function scenario(fault: Fault, pg: TestPostgres, redis: TestRedis, ses: LocalSes): Promise<Result> {
  const databaseUrl = await pg.createDatabase(`faults_${fault.replace('-', '_')}`);
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
    stdio: 'pipe',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  const account = await benchAccount(databaseUrl, 'shop.test');
  await ses.clear();
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `{faults_${fault}_${Date.now()}}`,
    SES_ENDPOINT: ses.endpoint,
    SES_MAX_SEND_RATE: String(RATE),
    PORT: String(port),
    LOG_LEVEL: 'silent',
    NODE_NO_WARNINGS: '1',
    UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
    RECONCILE_EVERY_MS: '2000',
    RECONCILE_GRACE_MS: '2000',
    SEND_LOCK_DURATION_MS: '2000',
    SEND_STALLED_INTERVAL_MS: '1000',
    SEND_CONFIRM_TIMEOUT_MS: '10000',
    SEND_CONFIRM_POLL_MS: '500',
  };
  const health = `http://127.0.0.1:${port}/health`;
  const exits: ChildProcess[] = [];
  const watch = (child: ChildProcess) => {
    child.once('exit', () => {
      if (!(child as ChildProcess & { stopping?: boolean }).stopping) exits.push(child);
    });
    return child;
  };
  let sender = watch(await startSender(env, health));

  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const intake = new EmailIntake(pool, { nudge: () => undefined } as unknown as OutboxRelay);
  const emails: NewEmail[] = Array.from({ length: EMAILS }, (_, i) => ({
    id: randomUUID(),
    accountId: account.accountId,
    operatorId: account.operatorId,
    userName: 'bench',
    operator: 'bench',
    to: `rcpt-${i}@example.com`,
    from: 'promo@shop.test',
    alias: null,
    subject: 'Promo',
    text: 'we have a new offer this week',
    externalId: null,
    clientId: null,
    callbacks: [],
    unsubscribeMsg: 'Unsubscribe',
    status: 'QUEUED',
    statusReason: null,
    createdAt: new Date(),
  }));
  for (let i = 0; i < emails.length; i += 500) await intake.store(emails.slice(i, i + 500));
  await sleep(1000);

  const faultAt = Date.now();
  switch (fault) {
    case 'none':
      break;
    case 'redis-lost':
      await redis.kill();
      await redis.restart();
      break;
    case 'sender-killed': {
      const killed = sender;
      (killed as ChildProcess & { stopping?: boolean }).stopping = true;
      await new Promise((resolve) => {
        killed.once('exit', resolve);
        killed.kill('SIGKILL');
      });
      sender = watch(await startSender(env, health));
      break;
    }
    case 'postgres-stopped':
      pg.stop();
      await sleep(PG_DOWN_MS);
      await pg.start();
      break;
  }

  let settleSeconds: number | null = null;
  while (Date.now() - faultAt < GIVE_UP_MS) {
    const pending = await pool
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM "Email" WHERE "status" IN ('QUEUED', 'DEQUEUED')`)
      .then((r) => r.rows[0].n)
      .catch(() => -1);
    if (pending === 0) {
      settleSeconds = (Date.now() - faultAt) / 1000;
      break;
    }
    await sleep(200);
  }

  const { rows } = await pool.query<{ status: string; dispatchState: string; n: number }>(
    `SELECT "status", "dispatchState", count(*)::int AS n FROM "Email" GROUP BY 1, 2`,
  );
  const calls = new Map<string, number>();
  for (const stored of await ses.emails()) {
    const id = stored.headers?.find((h) => h.name === 'X-Postline-Email-Id')?.value;
    if (id) calls.set(id, (calls.get(id) ?? 0) + 1);
  }
  const sent = rows.filter((r) => r.status === 'SENT').reduce((sum, r) => sum + r.n, 0);
  const result: Result = {
    fault,
    lost: EMAILS - sent,
    duplicates: [...calls.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    ambiguous: rows.filter((r) => r.dispatchState === 'AMBIGUOUS').reduce((sum, r) => sum + r.n, 0),
    settleSeconds,
    unexpectedExits: exits.length,
  };
  (sender as ChildProcess & { stopping?: boolean }).stopping = true;
  await stopProcess(sender);
  await pool.end();
  return result;
}

/** The sender as its own process; resolves once /health answers (slow to start on a loaded machine). */
async function startSender(env: Record<string, string>, healthUrl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/sender/src/main.ts'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await eventually(async () => (await fetch(healthUrl)).status < 500, 90_000, 200);
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runBench(main);
