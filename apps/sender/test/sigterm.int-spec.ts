import { spawn } from 'node:child_process';
import { eventually, freePort, LocalSes } from '@postline/testing';

// An orchestrator reads a non-zero exit as a crash: a drained, clean stop must exit 0, not 143.
describe('sender stopped with SIGTERM', () => {
  let ses: LocalSes;

  beforeAll(async () => {
    ses = await LocalSes.start();
  });

  afterAll(async () => {
    await ses.stop();
  });

  it('drains and exits 0', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/sender/src/main.ts'],
      {
        env: {
          ...process.env,
          SES_ENDPOINT: ses.endpoint,
          SES_MAX_SEND_RATE: '10',
          PORT: String(port),
          LOG_LEVEL: 'silent',
          NODE_NO_WARNINGS: '1',
        },
        stdio: 'ignore',
      },
    );
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 30_000, 100);
    child.kill('SIGTERM');
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
  });
});
