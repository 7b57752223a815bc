import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { freePort } from './free-port';

const run = promisify(execFile);

/**
 * A Redis Cluster of its own (three masters, no replicas) from Debian's redis-server, on free ports, in a
 * temporary directory; `stop()` kills the servers and removes the directory.
 */
export class LocalRedisCluster {
  private constructor(
    private readonly dir: string,
    private readonly servers: ChildProcess[],
    readonly ports: number[],
  ) {}

  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` (REDIS_URL). */
  get url(): string {
    return `redis+cluster://${this.ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
  }

  static async start(masters = 3): Promise<LocalRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'postline-redis-cluster-'));
    const ports: number[] = [];
    const servers: ChildProcess[] = [];
    const cluster = new LocalRedisCluster(dir, servers, ports);
    try {
      for (let i = 0; i < masters; i++) {
        // A cluster node also listens on port + 10000 (the cluster bus): both must be free.
        let port = await freePort();
        while (port > 55_535 || !(await isFree(port + 10_000))) port = await freePort();
        ports.push(port);
        servers.push(
          spawn(
            'redis-server',
            [
              '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
              '--cluster-config-file', `nodes-${port}.conf`, '--save', '', '--appendonly', 'no',
            ],
            { cwd: dir, stdio: 'ignore' },
          ),
        );
      }
      for (const port of ports) await waitFor(() => cli(port, 'PING').then((out) => out === 'PONG'));
      await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes']);
      for (const port of ports) {
        await waitFor(() => cli(port, 'CLUSTER', 'INFO').then((out) => out.includes('cluster_state:ok')));
      }
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (server.exitCode !== null || server.signalCode !== null) return resolve();
            server.once('exit', () => resolve());
            server.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
  return stdout.trim();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not come up');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
