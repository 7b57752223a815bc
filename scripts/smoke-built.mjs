// What the image runs, run here (CI, after `npm run build && npm prune --omit=dev`): migrations with production
// dependencies only, then every app's built main.js until it answers /health. Needs Redis and PostgreSQL.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';

const apps = ['gateway', 'events', 'sender', 'reputation', 'webhooks'];
const database = `postline_smoke_${process.pid}`;
const admin = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const url = new URL(admin);
url.pathname = `/${database}`;
const env = {
  ...process.env,
  DATABASE_URL: url.toString(),
  QUEUE_PREFIX: `{${database}}`,
  ADMIN_API_KEY: 'smoke-admin-key-0123456789',
  UNSUBSCRIBE_SECRET: 'smoke-unsubscribe-secret-0123456789',
  SES_ENDPOINT: 'http://127.0.0.1:9',
  SES_MAX_SEND_RATE: '14',
  // The events app accepts only listed SNS topics wherever SES is not local-with-a-local-certificate.
  SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:123456789012:postline-smoke',
  LOG_LEVEL: 'warn',
};
const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
const sql = async (statement) => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(statement).finally(() => client.end());
};

await sql(`CREATE DATABASE "${database}"`);
const children = [];
try {
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env, stdio: 'pipe' });
  await Promise.all(
    apps.map(async (app) => {
      const port = await freePort();
      const child = spawn('node', [`dist/apps/${app}/main.js`], {
        env: { ...env, PORT: String(port) },
        stdio: 'inherit',
      });
      children.push(child);
      for (let i = 0; i < 240; i++) {
        if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
        if (
          await fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.ok,
            () => false,
          )
        ) {
          console.log(`${app}: /health 200 (node dist/apps/${app}/main.js)`);
          if (app === 'gateway') {
            // The production gateway serves the console built beside it (dist/apps/console).
            const page = await fetch(`http://127.0.0.1:${port}/console/`);
            const html = await page.text();
            if (!page.ok || !html.includes('Postline console'))
              throw new Error(`gateway: /console/ answered ${page.status}`);
            console.log('gateway: /console/ 200');
          }
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`${app} did not answer /health within 120 s`);
    }),
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exitCode ?? new Promise((r) => c.once('exit', r))));
  await sql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}
