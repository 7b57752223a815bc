import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@postline/testing';

// `npm run build`, then the built gateway as the image runs it: plain node, no TypeScript tooling.
const root = resolve(__dirname, '..');
// Inside the repository, so that the built files resolve node_modules as dist/ does.
const out = join('tmp', `build-${randomBytes(4).toString('hex')}`);

// Refuses to load anything that compiles TypeScript, then runs the built entry point.
const withoutTypeScript = `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^(typescript|tsx|ts-node|tsconfig-paths|@swc-node\\/|@swc\\/core)/.test(request))
    throw new Error('TypeScript tooling loaded: ' + request);
  return load.call(this, request, ...rest);
};
require(process.argv[1]);
`;

describe('the production build', () => {
  afterAll(() => rmSync(join(root, out), { recursive: true, force: true }));

  it('compiles every app and tool to dist/<apps|tools>/<name>/main.js; the built gateway answers /health', async () => {
    execFileSync('bash', ['scripts/build.sh', out], { cwd: root, stdio: 'pipe' });
    for (const main of ['gateway', 'events', 'sender', 'reputation', 'webhooks'].map((a) => `apps/${a}/main.js`))
      expect(existsSync(join(root, out, main))).toBe(true);
    expect(existsSync(join(root, out, 'tools/ses-simulator/main.js'))).toBe(true);

    const port = await freePort();
    const gateway = spawn(process.execPath, ['-e', withoutTypeScript, join(root, out, 'apps/gateway/main.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(port), NODE_OPTIONS: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    gateway.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    try {
      let status = 0;
      for (let i = 0; i < 120 && status !== 200 && gateway.exitCode === null; i++) {
        status = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) await new Promise((r) => setTimeout(r, 500));
      }
      expect({ status, errors: status === 200 ? '' : errors }).toEqual({ status: 200, errors: '' });
    } finally {
      gateway.kill('SIGTERM');
    }
  }, 120_000);
});
