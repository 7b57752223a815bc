import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

describe('GET /emails?since=&until=: emails accepted in a time range (real Postgres)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;
  const list = (query: string) =>
    app.inject({ method: 'GET', url: `/emails${query}`, headers: { authorization: `Bearer ${account.apiKey}` } });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('keeps the emails accepted from `since` (inclusive) to `until` (exclusive), paged by cursor', async () => {
    const subjects = ['nov-30', 'dec-01-a', 'dec-01-b', 'dec-01-c', 'dec-02'];
    const at = [
      '2026-11-30T23:59:59Z',
      '2026-12-01T00:00:00Z',
      '2026-12-01T12:00:00Z',
      '2026-12-01T23:59:59Z',
      '2026-12-02T00:00:00Z',
    ];
    for (const [i, subject] of subjects.entries()) {
      const res = await app.inject({
        method: 'POST',
        url: '/emails',
        headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
        payload: { to: `r${i}@example.com`, from: 'news@shop.test', subject, text: 'Hello' },
      });
      expect(res.statusCode).toBe(201);
      await testPool().query(`UPDATE "Email" SET "createdAt" = $2 WHERE "id" = $1`, [res.json().data.id, at[i]]);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(
        `?since=2026-12-01&until=2026-12-02T00:00:00Z&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      const data = res.json().data as { items: { subject: string }[]; nextCursor: string | null };
      seen.push(...data.items.map((e) => e.subject));
      cursor = data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['dec-01-c', 'dec-01-b', 'dec-01-a']);

    // Without an offset a date-time is UTC, whatever the server's time zone.
    const noon = await list('?since=2026-12-01T12:00:00');
    expect(noon.json().data.items.map((e: { subject: string }) => e.subject)).toEqual([
      'dec-02',
      'dec-01-c',
      'dec-01-b',
    ]);
  });

  it('names the field of a date it cannot read', async () => {
    const res = await list('?until=yesterday');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { field: 'until', message: 'until must be an ISO 8601 date or date-time' },
    ]);
  });
});
