import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, freePort } from '@postline/testing';

const sample = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
};

describe('Postgres down', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const port = await freePort();
    process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${port}/nothing`;
    const { AppModule } = await import('../app.module');
    const { configureGateway } = await import('../configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 503, not 500, and says to retry', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: 'Bearer pl_live_anything', 'content-type': 'application/json' },
      payload: sample,
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('retry') });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().checks.postgres).toMatch(/^down/);
  });
});
