import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../..');

/** How to start an app: the production build when it exists, else the TypeScript entry through swc. */
export function appCommand(app: string): string[] {
  const built = join(REPO_ROOT, 'dist/apps', app, 'main.js');
  if (existsSync(built)) return [built];
  return ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', join('apps', app, 'src/main.ts')];
}

/** One running copy of an app, its output in a log file. */
export class AppProcess {
  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  static start(name: string, app: string, port: number, env: Record<string, string>, logDir: string): AppProcess {
    const log = createWriteStream(join(logDir, `${name}.log`));
    const child = spawn(process.execPath, [...(env.NODE_ARGS ?? '').split(' ').filter(Boolean), ...appCommand(app)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return new AppProcess(name, port, child);
  }

  /** Waits until GET /health answers 200 (Postgres and Redis reachable). */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode})`);
      const ok = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) })
        .then((res) => res.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${this.name} was not healthy within ${timeoutMs} ms`);
  }

  /** kill -9: no shutdown hook runs, as when a machine dies. */
  crash(): void {
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
