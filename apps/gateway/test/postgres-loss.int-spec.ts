import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eventually, freePort, LocalSes, TestPostgres } from '@postline/testing';
import { Client } from 'pg';

const CONCURRENCY = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app as its own process, as `npm start` runs it, so that an exit would be seen. */
async function startApp(app: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
    {
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`)).ok, 60_000, 200);
  return { child, url };
}

/** An account with a verified sender domain and an API key, straight in the database. */
async function createAccount(databaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const [accountId, operatorId] = [randomUUID(), randomUUID()];
  const apiKey = `pl_live_${randomBytes(24).toString('base64url')}`;
  await db.query(
    `INSERT INTO "Account" ("id", "name", "webhookSecret", "updatedAt") VALUES ($1, 'pg-loss', 'whsec_x', now())`,
    [accountId],
  );
  await db.query(`INSERT INTO "Operator" ("id", "accountId", "name") VALUES ($1, $2, 'ops')`, [operatorId, accountId]);
  await db.query(
    `INSERT INTO "ApiKey" ("id", "accountId", "operatorId", "prefix", "hash") VALUES ($1, $2, $3, 'pl_live_x', $4)`,
    [randomUUID(), accountId, operatorId, createHash('sha256').update(apiKey).digest('hex')],
  );
  await db.query(
    `INSERT INTO "SenderIdentity" ("id", "accountId", "kind", "identity", "status", "updatedAt")
     VALUES ($1, $2, 'DOMAIN', 'shop.test', 'VERIFIED', now())`,
    [randomUUID(), accountId],
  );
  await db.end();
  return apiKey;
}

// Postgres stopped under load and started again: no process exits, requests in flight get 503 with
// Retry-After (or their 201), and every accepted email is sent once Postgres is back.
describe('Postgres lost under load', () => {
  let pg: TestPostgres;
  let ses: LocalSes;
  let databaseUrl: string;
  const apps: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await TestPostgres.create('postline_pgloss');
    databaseUrl = await pg.createDatabase('postline');
    execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
      stdio: 'pipe',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    ses = await LocalSes.start();
  }, 120_000);

  afterAll(async () => {
    for (const child of apps) child.kill('SIGKILL');
    await ses?.stop();
    pg?.remove();
  });

  it('keeps every app running, answers 503 while it is down, and sends every accepted email after', async () => {
    const apiKey = await createAccount(databaseUrl);
    // Sends that failed while Postgres was down retry with backoff: keep it short, the test is about recovery.
    const env = {
      DATABASE_URL: databaseUrl,
      SES_ENDPOINT: ses.endpoint,
      SES_MAX_SEND_RATE: '200',
      SEND_RETRY_BASE_DELAY_MS: '500',
      SEND_RETRY_MAX_DELAY_MS: '5000',
      // A dispatch whose "started" record was in doubt when Postgres went away waits for an SES Send event
      // (none here) and then ends AMBIGUOUS: shorten that wait so the test sees every email settle.
      SEND_CONFIRM_TIMEOUT_MS: '3000',
      SEND_CONFIRM_POLL_MS: '500',
    };
    const gateway = await startApp('gateway', env);
    const sender = await startApp('sender', env);
    apps.push(gateway.child, sender.child);
    const exits: string[] = [];
    for (const [name, child] of [
      ['gateway', gateway.child],
      ['sender', sender.child],
    ] as const) {
      child.once('exit', (code, signal) => exits.push(`${name}: ${code ?? signal}`));
    }

    const accepted: string[] = [];
    const unavailable: (string | null)[] = [];
    const other: string[] = [];
    let sending = true;
    const client = async () => {
      for (let i = 0; sending; i++) {
        try {
          const res = await fetch(`${gateway.url}/emails`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              to: `rcpt-${randomUUID()}@example.com`,
              from: 'promo@shop.test',
              subject: 'Hi',
              text: 'hello',
            }),
          });
          const body = (await res.json()) as { data?: { id: string } };
          if (res.status === 201 && body.data) accepted.push(body.data.id);
          else if (res.status === 503) unavailable.push(res.headers.get('retry-after'));
          else other.push(String(res.status));
        } catch (error) {
          other.push((error as Error).message);
        }
        if (!sending) return;
      }
    };
    const clients = Array.from({ length: CONCURRENCY }, client);
    await sleep(1500);
    pg.stop();
    await sleep(3000);
    await pg.start();
    await sleep(3000);
    sending = false;
    await Promise.all(clients);

    expect(exits).toEqual([]);
    expect(other).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((retryAfter) => retryAfter === '5')).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);

    const db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined); // afterAll stops this cluster: a dropped connection must not crash the run
    await db.connect();
    try {
      // Every accepted email settles: SENT, or AMBIGUOUS when its dispatch start was in doubt at the outage
      // (at most the calls in flight then). None stays QUEUED or DEQUEUED: nothing accepted is lost.
      await eventually(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[])
               AND ("status" = 'SENT' OR ("status" = 'EXHAUSTED' AND "dispatchState" = 'AMBIGUOUS'))`,
            [accepted],
          );
          return rows[0].n === accepted.length;
        },
        240_000,
        500,
      );
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "dispatchState" = 'AMBIGUOUS'`,
        [accepted],
      );
      expect(rows[0].n).toBeLessThanOrEqual(CONCURRENCY);
    } finally {
      await db.end();
    }
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect((await fetch(`${sender.url}/health`)).status).toBe(200);
    expect(exits).toEqual([]);
    // Two apps started from TypeScript, the outage and the sends after it: more than jest's default minute.
  }, 480_000);
});
