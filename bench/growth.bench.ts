import type { ChildProcess } from 'node:child_process';
import { freePort } from '@postline/testing';
import { Client } from 'pg';
import { encodeCursor } from '../apps/gateway/src/emails/cursor';
import { benchAccount, benchDatabase, dropQueueKeys, runBench, startProcess, stopProcess } from './support/bench-env';
import { cpuSnapshot, postgresCpu } from './support/cpu-usage';
import { formatLatency, type Latency, measureGets } from './support/get-latency';
import { enqueueSends, insertQueuedEmails, startSesEmulator, waitAllSent } from './support/sender-run';
import { insertSyntheticEmails } from './support/synthetic-emails';

// npm run bench:growth — how cost grows with the data and with the replicas.
// 1. The sender's CPU per email with 1 and with 3 sender processes draining the same backlog (same machine).
// 2. GET /emails (filters, cursor pages anywhere in the account) and GET /emails/{id} p99 with 1,000,000 and
//    then 5,000,000 emails (two events each) in one account, beside GET /health through the same gateway: the
//    floor of any request in the same run.
const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '1000000,5000000').split(',').map(Number);
const SENDER_EMAILS = Number(process.env.BENCH_SENDER_EMAILS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface SenderRun {
  replicas: number;
  perSecond: number;
  cpuMs: Record<string, number>;
}

/** Drains SENDER_EMAILS queued emails with `replicas` sender processes; CPU per email by process kind. */
async function senderRun(replicas: number): Promise<SenderRun> {
  const database = await benchDatabase(`growth_sender_${replicas}`);
  const databaseName = new URL(database.url).pathname.slice(1);
  const account = await benchAccount(database.url);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const sesPort = await freePort();
  const emulator = await startSesEmulator(sesPort);
  const prefix = `{bench-growth-${replicas}-${Date.now()}}`;
  const senders: ChildProcess[] = [];
  try {
    const ids = await insertQueuedEmails(db, account.accountId, account.operatorId, SENDER_EMAILS);
    for (let i = 0; i < replicas; i++) {
      const port = await freePort();
      senders.push(
        await startProcess(
          'apps/sender/src/main.ts',
          {
            DATABASE_URL: database.url,
            REDIS_URL,
            QUEUE_PREFIX: prefix,
            PORT: String(port),
            LOG_LEVEL: 'error',
            SES_ENDPOINT: `http://127.0.0.1:${sesPort}`,
            SES_MAX_SEND_RATE: '1000000',
            PUBLIC_BASE_URL: 'https://postline.example',
            UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
          },
          `http://127.0.0.1:${port}/health`,
        ),
      );
    }
    const pids = Object.fromEntries(senders.map((s, i) => [`sender-${i}`, s.pid as number]));
    const snapshot = () => {
      const cpu = cpuSnapshot({ ...pids, emulator: emulator.pid as number }, ['redis-server']);
      const senderSeconds = Object.keys(pids).reduce((sum, k) => sum + (cpu[k] ?? 0), 0);
      return { senders: senderSeconds, 'redis-server': cpu['redis-server'] ?? 0, postgres: postgresCpu(databaseName) };
    };
    const before = snapshot();
    const started = performance.now();
    await enqueueSends(REDIS_URL, prefix, ids);
    await waitAllSent(db, ids, 60_000);
    const seconds = (performance.now() - started) / 1000;
    const after = snapshot();
    const cpuMs = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, ((v - before[k as keyof typeof before]) * 1000) / ids.length]),
    );
    return { replicas, perSecond: ids.length / seconds, cpuMs };
  } finally {
    await Promise.all(senders.map(stopProcess));
    emulator.kill();
    await db.end();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}

interface ListRun {
  size: number;
  seedSeconds: number;
  latency: Record<string, Latency>;
}

async function listRuns(): Promise<ListRun[]> {
  const database = await benchDatabase('growth_list');
  const account = await benchAccount(database.url);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${account.apiKey}` };
  const prefix = `{bench-growth-list-${Date.now()}}`;
  let gateway: ChildProcess | undefined;
  const runs: ListRun[] = [];
  try {
    let seeded = 0;
    for (const size of SIZES) {
      const seedSeconds = await insertSyntheticEmails(db, account, {
        first: seeded,
        count: size - seeded,
        events: true,
      });
      seeded = size;
      console.log(`${size.toLocaleString('en')} emails stored (seeded in ${seedSeconds.toFixed(0)} s)`);
      // The gateway starts once the first data set is in; its pool and plans then see each size as it grows.
      gateway ??= await startProcess(
        'apps/gateway/src/main.ts',
        {
          DATABASE_URL: database.url,
          QUEUE_PREFIX: prefix,
          ADMIN_API_KEY: 'bench-admin-key-0123456789',
          UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
          LOG_LEVEL: 'error',
          SWAGGER_ENABLED: 'false',
          PORT: String(port),
        },
        `${base}/health`,
      );
      // Rows anywhere in the account: their ids for GET /emails/{id}, their keys as cursors for a page that
      // starts there, their addresses for the `to` filter.
      const { rows: sample } = await db.query<{ id: string; createdAt: string; to: string }>(
        `SELECT "id", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", "to"
         FROM "Email" TABLESAMPLE SYSTEM (1) ORDER BY random() LIMIT 1000`,
      );
      const pick = (n: number) => sample[(n * 7919) % sample.length];
      const cursor = (n: number) => encodeCursor({ createdAt: new Date(pick(n).createdAt), id: pick(n).id });
      const cases: Record<string, string | ((n: number) => string)> = {
        'GET /health (floor)': `${base}/health`,
        'GET /emails (first page of 50)': `${base}/emails?limit=50`,
        'GET /emails?cursor (page anywhere)': (n) => `${base}/emails?limit=50&cursor=${cursor(n)}`,
        'GET /emails?status=DELIVERED&cursor': (n) => `${base}/emails?status=DELIVERED&limit=50&cursor=${cursor(n)}`,
        'GET /emails?externalId (1 of 100)': (n) => `${base}/emails?externalId=campaign-${n % 100}&limit=50`,
        'GET /emails?to': (n) => `${base}/emails?to=${encodeURIComponent(pick(n).to)}`,
        'GET /emails/{id} (with events)': (n) => `${base}/emails/${pick(n).id}`,
      };
      const latency: Record<string, Latency> = {};
      for (const [label, url] of Object.entries(cases)) {
        await measureGets(url, headers, Math.min(200, REQUESTS), CONCURRENCY); // warm-up, discarded
        latency[label] = await measureGets(url, headers, REQUESTS, CONCURRENCY);
      }
      runs.push({ size, seedSeconds, latency });
    }
    return runs;
  } finally {
    if (gateway) await stopProcess(gateway);
    await db.end();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}

async function main(): Promise<void> {
  const one = await senderRun(1);
  const three = await senderRun(3);
  const lists = await listRuns();

  const cpu = (r: SenderRun) =>
    `${Object.entries(r.cpuMs)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}; all ${Object.values(r.cpuMs)
      .reduce((a, b) => a + b, 0)
      .toFixed(3)} ms`;
  console.log(`\nsender CPU per email, ${SENDER_EMAILS} emails to aws-ses-v2-local (ms of CPU per email)`);
  for (const r of [one, three]) {
    console.log(`  ${r.replicas} sender${r.replicas > 1 ? 's' : ' '}   ${r.perSecond.toFixed(0)} emails/s   ${cpu(r)}`);
  }
  console.log(
    `  senders' CPU per email, 3 replicas / 1: ${(three.cpuMs.senders / one.cpuMs.senders).toFixed(2)}× (flat ≈ 1: replicas add no per-email work)`,
  );

  console.log(`\nGET latency with the account's emails stored (${CONCURRENCY} concurrent, ${REQUESTS} requests each)`);
  for (const run of lists) {
    console.log(`  ${run.size.toLocaleString('en')} emails`);
    for (const [label, l] of Object.entries(run.latency)) console.log(`    ${label.padEnd(40)} ${formatLatency(l)}`);
  }
  if (lists.length > 1) {
    const [first, last] = [lists[0], lists[lists.length - 1]];
    console.log(`  p99 at ${last.size.toLocaleString('en')} / p99 at ${first.size.toLocaleString('en')} (flat ≈ 1)`);
    for (const label of Object.keys(first.latency)) {
      console.log(`    ${label.padEnd(40)} ${(last.latency[label].p99 / first.latency[label].p99).toFixed(2)}×`);
    }
  }
}

runBench(main);
