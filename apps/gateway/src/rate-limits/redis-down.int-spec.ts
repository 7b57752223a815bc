import { type ChildProcess, spawn } from 'node:child_process';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  eventually,
  freePort,
  type TestAccount,
  testPool,
} from '@postline/testing';

process.env.RATE_LIMIT_PER_KEY = '5';
process.env.RATE_LIMIT_PER_ACCOUNT = '100';

function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'pipe' },
  );
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve(proc));
    proc.on('error', reject);
  });
}

describe('keys and rate limits while Redis is down', () => {
  let redis: ChildProcess | undefined;
  let port: number;
  let app: NestFastifyApplication;
  let account: TestAccount;

  const get = (key: string) =>
    app.inject({ method: 'GET', url: '/account', headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    // A Redis of this file's own, so that stopping it touches nobody else's tests.
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    const { AppModule } = await import('../app.module');
    app = await createTestApp(AppModule);
    account = await createAccount();
  });

  afterAll(async () => {
    // Back up before closing, and reconnected (BullMQ backs off up to 20 s): the queues close through Redis.
    redis ??= await startRedis(port);
    await eventually(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode === 200, 60_000, 200);
    // A queue connection still backing off can refuse to close cleanly; that is not what this file tests.
    await app.close().catch((error: Error) => {
      if (!error.message.includes('Connection is closed')) throw error;
    });
    redis.kill('SIGKILL');
    await closeTestPool();
  }, 90_000);

  it('stops a key revoked in Postgres within about a second once announcements cannot arrive', async () => {
    const other = await createAccount();
    expect((await get(other.apiKey)).statusCode).toBe(200);
    redis?.kill('SIGKILL');
    redis = undefined;
    await new Promise((r) => setTimeout(r, 300));
    // Revoked behind the gateway's back: no announcement can reach it.
    await testPool().query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE "accountId" = $1`, [other.accountId]);
    const start = Date.now();
    await eventually(async () => (await get(other.apiKey)).statusCode === 401, 5000, 50);
    expect(Date.now() - start).toBeLessThan(2500);
  });

  it('fails open: requests still pass, counted in memory, and the limit still holds', async () => {
    expect(redis).toBeUndefined();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await get(account.apiKey);
      statuses.push(res.statusCode);
      if (res.statusCode === 200) expect(res.headers['ratelimit-limit']).toBe('5');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('revokes through the API while Redis is down: refused at once on this replica', async () => {
    const made = await app.inject({
      method: 'POST',
      url: `/admin/accounts/${account.accountId}/api-keys`,
      headers: { authorization: `Bearer ${process.env.ADMIN_API_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'during-outage', operator: 'ops' }),
    });
    expect(made.statusCode).toBe(201);
    const { key, apiKey } = made.json().data as { key: string; apiKey: { id: string } };
    expect((await get(key)).statusCode).toBe(200);
    const revoked = await app.inject({
      method: 'POST',
      url: `/admin/accounts/${account.accountId}/api-keys/${apiKey.id}/revoke`,
      headers: { authorization: `Bearer ${process.env.ADMIN_API_KEY}` },
    });
    expect(revoked.statusCode).toBe(200);
    expect((await get(key)).statusCode).toBe(401);
  });
});
