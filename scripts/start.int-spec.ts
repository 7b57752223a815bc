import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@postline/testing';

// `npm start` as a person or a process manager runs it: the whole stack, then stopped through the npm process.
const root = resolve(__dirname, '..');
const apps = ['gateway', 'events', 'sender', 'reputation', 'webhooks'];

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every process started for this run, grandchildren included: they all inherit the marker in their environment. */
function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ host: '0.0.0.0', port, exclusive: true }, () => server.close(() => done(true)));
  });
}

async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('npm start', () => {
  const marker = `POSTLINE_START_TEST=${randomUUID()}`;
  const ports: Record<string, number> = {};
  let signingDir: string;

  beforeAll(async () => {
    for (const name of [...apps, 'ses']) ports[name] = await freePort();
    signingDir = mkdtempSync(join(tmpdir(), 'postline-start-'));
  });

  afterAll(() => {
    for (const pid of processesMarked(marker)) process.kill(pid, 'SIGKILL');
    rmSync(signingDir, { recursive: true, force: true });
  });

  function start(): Started {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [marker.split('=')[0]]: marker.split('=')[1],
      SES_ENDPOINT: `http://127.0.0.1:${ports.ses}`,
      SNS_CERT_FILE: join(signingDir, 'cert.pem'),
      SNS_SIGNING_KEY_FILE: join(signingDir, 'key.pem'),
      LOG_LEVEL: 'warn',
    };
    for (const app of apps) env[`PORT_${app.toUpperCase()}`] = String(ports[app]);
    const npm = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    return { npm, output: () => output, exited };
  }

  it('says which port is taken, exits non-zero and starts nothing', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((done) => squatter.listen(ports.sender, '0.0.0.0', done));
    try {
      const run = start();
      expect(await run.exited).not.toBe(0);
      expect(run.output()).toContain(`Port ${ports.sender} is already in use (sender, PORT_SENDER)`);
      expect(processesMarked(marker)).toEqual([]);
      expect(await portFree(ports.ses)).toBe(true);
    } finally {
      await new Promise((done) => squatter.close(done));
    }
  });

  it('stops every process it started within 10 s of SIGHUP to the npm process, even while the apps start', async () => {
    const run = start();
    // The emulator is the first child; the apps start right after it.
    const started = await eventually(() => run.output().includes('aws-ses-v2-local: server running'), 240_000);
    expect({ started, output: started ? '' : run.output() }).toEqual({ started: true, output: '' });

    // npm dies of SIGHUP without passing it on: start.sh notices that its npm is gone.
    run.npm.kill('SIGHUP');
    const stoppedAt = Date.now();
    expect(await eventually(() => processesMarked(marker).length === 0, 10_000)).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(10_500);
  }, 300_000);

  it('stops every process it started within 10 s of SIGTERM to the npm process, and frees the ports', async () => {
    const run = start();
    // Five apps compiled at start by swc-node: minutes on a loaded two-core machine.
    const ready = await eventually(() => run.output().includes('Admin API key'), 420_000);
    expect({ ready, output: ready ? '' : run.output() }).toEqual({ ready: true, output: '' });
    expect(run.output()).toContain(`Sent mail viewer:  http://127.0.0.1:${ports.ses}`);
    // The SES emulator, the simulator and every app, each with its sed (npx adds a shell and node under it).
    expect(processesMarked(marker).length).toBeGreaterThanOrEqual(2 * (apps.length + 2));

    run.npm.kill('SIGTERM');
    const stoppedAt = Date.now();
    expect(await eventually(() => processesMarked(marker).length === 0, 10_000)).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(10_500);
    for (const port of Object.values(ports)) expect(await portFree(port)).toBe(true);
  }, 480_000);
});
