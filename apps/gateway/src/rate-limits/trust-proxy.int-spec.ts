import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createTestApp, eventually } from '@postline/testing';
import { GatewayRedis } from '../redis/gateway-redis.service';

process.env.AUTH_FAILURE_LIMIT = '3';
process.env.AUTH_FAILURE_WINDOW_SECONDS = '60';
// No proxy configured: the address of a request is its connection's, whatever X-Forwarded-For claims.
delete process.env.TRUST_PROXY;

describe('source address without TRUST_PROXY', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const { AppModule } = await import('../app.module');
    app = await createTestApp(AppModule);
    // Failures counted while Redis still connects go to the in-memory fallback; count them all in one place.
    await eventually(async () => app.get(GatewayRedis).client.status === 'ready', 10_000);
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('limits failed authentications per connection address: a forged X-Forwarded-For does not reset the count', async () => {
    const guess = (i: number) =>
      app.inject({
        method: 'GET',
        url: '/account',
        headers: { authorization: `Bearer pl_live_guess${i}`, 'x-forwarded-for': `203.0.113.${i}` },
        remoteAddress: '192.0.2.77',
      });
    for (let i = 0; i < 3; i++) expect((await guess(i)).statusCode).toBe(401);
    expect((await guess(3)).statusCode).toBe(429);
    expect((await guess(4)).statusCode).toBe(429);
  });
});
