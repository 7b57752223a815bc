import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  queuedEmail,
  type TestAccount,
  testPool,
} from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';
import { AcceptanceBatcher } from './acceptance-batcher.service';

const valid = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
};

describe('one account cannot fail another account’s emails (gateway, real Postgres)', () => {
  let app: NestFastifyApplication;
  let careless: TestAccount;
  let healthy: TestAccount;

  const post = (account: TestAccount, body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    careless = await createAccount({ name: `careless-${Date.now()}`, senders: ['elipackage.test'] });
    healthy = await createAccount({ name: `healthy-${Date.now()}`, senders: ['elipackage.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('answers 100 valid requests 201 while another account sends 3 with U+0000 in text (those get 400)', async () => {
    // Waves of 25 concurrent requests, each beside a poisoned one: enough to share batches, gentle enough for
    // a loaded 2-core machine (connection timeouts there would be 503s unrelated to this test).
    const statuses: number[] = [];
    const poisonedStatuses: number[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const poisoned = wave < 3 ? [post(careless, { ...valid, text: 'nul \u0000 here' })] : [];
      const good = Array.from({ length: 25 }, (_, i) => post(healthy, { ...valid, externalId: `iso-${wave}-${i}` }));
      const [bad, ok] = await Promise.all([Promise.all(poisoned), Promise.all(good)]);
      statuses.push(...ok.map((r) => r.statusCode));
      poisonedStatuses.push(...bad.map((r) => r.statusCode));
    }
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expect(poisonedStatuses).toEqual([400, 400, 400]);
    const { rows } = await testPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Email" WHERE "accountId" = $1`,
      [healthy.accountId],
    );
    expect(rows[0].n).toBe(100);
  });

  it('stores the emails grouped with one the database refuses; only that one fails', async () => {
    const batcher = app.get(AcceptanceBatcher);
    const goods = Array.from({ length: 20 }, () => queuedEmail(healthy));
    const poison = queuedEmail(careless, { text: 'nul \u0000 here' });
    const settled = await Promise.allSettled([
      ...goods.slice(0, 10).map((e) => batcher.submit([e])),
      batcher.submit([poison]),
      ...goods.slice(10).map((e) => batcher.submit([e])),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      ...Array(10).fill('fulfilled'),
      'rejected',
      ...Array(10).fill('fulfilled'),
    ]);
    const { rows } = await testPool().query<{ id: string }>(`SELECT "id" FROM "Email" WHERE "id" = ANY($1::uuid[])`, [
      [...goods, poison].map((e) => e.id),
    ]);
    expect(rows.map((r) => r.id).sort()).toEqual(goods.map((e) => e.id).sort());
  });
});
