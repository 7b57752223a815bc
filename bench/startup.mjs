// Start-up time (spawn → first 200 from /health) and RSS at that moment of each app, run from TypeScript
// through swc-node (npm start) and from the production build (node dist/apps/<app>/main.js).
// Usage: npm run build && node bench/startup.mjs   (needs Redis, PostgreSQL and a migrated DATABASE_URL)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const apps = ['gateway', 'events', 'sender', 'reputation', 'webhooks'];
const ways = {
  dev: (app) => ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
  built: (app) => [`dist/apps/${app}/main.js`],
};

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function measure(app, args) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', SES_MAX_SEND_RATE: '14' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { seconds: (performance.now() - started) / 1000, rss: rssMiB(child.pid) };
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

console.log('| app | dev start (s) | dev RSS (MiB) | built start (s) | built RSS (MiB) |\n|---|---|---|---|---|');
for (const app of apps) {
  const dev = await measure(app, ways.dev(app));
  const built = await measure(app, ways.built(app));
  const f = (n) => n.toFixed(1);
  console.log(
    `| ${app} | ${f(dev.seconds)} | ${Math.round(dev.rss)} | ${f(built.seconds)} | ${Math.round(built.rss)} |`,
  );
}
