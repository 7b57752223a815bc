import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createSesClient } from '@postline/ses';
import { Client } from 'pg';
import { buildSendEmailInput } from '../apps/sender/src/content/message-builder';
import {
  benchAccount,
  benchDatabase,
  pct,
  startProcess,
  stopProcess,
  runBench,
  dropQueueKeys,
} from './support/bench-env';
import { cpuPerItem, cpuSnapshot, postgresCpu } from './support/cpu-usage';
import { freePort } from '@postline/testing';
import {
  BENCH_CONTENT,
  enqueueSends,
  insertQueuedEmails,
  insertTemplatedEmails,
  startSesEmulator,
  waitAllSent,
} from './support/sender-run';

// npm run bench:sender — emails/s drained by the sender (20,000 emails inserted straight in the database and
// queued) to aws-ses-v2-local, against the same run's ceiling: a bare loop of SendEmail with the same content
// and concurrency. Then the rate limit: with SES_MAX_SEND_RATE below what the sender can do, the rate held.
const EMAILS = Number(process.env.BENCH_EMAILS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
// Default: half of what the sender just drained, so the limit (not the machine) sets the pace.
const CONFIGURED_RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const LIMITED_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 12);
// The run fails when no email reaches SENT for this long.
const STALL_SECONDS = Number(process.env.BENCH_STALL_SECONDS ?? 30);
let SES_PORT = 0;
let SENDER_PORT = 0;
let SES_ENDPOINT = '';
const PUBLIC_BASE_URL = 'https://postline.example';
const UNSUBSCRIBE_SECRET = 'bench-unsubscribe-secret-0123456789';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * For the rate check: an SES stand-in that answers SendEmail at once and notes when each call arrived (ms),
 * so the rate is measured where SES would measure it.
 */
async function startCountingSes(): Promise<{ endpoint: string; arrivals: number[]; close: () => Promise<void> }> {
  const arrivals: number[] = [];
  let sequence = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) arrivals.push(Date.now());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ MessageId: `bench-${++sequence}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const clearEmulator = () => fetch(`${SES_ENDPOINT}/clear-store`, { method: 'POST' });

/** A bare loop of SendEmail: the SDK with the sender's client settings, one prepared request, no database, no queue. */
async function ceiling(count: number): Promise<{ perSecond: number; cpuMsPerEmail: number }> {
  const client = createSesClient({
    endpoint: SES_ENDPOINT,
    region: 'us-east-1',
    maxAttempts: 1,
    maxSockets: CONCURRENCY,
  });
  const input = buildSendEmailInput(
    { id: randomUUID(), accountId: randomUUID(), to: 'user@example.com', ...BENCH_CONTENT },
    { publicBaseUrl: PUBLIC_BASE_URL, unsubscribeSecret: UNSUBSCRIBE_SECRET, localMode: true },
  );
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await client.send(new SendEmailCommand(input));
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  client.destroy();
  return { perSecond: count / seconds, cpuMsPerEmail: (used.user + used.system) / 1000 / count };
}

async function sentTimes(db: Client, ids: string[]): Promise<number[]> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT (extract(epoch FROM "sentAt") * 1000)::float8 AS t FROM "Email" WHERE "id" = ANY($1::uuid[]) ORDER BY "sentAt"`,
    [ids],
  );
  return rows.map((r) => Number(r.t));
}

async function main(): Promise<void> {
  SES_PORT = await freePort();
  SENDER_PORT = await freePort();
  SES_ENDPOINT = `http://127.0.0.1:${SES_PORT}`;
  const database = await benchDatabase('sender');
  const databaseName = new URL(database.url).pathname.slice(1);
  const account = await benchAccount(database.url);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const prefixes: string[] = [];
  // Stopped at the end even when the run fails (a stalled sender would otherwise outlive the bench).
  const senders: ChildProcess[] = [];
  const emulator = await startSesEmulator(SES_PORT);
  const senderEnv = (prefix: string, rate: number, sesEndpoint = SES_ENDPOINT) => ({
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: String(SENDER_PORT),
    LOG_LEVEL: 'error',
    SES_ENDPOINT: sesEndpoint,
    SES_MAX_SEND_RATE: String(rate),
    SEND_CONCURRENCY: String(CONCURRENCY),
    PUBLIC_BASE_URL,
    UNSUBSCRIBE_SECRET,
  });
  try {
    // 1. Ceiling: warm-up, then the measured loop.
    await ceiling(2000);
    await clearEmulator();
    const bare = await ceiling(EMAILS);
    await clearEmulator();

    // 2. The sender draining a backlog of EMAILS (rate limit far above it).
    const prefix = `{bench-sender-${Date.now()}}`;
    prefixes.push(prefix);
    const ids = await insertQueuedEmails(db, account.accountId, account.operatorId, EMAILS);
    const sender = await startProcess(
      'apps/sender/src/main.ts',
      senderEnv(prefix, 1_000_000),
      `http://127.0.0.1:${SENDER_PORT}/health`,
    );
    senders.push(sender);
    const cpuBefore: Record<string, number> = {
      ...cpuSnapshot({ sender: sender.pid as number, emulator: emulator.pid as number }, ['redis-server']),
      postgres: postgresCpu(databaseName),
    };
    const started = performance.now();
    await enqueueSends(REDIS_URL, prefix, ids);
    await waitAllSent(db, ids, STALL_SECONDS * 1000);
    const wall = (performance.now() - started) / 1000;
    const cpuAfter: Record<string, number> = {
      ...cpuSnapshot({ sender: sender.pid as number, emulator: emulator.pid as number }, ['redis-server']),
      postgres: postgresCpu(databaseName),
    };
    await stopProcess(sender);
    const times = await sentTimes(db, ids);
    const drained = (ids.length - 1) / ((times[times.length - 1] - times[0]) / 1000);
    const stored = ((await (await fetch(`${SES_ENDPOINT}/store`)).json()) as { emails: unknown[] }).emails.length;
    await clearEmulator();

    // 2b. The same backlog personalized: one template, each email's own variables, rendered by the sender.
    const templatedPrefix = `{bench-sender-tpl-${Date.now()}}`;
    prefixes.push(templatedPrefix);
    const templatedIds = await insertTemplatedEmails(db, account.accountId, account.operatorId, EMAILS);
    const templatedSender = await startProcess(
      'apps/sender/src/main.ts',
      senderEnv(templatedPrefix, 1_000_000),
      `http://127.0.0.1:${SENDER_PORT}/health`,
    );
    senders.push(templatedSender);
    await enqueueSends(REDIS_URL, templatedPrefix, templatedIds);
    await waitAllSent(db, templatedIds, STALL_SECONDS * 1000);
    await stopProcess(templatedSender);
    const templatedTimes = await sentTimes(db, templatedIds);
    const templatedDrained =
      (templatedIds.length - 1) / ((templatedTimes[templatedTimes.length - 1] - templatedTimes[0]) / 1000);
    await clearEmulator();

    // 3. Rate limit: a backlog larger than the limit allows in the window, calls timed where they reach SES,
    //    measured in steady state (whole seconds after the first).
    const LIMITED_RATE = CONFIGURED_RATE ?? Math.max(10, Math.floor(drained / 20) * 10);
    const limitedPrefix = `{bench-sender-rate-${Date.now()}}`;
    prefixes.push(limitedPrefix);
    const counting = await startCountingSes();
    const limitedIds = await insertQueuedEmails(
      db,
      account.accountId,
      account.operatorId,
      LIMITED_RATE * (LIMITED_SECONDS + 2),
    );
    await enqueueSends(REDIS_URL, limitedPrefix, limitedIds);
    const limited = await startProcess(
      'apps/sender/src/main.ts',
      senderEnv(limitedPrefix, LIMITED_RATE, counting.endpoint),
      `http://127.0.0.1:${SENDER_PORT}/health`,
    );
    senders.push(limited);
    const deadline = Date.now() + (LIMITED_SECONDS + 5) * 1000;
    while (
      Date.now() < deadline &&
      (counting.arrivals.length === 0 ||
        counting.arrivals[counting.arrivals.length - 1] - counting.arrivals[0] < (LIMITED_SECONDS + 0.5) * 1000)
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await stopProcess(limited);
    await counting.close();
    const arrivals = [...counting.arrivals].sort((a, b) => a - b);
    const from = arrivals[0] + 1000;
    const to = from + (LIMITED_SECONDS - 1) * 1000;
    const heldRate = arrivals.filter((t) => t >= from && t < to).length / (LIMITED_SECONDS - 1);
    let busiestSecond = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[j] <= arrivals[i] - 1000) j++;
      busiestSecond = Math.max(busiestSecond, i - j + 1);
    }

    console.log(
      `\nsender → aws-ses-v2-local, ${EMAILS} emails queued, concurrency ${CONCURRENCY} (one sender process)`,
    );
    console.log(
      `sender                 ${drained.toFixed(0)} emails/s   (first to last SENT; wall ${wall.toFixed(1)} s incl. enqueue, ${(EMAILS / wall).toFixed(0)}/s)`,
    );
    console.log(
      `ceiling (bare SendEmail loop, same content and concurrency) ${bare.perSecond.toFixed(0)} emails/s   (loop CPU ${bare.cpuMsPerEmail.toFixed(3)} ms per email)`,
    );
    console.log(`ratio                  ${pct(drained, bare.perSecond)}   (goal ≥ 80 %)`);
    console.log(
      `sender, rendering      ${templatedDrained.toFixed(0)} emails/s   (one template, each email's own variables)`,
    );
    console.log(`rendering / plain      ${pct(templatedDrained, drained)}   (goal ≥ 85 %)`);
    console.log(`emulator received      ${stored} (expected ${EMAILS}: each email once)`);
    console.log(
      `CPU ms per email       ${cpuPerItem(cpuBefore, cpuAfter, EMAILS)}   (postgres: this database's backends; redis-server: all)`,
    );
    const cpuMsPerEmail = Object.keys(cpuAfter).reduce(
      (sum, k) => sum + ((cpuAfter[k] - (cpuBefore[k] ?? 0)) * 1000) / EMAILS,
      0,
    );
    console.log(
      `                       ${cpuMsPerEmail.toFixed(2)} ms of CPU per email in all → at most ${((cpus().length * 1000) / cpuMsPerEmail).toFixed(0)} emails/s on ${cpus().length} cores`,
    );
    console.log(
      `rate limit ${LIMITED_RATE}/s       held ${heldRate.toFixed(1)}/s at SES over ${LIMITED_SECONDS - 1} s of steady state (${pct(heldRate, LIMITED_RATE)} of the limit; goal within 2 %)`,
    );
    console.log(`                       busiest sliding second: ${busiestSecond} calls (limit ${LIMITED_RATE})`);
  } finally {
    await Promise.all(senders.map(stopProcess));
    await db.end();
    emulator.kill();
    await dropQueueKeys(...prefixes);
    await database.drop();
  }
}

runBench(main);
