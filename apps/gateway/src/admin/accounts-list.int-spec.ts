import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const ADMIN = { authorization: `Bearer ${process.env.ADMIN_API_KEY}` };

describe('GET /admin/accounts: the operators’ account list and review queue (real Postgres)', () => {
  let app: NestFastifyApplication;
  const list = (query: string, headers: Record<string, string> = ADMIN) =>
    app.inject({ method: 'GET', url: `/admin/accounts${query}`, headers });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('pages through the accounts newest first and filters the review queue by state', async () => {
    const prefix = `list-${Date.now()}`;
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `${prefix}-${n}`);
    const ids: string[] = [];
    for (const name of names) ids.push((await createAccount({ name })).accountId);
    await testPool().query(
      `UPDATE "Account" SET "createdAt" = now() - make_interval(secs => array_position($1::uuid[], "id"))
       WHERE "id" = ANY($1::uuid[])`,
      [ids],
    );
    await testPool().query(`UPDATE "Account" SET "reputationState" = 'WARNING' WHERE "id" = $1`, [ids[1]]);
    await testPool().query(
      `UPDATE "Account" SET "reputationState" = 'BLOCKED', "reputationReason" = 'bounces', "blockedAt" = now()
       WHERE "id" = $1`,
      [ids[3]],
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`?name=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const data = res.json().data as { items: { name: string }[]; nextCursor: string | null };
      expect(data.items.length).toBeLessThanOrEqual(2);
      seen.push(...data.items.map((a) => a.name));
      cursor = data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);

    const queue = await list(`?name=${prefix}&state=WARNING,BLOCKED`);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().data.items).toEqual([
      expect.objectContaining({ id: ids[1], reputationState: 'WARNING', blockedAt: null }),
      expect.objectContaining({ id: ids[3], reputationState: 'BLOCKED', reputationReason: 'bounces' }),
    ]);
  });

  it('names the field and the rule of a bad filter, and refuses customer keys', async () => {
    const bad = await list('?state=SICK');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ field: 'state' })]);
    const customer = await createAccount();
    const refused = await list('', { authorization: `Bearer ${customer.apiKey}` });
    expect(refused.statusCode).toBe(401);
  });
});
