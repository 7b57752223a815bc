import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, freePort, type TestAccount } from '@postline/testing';
import { listenAdminPort } from './admin-port';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';

const admin = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

describe('ADMIN_PORT', () => {
  let account: TestAccount;

  beforeAll(async () => {
    account = await createAccount();
  });

  afterAll(() => closeTestPool());

  describe('set', () => {
    let app: NestFastifyApplication;
    let adminServer: Server;
    let publicUrl: string;
    let adminUrl: string;

    beforeAll(async () => {
      const [publicPort, adminPort] = [await freePort(), await freePort()];
      app = await createTestApp(AppModule, (a) => configureGateway(a, false, adminPort));
      await app.listen(publicPort, '127.0.0.1');
      adminServer = await listenAdminPort(app, adminPort, '127.0.0.1');
      publicUrl = `http://127.0.0.1:${publicPort}`;
      adminUrl = `http://127.0.0.1:${adminPort}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => adminServer.close(resolve));
      await app.close();
    });

    it('serves the admin API and /metrics on the admin port only', async () => {
      const accountPath = `/admin/accounts/${account.accountId}`;
      const onPublic = await fetch(`${publicUrl}${accountPath}`, { headers: admin });
      expect(onPublic.status).toBe(404);
      expect((await fetch(`${publicUrl}/metrics`)).status).toBe(404);

      const onAdmin = await fetch(`${adminUrl}${accountPath}`, { headers: admin });
      expect(onAdmin.status).toBe(200);
      expect(((await onAdmin.json()) as { data: { id: string } }).data.id).toBe(account.accountId);
      const metrics = await fetch(`${adminUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('postline_http_requests_total');
    });

    it('serves the public API on the public port only, and /health on both', async () => {
      const key = { authorization: `Bearer ${account.apiKey}` };
      expect((await fetch(`${publicUrl}/account`, { headers: key })).status).toBe(200);
      expect((await fetch(`${adminUrl}/account`, { headers: key })).status).toBe(404);
      expect((await fetch(`${publicUrl}/health`)).status).toBe(200);
      expect((await fetch(`${adminUrl}/health`)).status).toBe(200);
    });
  });

  describe('unset', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    });

    afterAll(() => app.close());

    it('keeps serving everything on the one port', async () => {
      const res = await app.inject({ method: 'GET', url: `/admin/accounts/${account.accountId}`, headers: admin });
      expect(res.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      const key = { authorization: `Bearer ${account.apiKey}` };
      expect((await app.inject({ method: 'GET', url: '/account', headers: key })).statusCode).toBe(200);
    });
  });
});
