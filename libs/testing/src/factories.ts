import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { utcPoolConfig } from '@postline/database';
import type { NewEmail } from '@postline/email-ledger';
import { Pool } from 'pg';

export interface TestAccount {
  accountId: string;
  operatorId: string;
  name: string;
  operatorName: string;
  apiKey: string;
  webhookSecret: string;
}

let pool: Pool | undefined;

/** One pool per test file on the run's database, for factories and assertions. */
export function testPool(): Pool {
  pool ??= new Pool(utcPoolConfig({ connectionString: process.env.DATABASE_URL, max: 4 }));
  return pool;
}

export async function closeTestPool(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

/** An account with one operator and one API key, written straight to the database. */
export async function createAccount(
  opts: { name?: string; operatorName?: string; senders?: string[] } = {},
): Promise<TestAccount> {
  const db = testPool();
  const accountId = randomUUID();
  const operatorId = randomUUID();
  const name = opts.name ?? `acct-${randomBytes(4).toString('hex')}`;
  const operatorName = opts.operatorName ?? 'ops';
  const apiKey = `pl_live_${randomBytes(24).toString('base64url')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  await db.query(`INSERT INTO "Account" ("id", "name", "webhookSecret", "updatedAt") VALUES ($1, $2, $3, now())`, [
    accountId,
    name,
    webhookSecret,
  ]);
  await db.query(`INSERT INTO "Operator" ("id", "accountId", "name") VALUES ($1, $2, $3)`, [
    operatorId,
    accountId,
    operatorName,
  ]);
  await db.query(
    `INSERT INTO "ApiKey" ("id", "accountId", "operatorId", "prefix", "hash") VALUES ($1, $2, $3, $4, $5)`,
    [randomUUID(), accountId, operatorId, apiKey.slice(0, 12), createHash('sha256').update(apiKey).digest('hex')],
  );
  for (const identity of opts.senders ?? []) await addVerifiedSender(accountId, identity);
  return { accountId, operatorId, name, operatorName, apiKey, webhookSecret };
}

/** A verified sender identity: an address (`a@b.test`) or a domain (`b.test`). */
export async function addVerifiedSender(accountId: string, identity: string): Promise<void> {
  await testPool().query(
    `INSERT INTO "SenderIdentity" ("id", "accountId", "kind", "identity", "status", "verifiedAt", "updatedAt")
     VALUES ($1, $2, $3, $4, 'VERIFIED', now(), now())`,
    [randomUUID(), accountId, identity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN', identity.toLowerCase()],
  );
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An email as the gateway accepts it (QUEUED, to be stored through EmailIntake), with what a test changes. */
export function queuedEmail(account: TestAccount, overrides: Partial<NewEmail> = {}): NewEmail {
  return {
    id: randomUUID(),
    accountId: account.accountId,
    operatorId: account.operatorId,
    userName: account.name,
    operator: account.operatorName,
    to: 'user@example.com',
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
    ...overrides,
  };
}

/** How many outbox rows still hold the job with this id (an outbox row holds a group of jobs). */
export async function outboxRowsHolding(jobId: string): Promise<number> {
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "OutboxEvent" WHERE "jobs" @> jsonb_build_array(jsonb_build_object('id', $1::text))`,
    [jobId],
  );
  return rows[0].n;
}
