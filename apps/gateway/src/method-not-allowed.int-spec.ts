import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createTestApp } from '@postline/testing';

describe('methods a known path does not support (gateway)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const { AppModule } = await import('./app.module');
    const { configureGateway } = await import('./configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('answers 405 with Allow, in the error envelope', async () => {
    for (const [method, url, allow] of [
      ['PUT', '/emails', 'GET, HEAD, POST'],
      ['TRACE', '/emails/7d0f3c52-3c8e-4e7a-9a51-0b9a1f1e2d3c', 'GET, HEAD'],
      ['DELETE', '/account?x=1', 'GET, HEAD, PATCH'],
      ['PATCH', '/unsubscribe/some-token', 'GET, HEAD, POST'],
    ] as const) {
      // light-my-request's method type lacks TRACE; it sends it all the same.
      const res = await app.inject({ method: method as 'PUT', url });
      expect({ method, url, status: res.statusCode, allow: res.headers.allow }).toEqual({
        method,
        url,
        status: 405,
        allow,
      });
      expect(res.json()).toEqual({
        meta: { timestamp: expect.any(Number), transactionId: res.headers['x-request-id'] },
        error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use ${allow}` },
      });
    }
  });

  it('still answers 404 for a path that does not exist, and serves the methods a path has', async () => {
    expect((await app.inject({ method: 'PUT', url: '/nowhere' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/emails' })).statusCode).toBe(401);
  });
});
