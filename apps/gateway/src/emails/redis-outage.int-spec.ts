import { type ChildProcess, spawn } from 'node:child_process';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  eventually,
  outboxRowsHolding,
  type TestAccount,
  freePort,
} from '@postline/testing';
import { Queue } from 'bullmq';

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

const sample = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
};

describe('Redis down: accepted means never lost', () => {
  let redisPort: number;
  let redis: ChildProcess | undefined;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    // This file runs its own Redis so that stopping it touches nobody else's tests.
    process.env.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['elipackage.test'] });
  });

  afterAll(async () => {
    await app?.close();
    redis?.kill('SIGKILL');
    await closeTestPool();
  });

  it('answers 201 QUEUED while Redis is down, and the send job appears once Redis is back', async () => {
    redis?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));

    const res = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: sample,
    });
    expect(res.statusCode).toBe(201);
    const id: string = res.json().data.id;
    expect(res.json().data.status).toBe('QUEUED');
    expect(await outboxRowsHolding(id)).toBe(1);

    redis = await startRedis(redisPort);
    const queue = new Queue('email-send', {
      connection: { host: '127.0.0.1', port: redisPort },
      prefix: process.env.QUEUE_PREFIX,
    });
    try {
      const job = await eventually(() => queue.getJob(id), 15_000);
      expect(job.data).toEqual({ emailId: id });
      await eventually(async () => (await outboxRowsHolding(id)) === 0);
    } finally {
      await queue.close();
    }
  });
});
