import { type ChildProcess, spawn } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { closeTestPool, createAccount, eventually } from '@postline/testing';
import { attemptLog, deliveryState, queueCallbacks } from '../testing/webhook-fixtures';
import { TestReceiver } from '../testing/test-receiver';

const WORKER_ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  // A dead worker's delivery is due again once its lease lapses: short here, 60 s by default.
  WEBHOOK_LEASE_MS: '3500',
  WEBHOOK_TIMEOUT_MS: '1500',
  PORT: '0',
};
Object.assign(process.env, WORKER_ENV);

/** The webhooks app as `npm start` runs it, in its own process, so that it can be killed outright. */
function startWorkerProcess(): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/webhooks/src/main.ts'],
    {
      cwd: process.cwd(),
      env: { ...process.env, ...WORKER_ENV, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    },
  );
}

describe('a webhook worker killed mid-delivery (integration)', () => {
  let receiver: TestReceiver;
  let child: ChildProcess | undefined;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    receiver = await TestReceiver.start();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await app?.close();
    await receiver.stop();
    await closeTestPool();
  });

  it('loses nothing: another worker delivers the event again with the same webhook-id', async () => {
    // The first POST is held open until the worker that sent it dies; later ones are answered.
    receiver.handler = (_req, res, index) => {
      if (index > 0) res.writeHead(200).end();
    };
    const account = await createAccount();
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/killed')]);

    child = startWorkerProcess();
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    await eventually(async () => receiver.byId(d.eventId).length === 1, 30_000, 100);
    child.kill('SIGKILL');
    await exited;
    expect((await deliveryState(d.deliveryId)).status).toBe('PENDING');

    const { AppModule } = await import('../app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    await eventually(async () => (await deliveryState(d.deliveryId)).status === 'SUCCEEDED', 15_000);

    const [first, second] = receiver.byId(d.eventId);
    expect(receiver.byId(d.eventId)).toHaveLength(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(await attemptLog(d.deliveryId)).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200 })]);
  });
});
