import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName } from '@postline/contracts';
import { createSesClient } from '@postline/ses';
import { Queue } from 'bullmq';
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

const content = {
  from: 'promo@elipackage.test',
  alias: 'New User',
  subject: 'EliPackage Promo',
  text: '<p>We have a <b>new offer</b> this week: 20 % off everything until Sunday.</p><p><a href="https://elipackage.test/offer">See the offer</a></p>',
  unsubscribeMsg: 'Unsubscribe',
};

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

async function startEmulator(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['node_modules/aws-ses-v2-local/dist/cli.js', '--host', '127.0.0.1', '--port', String(SES_PORT)],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${SES_ENDPOINT}/health-check`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('aws-ses-v2-local did not start');
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
    { id: randomUUID(), accountId: randomUUID(), to: 'user@example.com', ...content },
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

/** Inserts QUEUED emails straight in the database, in multi-row batches. */
async function insertEmails(db: Client, accountId: string, operatorId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 2000) {
    const rows = Array.from({ length: Math.min(2000, count - offset) }, (_, i) => ({
      id: randomUUID(),
      accountId,
      operatorId,
      to: `user${offset + i}@example.com`,
      ...content,
      externalId: 'bench-campaign',
    }));
    ids.push(...rows.map((r) => r.id));
    await db.query(
      `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId", "unsubscribeMsg",
         "status", "sequence", "updatedAt")
       SELECT v."id", v."accountId", v."operatorId", v."to", v."from", v."alias", v."subject", v."text", v."externalId", v."unsubscribeMsg",
         'QUEUED', 1, now()
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "operatorId" uuid, "to" text, "from" text, "alias" text,
         "subject" text, "text" text, "externalId" text, "unsubscribeMsg" text)`,
      [JSON.stringify(rows)],
    );
  }
  return ids;
}

/**
 * The same emails, personalized: one template version (the plain content with placeholders) and each email's
 * own variables, rendered by the sender.
 */
async function insertTemplatedEmails(
  db: Client,
  accountId: string,
  operatorId: string,
  count: number,
): Promise<string[]> {
  const templateId = randomUUID();
  await db.query(`INSERT INTO "Template" ("id", "accountId", "name", "currentVersion") VALUES ($1, $2, 'bench', 1)`, [
    templateId,
    accountId,
  ]);
  await db.query(`INSERT INTO "TemplateVersion" ("templateId", "version", "subject", "html") VALUES ($1, 1, $2, $3)`, [
    templateId,
    'EliPackage Promo for {{firstName}}',
    '<p>Hello {{firstName}}, we have a <b>new offer</b> this week: {{discount}} off everything until Sunday.</p><p><a href="https://elipackage.test/offer?c={{code}}">See the offer</a></p>',
  ]);
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 2000) {
    const rows = Array.from({ length: Math.min(2000, count - offset) }, (_, i) => ({
      id: randomUUID(),
      accountId,
      operatorId,
      to: `user${offset + i}@example.com`,
      ...content,
      text: '',
      externalId: 'bench-campaign',
      templateId,
      variables: { firstName: `Customer ${offset + i}`, discount: '20 %', code: `C${offset + i}` },
    }));
    ids.push(...rows.map((r) => r.id));
    await db.query(
      `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId", "unsubscribeMsg",
         "status", "sequence", "updatedAt", "templateId", "templateVersion", "variables")
       SELECT v."id", v."accountId", v."operatorId", v."to", v."from", v."alias", v."subject", v."text", v."externalId", v."unsubscribeMsg",
         'QUEUED', 1, now(), v."templateId", 1, v."variables"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "operatorId" uuid, "to" text, "from" text, "alias" text,
         "subject" text, "text" text, "externalId" text, "unsubscribeMsg" text, "templateId" uuid, "variables" jsonb)`,
      [JSON.stringify(rows)],
    );
  }
  return ids;
}

async function enqueue(prefix: string, ids: string[]): Promise<void> {
  const url = new URL(REDIS_URL);
  const queue = new Queue(QueueName.EmailSend, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix,
  });
  for (let i = 0; i < ids.length; i += 1000) {
    await queue.addBulk(
      ids.slice(i, i + 1000).map((emailId) => ({
        name: JobName.SendEmail,
        data: { emailId },
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: emailId },
      })),
    );
  }
  await queue.close();
}

async function sentCount(db: Client, ids: string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'SENT'`,
    [ids],
  );
  return Number(rows[0].n);
}

/** Where the emails that are not SENT are, e.g. `22 DEQUEUED (dispatch STARTED)`. */
async function notSentSummary(db: Client, ids: string[]): Promise<string> {
  const { rows } = await db.query<{ status: string; dispatchState: string; n: number }>(
    `SELECT "status", "dispatchState", count(*)::int AS n FROM "Email"
     WHERE "id" = ANY($1::uuid[]) AND "status" <> 'SENT' GROUP BY 1, 2 ORDER BY 3 DESC`,
    [ids],
  );
  return rows.map((r) => `${r.n} ${r.status} (dispatch ${r.dispatchState})`).join(', ');
}

/**
 * Waits until every email is SENT. Fails once no email has reached SENT for `stallMs`: an email whose
 * SendEmail outcome is unknown waits for an SES Send event the emulator never publishes.
 */
async function waitAllSent(db: Client, ids: string[], stallMs: number): Promise<void> {
  let sent = 0;
  let progressAt = Date.now();
  for (;;) {
    const now = await sentCount(db, ids);
    if (now === ids.length) return;
    if (now > sent) {
      sent = now;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallMs) {
      throw new Error(
        `${ids.length - now} of ${ids.length} emails never reached SENT (none for ${stallMs / 1000} s): ` +
          (await notSentSummary(db, ids)),
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
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
  const emulator = await startEmulator();
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
    const ids = await insertEmails(db, account.accountId, account.operatorId, EMAILS);
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
    await enqueue(prefix, ids);
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
    await enqueue(templatedPrefix, templatedIds);
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
    const limitedIds = await insertEmails(
      db,
      account.accountId,
      account.operatorId,
      LIMITED_RATE * (LIMITED_SECONDS + 2),
    );
    await enqueue(limitedPrefix, limitedIds);
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
