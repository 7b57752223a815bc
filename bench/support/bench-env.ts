import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** A database of its own for one benchmark run (dropped at the end), with migrations applied. */
export async function benchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `postline_bench_${label}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
    stdio: 'pipe',
    env: { ...process.env, DATABASE_URL: url.toString() },
  });
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** An account with a verified sender domain and an API key, straight in the database. */
export async function benchAccount(databaseUrl: string, senderDomain = 'elipackage.test') {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const accountId = randomUUID();
  const operatorId = randomUUID();
  const apiKey = `pl_live_${randomBytes(24).toString('base64url')}`;
  await db.query(
    `INSERT INTO "Account" ("id", "name", "webhookSecret", "updatedAt") VALUES ($1, $2, 'whsec_x', now())`,
    [accountId, `bench-${Date.now()}`],
  );
  await db.query(`INSERT INTO "Operator" ("id", "accountId", "name") VALUES ($1, $2, 'bench')`, [
    operatorId,
    accountId,
  ]);
  await db.query(
    `INSERT INTO "ApiKey" ("id", "accountId", "operatorId", "prefix", "hash") VALUES ($1, $2, $3, 'pl_live_x', $4)`,
    [randomUUID(), accountId, operatorId, createHash('sha256').update(apiKey).digest('hex')],
  );
  await db.query(
    `INSERT INTO "SenderIdentity" ("id", "accountId", "kind", "identity", "status", "updatedAt") VALUES ($1, $2, 'DOMAIN', $3, 'VERIFIED', now())`,
    [randomUUID(), accountId, senderDomain],
  );
  await db.end();
  return { accountId, operatorId, apiKey };
}

/** Starts a TypeScript entry point as its own process and resolves once `url` answers. */
export async function startProcess(
  entry: string,
  env: Record<string, string>,
  healthUrl: string,
): Promise<ChildProcess> {
  // The same young-generation size as npm start gives every app. BENCH_NODE_ARGS adds flags Node refuses in
  // NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile the apps under load.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...extra, '--max-semi-space-size=64', '-r', '@swc-node/register', '-r', 'tsconfig-paths/register', entry],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(healthUrl);
      if (res.status < 500) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${entry} did not start`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  // A child that ended on a signal (the SIGTERM below) keeps exitCode null: its 'exit' has already fired.
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}

/** Deletes every Redis key of the run's queue prefixes. */
export async function dropQueueKeys(...prefixes: string[]): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
  } finally {
    redis.disconnect();
  }
}

/** Runs a benchmark's main and exits: 0 when it finished, 1 with the error printed when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
