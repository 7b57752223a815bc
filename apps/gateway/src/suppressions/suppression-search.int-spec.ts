import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

describe('GET /suppressions?address=: is this address suppressed, and why (real Postgres)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;
  let other: TestAccount;
  const as = (who: TestAccount) => ({ authorization: `Bearer ${who.apiKey}` });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount();
    other = await createAccount();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('finds one address whatever its case, only in the calling account', async () => {
    for (const address of ['Alice@Example.com', 'bob@example.com']) {
      const res = await app.inject({
        method: 'POST',
        url: '/suppressions',
        headers: { ...as(account), 'content-type': 'application/json' },
        payload: { address, detail: 'asked by phone' },
      });
      expect(res.statusCode).toBe(201);
    }

    const found = await app.inject({
      method: 'GET',
      url: `/suppressions?address=${encodeURIComponent(' ALICE@example.COM ')}`,
      headers: as(account),
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().data).toEqual({
      items: [expect.objectContaining({ address: 'alice@example.com', reason: 'MANUAL', detail: 'asked by phone' })],
      nextCursor: null,
    });

    const elsewhere = await app.inject({
      method: 'GET',
      url: '/suppressions?address=alice@example.com',
      headers: as(other),
    });
    expect(elsewhere.json().data.items).toEqual([]);
  });

  it('adds an address once (a second add keeps the first reason and detail) and removes it once', async () => {
    const add = (detail: string) =>
      app.inject({
        method: 'POST',
        url: '/suppressions',
        headers: { ...as(other), 'content-type': 'application/json' },
        payload: { address: 'Carol@Example.com', detail },
      });
    const first = await add('first');
    expect(first.statusCode).toBe(201);
    expect(first.json().data).toEqual({
      address: 'carol@example.com',
      reason: 'MANUAL',
      emailId: null,
      detail: 'first',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    const again = await add('second');
    expect(again.statusCode).toBe(201);
    expect(again.json().data).toEqual(first.json().data);

    const remove = () => app.inject({ method: 'DELETE', url: '/suppressions/CAROL@example.com', headers: as(other) });
    expect((await remove()).json().data).toEqual({ address: 'carol@example.com', removed: true });
    expect((await remove()).statusCode).toBe(404);
  });
});
