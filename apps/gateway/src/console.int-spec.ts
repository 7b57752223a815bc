import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '@postline/testing';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';

// A stand-in build: the browser test (apps/console/test) covers the real one.
const dir = mkdtempSync(join(tmpdir(), 'postline-console-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Postline console</title>');
writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
process.env.CONSOLE_DIR = dir;

describe('the gateway serves the built console at /console/', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /console to /console/ and serves the page with a strict CSP, assets cached for good', async () => {
    const bare = await app.inject({ method: 'GET', url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');

    const page = await app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Postline console');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');

    const asset = await app.inject({ method: 'GET', url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    const missing = await app.inject({ method: 'GET', url: '/console/nothing.js' });
    expect(missing.statusCode).toBe(404);
  });
});
