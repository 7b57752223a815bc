import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmailStatus, StatusEvent } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import { EmailIntake, type NewEmail, StatusRecorder } from '@postline/email-ledger';
import { closeTestPool, createAccount, createTestApp, queuedEmail, type TestAccount } from '@postline/testing';
import type { Pool } from 'pg';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const at = (iso: string) => new Date(iso);

describe('GET /reports (gateway, counters written by the real intake and recorder)', () => {
  let app: NestFastifyApplication;
  let intake: EmailIntake;
  let recorder: StatusRecorder;
  let alice: TestAccount;
  let bob: TestAccount;

  const get = (url: string, key = alice.apiKey, accept?: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...(accept ? { accept } : {}) } });

  function email(
    account: TestAccount,
    externalId: string | null,
    createdAt: string,
    status: EmailStatus = 'QUEUED',
  ): NewEmail {
    return queuedEmail(account, {
      to: `${randomUUID().slice(0, 8)}@example.test`,
      from: 'news@shop.test',
      subject: 'Spring',
      text: 'Spring sale',
      externalId,
      status,
      statusReason: status === 'QUEUED' ? null : 'refused',
      createdAt: at(createdAt),
    });
  }

  const events = (e: NewEmail, ...steps: [EmailStatus, string][]): StatusEvent[] =>
    steps.map(([status, when], i) => ({
      emailId: e.id,
      status,
      source: status === 'DEQUEUED' || status === 'EXHAUSTED' ? 'SENDER' : 'SES',
      sourceId: `${e.id}:${i}`,
      type: status,
      occurredAt: at(when),
    }));

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    intake = app.get(EmailIntake);
    recorder = app.get(StatusRecorder);
    alice = await createAccount();
    bob = await createAccount();

    const t0 = '2026-03-01T10:15:00Z';
    const [e1, e2, e3, e4, e5, e6] = [
      email(alice, 'spring-sale', t0),
      email(alice, 'spring-sale', t0),
      email(alice, 'spring-sale', t0),
      email(alice, 'spring-sale', t0),
      email(alice, 'spring-sale', t0, 'BAD_TO'),
      email(alice, 'spring-sale', t0),
    ];
    const loose = email(alice, null, t0);
    await intake.store([e1, e2, e3, e4, e5, e6, loose]);
    const stream = [
      ...events(
        e1,
        ['SENT', '2026-03-01T11:00:00Z'],
        ['DELIVERED', '2026-03-01T11:05:00Z'],
        ['OPEN', '2026-03-01T12:10:00Z'],
        ['OPEN', '2026-03-01T12:20:00Z'],
        ['CLICK', '2026-03-01T12:30:00Z'],
      ),
      ...events(
        e2,
        ['SENT', '2026-03-01T11:00:00Z'],
        ['DELIVERED', '2026-03-01T11:10:00Z'],
        ['OPEN', '2026-03-01T13:00:00Z'],
      ),
      ...events(e3, ['SENT', '2026-03-01T11:01:00Z'], ['BOUNCED_PERMANENT', '2026-03-01T11:30:00Z']),
      ...events(
        e4,
        ['SENT', '2026-03-01T11:02:00Z'],
        ['BOUNCED', '2026-03-01T11:40:00Z'],
        ['DELIVERED', '2026-03-02T09:00:00Z'],
        ['COMPLAINED', '2026-03-02T10:00:00Z'],
      ),
      ...events(e6, ['DEQUEUED', '2026-03-01T10:20:00Z'], ['EXHAUSTED', '2026-03-01T10:30:00Z']),
      ...events(loose, ['SENT', '2026-03-01T11:00:00Z'], ['DELIVERED', '2026-03-01T11:05:00Z']),
    ];
    // Out of order, in small batches, with every event a second time.
    const shuffled = stream.flatMap((e, i) => [e, stream[stream.length - 1 - i]]);
    for (let i = 0; i < shuffled.length; i += 4) await recorder.record(shuffled.slice(i, i + 4));

    // Older campaigns for the list: one email each, two of them with the same last activity.
    const older = [
      email(alice, 'feb-1', '2026-02-01T08:00:00Z'),
      email(alice, 'feb-2', '2026-02-02T08:00:00Z'),
      email(alice, 'tie-b', '2026-02-03T08:00:00Z'),
      email(alice, 'tie-a', '2026-02-03T08:00:00Z'),
      email(alice, 'all/rejected & "quoted"', '2026-02-04T08:00:00Z', 'BAD_FROM'),
      email(alice, '=cmd', '2026-01-15T08:00:00Z'),
    ];
    await intake.store(older);
    await intake.store([
      email(bob, 'spring-sale', '2026-03-01T09:00:00Z'),
      email(bob, 'bob-only', '2026-03-01T09:00:00Z'),
    ]);
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('reports one campaign: exact counts, rates, statuses and rejections by reason', async () => {
    const res = await get('/reports/campaigns/spring-sale');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.meta).toEqual({ timestamp: expect.any(Number), transactionId: res.headers['x-request-id'] });
    expect(body.data).toMatchObject({
      externalId: 'spring-sale',
      total: 6,
      counts: {
        sent: 4,
        delayed: 0,
        delivered: 3,
        opened: 2,
        clicked: 1,
        softBounced: 1,
        hardBounced: 1,
        complained: 1,
        unsubscribed: 0,
        rejected: 2,
        opensTotal: 3,
        clicksTotal: 1,
      },
      rejectedByReason: { BAD_TO: 1, EXHAUSTED: 1 },
      byStatus: { BAD_TO: 1, BOUNCED_PERMANENT: 1, CLICK: 1, COMPLAINED: 1, EXHAUSTED: 1, OPEN: 1 },
      rates: {
        deliveryRate: 0.75,
        hardBounceRate: 0.25,
        softBounceRate: 0.25,
        complaintRate: 0.25,
        openRate: 0.666667,
        clickRate: 0.333333,
        unsubscribeRate: 0,
      },
      firstActivityAt: '2026-03-01T10:15:00.000Z',
      lastActivityAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('gives the hourly series of the campaign life by default, every hour present', async () => {
    const { series } = (await get('/reports/campaigns/spring-sale')).json().data;
    expect(series).toMatchObject({
      granularity: 'hour',
      from: '2026-03-01T10:00:00.000Z',
      to: '2026-03-02T10:00:00.000Z',
    });
    expect(series.points).toHaveLength(25);
    const point = (iso: string) => series.points.find((p: { at: string }) => p.at === iso);
    expect(point('2026-03-01T10:00:00.000Z')).toMatchObject({
      created: 6,
      rejected: 2,
      rejectedByReason: { BAD_TO: 1, EXHAUSTED: 1 },
      sent: 0,
    });
    expect(point('2026-03-01T11:00:00.000Z')).toMatchObject({
      created: 0,
      sent: 4,
      delivered: 2,
      hardBounced: 1,
      softBounced: 1,
      rejectedByReason: {},
    });
    expect(point('2026-03-01T12:00:00.000Z')).toMatchObject({ opened: 1, opensTotal: 2, clicked: 1, clicksTotal: 1 });
    expect(point('2026-03-01T13:00:00.000Z')).toMatchObject({ opened: 1, opensTotal: 1, clicked: 0 });
    expect(point('2026-03-01T20:00:00.000Z')).toMatchObject({ created: 0, sent: 0, delivered: 0, opensTotal: 0 });
    expect(point('2026-03-02T09:00:00.000Z')).toMatchObject({ delivered: 1 });
    expect(point('2026-03-02T10:00:00.000Z')).toMatchObject({ complained: 1 });
    const sum = (k: string) => series.points.reduce((n: number, p: Record<string, number>) => n + p[k], 0);
    expect([sum('created'), sum('sent'), sum('delivered'), sum('opened'), sum('rejected')]).toEqual([6, 4, 3, 2, 2]);
  });

  it('gives daily buckets and honours from / to', async () => {
    const byDay = (await get('/reports/campaigns/spring-sale?granularity=day&from=2026-02-28&to=2026-03-02')).json()
      .data.series;
    expect(
      byDay.points.map((p: { at: string; delivered: number; created: number }) => [p.at, p.created, p.delivered]),
    ).toEqual([
      ['2026-02-28T00:00:00.000Z', 0, 0],
      ['2026-03-01T00:00:00.000Z', 6, 2],
      ['2026-03-02T00:00:00.000Z', 0, 1],
    ]);
    expect(byDay.points[1]).toMatchObject({
      rejected: 2,
      rejectedByReason: { BAD_TO: 1, EXHAUSTED: 1 },
      opensTotal: 3,
    });

    const window = (
      await get('/reports/campaigns/spring-sale?from=2026-03-01T11:30:00Z&to=2026-03-01T12:59:59Z')
    ).json().data.series;
    expect(window.points.map((p: { at: string }) => p.at)).toEqual([
      '2026-03-01T11:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ]);
    // The counts stay those of the whole campaign; only the series is cut.
    expect((await get('/reports/campaigns/spring-sale?from=2026-03-01T11:30:00Z')).json().data.counts.sent).toBe(4);
  });

  it('refuses a bad range with 400 and the field at fault', async () => {
    const reversed = await get('/reports/campaigns/spring-sale?from=2026-03-02&to=2026-03-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'from' }] });
    expect((await get('/reports/campaigns/spring-sale?granularity=week')).statusCode).toBe(400);
    expect((await get('/reports/campaigns/spring-sale?from=soon')).statusCode).toBe(400);
    expect(
      (await get('/reports/campaigns/spring-sale?from=2025-01-01&to=2026-01-01&granularity=hour')).statusCode,
    ).toBe(400);
  });

  it('gives null rates, not errors, when a denominator is zero', async () => {
    const res = await get(`/reports/campaigns/${encodeURIComponent('all/rejected & "quoted"')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      total: 1,
      counts: { sent: 0, delivered: 0, rejected: 1 },
      rejectedByReason: { BAD_FROM: 1 },
      rates: {
        deliveryRate: null,
        hardBounceRate: null,
        softBounceRate: null,
        complaintRate: null,
        openRate: null,
        clickRate: null,
        unsubscribeRate: null,
      },
    });
    const csv = await get(`/reports/campaigns?limit=1000`, alice.apiKey, 'text/csv');
    const line = csv.body.split('\r\n').find((l) => l.startsWith('"all/rejected'));
    expect(line).toMatch(/,0,,,,,,,,2026-02-04T08:00:00.000Z,2026-02-04T08:00:00.000Z$/);
  });

  it('lists campaigns newest activity first, ties by externalId, page by page with the cursor', async () => {
    const expected = ['spring-sale', 'all/rejected & "quoted"', 'tie-a', 'tie-b', 'feb-2', 'feb-1', '=cmd'];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/reports/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const { items, nextCursor } = res.json().data;
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((i: { externalId: string }) => i.externalId));
      cursor = nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);
    expect(pages).toBe(4);

    const first = (await get('/reports/campaigns?limit=1')).json().data.items[0];
    expect(first).toMatchObject({
      externalId: 'spring-sale',
      total: 6,
      counts: { sent: 4, delivered: 3 },
      rates: { deliveryRate: 0.75 },
      rejectedByReason: { BAD_TO: 1, EXHAUSTED: 1 },
    });
    expect(first.byStatus).toBeUndefined();
    expect((await get('/reports/campaigns?cursor=garbage')).statusCode).toBe(400);
    expect((await get('/reports/campaigns?limit=0')).statusCode).toBe(400);
  });

  it('sums the account by day, emails without an externalId included', async () => {
    const res = await get('/reports/summary?from=2026-03-01&to=2026-03-03');
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data).toMatchObject({ from: '2026-03-01', to: '2026-03-03' });
    expect(
      data.days.map((d: { date: string; created: number; sent: number; delivered: number }) => [
        d.date,
        d.created,
        d.sent,
        d.delivered,
      ]),
    ).toEqual([
      ['2026-03-01', 7, 5, 3],
      ['2026-03-02', 0, 0, 1],
      ['2026-03-03', 0, 0, 0],
    ]);
    expect(data.totals).toMatchObject({
      created: 7,
      sent: 5,
      delivered: 4,
      complained: 1,
      rejected: 2,
      rejectedByReason: { BAD_TO: 1, EXHAUSTED: 1 },
      opensTotal: 3,
    });
    expect(data.rates).toMatchObject({ deliveryRate: 0.8, openRate: 0.5, complaintRate: 0.2 });

    const defaulted = (await get('/reports/summary')).json().data;
    expect(defaulted.days).toHaveLength(30);
    expect(defaulted.to).toBe(new Date().toISOString().slice(0, 10));
    expect((await get('/reports/summary?from=2024-01-01&to=2026-01-01')).statusCode).toBe(400);
  });

  it('answers CSV when asked with Accept: text/csv', async () => {
    const list = await get('/reports/campaigns?limit=2', alice.apiKey, 'text/csv');
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(list.headers['content-disposition']).toBe('attachment; filename="campaigns.csv"');
    expect(list.headers['x-next-cursor']).toEqual(expect.any(String));
    const lines = list.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'externalId,total,sent,delayed,delivered,opened,clicked,softBounced,hardBounced,complained,unsubscribed,rejected,opensTotal,clicksTotal,' +
        'rejected_BAD_TO,rejected_BAD_FROM,rejected_BLACKLISTED,rejected_BLOCKED_DUE_BAD_BEHAVIOUR,rejected_NOT_SENT,rejected_EXHAUSTED,rejected_INCOMPLETE,' +
        'deliveryRate,hardBounceRate,softBounceRate,complaintRate,openRate,clickRate,unsubscribeRate,firstActivityAt,lastActivityAt',
    );
    expect(lines[1]).toBe(
      'spring-sale,6,4,0,3,2,1,1,1,1,0,2,3,1,1,0,0,0,0,1,0,0.75,0.25,0.25,0.25,0.666667,0.333333,0,2026-03-01T10:15:00.000Z,2026-03-02T10:00:00.000Z',
    );
    expect(lines).toHaveLength(3);

    const all = await get('/reports/campaigns?limit=100', alice.apiKey, 'text/csv');
    expect(all.headers['x-next-cursor']).toBeUndefined();
    expect(all.body).toContain(`\r\n'=cmd,1,`);

    const series = await get(
      '/reports/campaigns/spring-sale?granularity=day&from=2026-03-01&to=2026-03-02',
      alice.apiKey,
      'text/csv',
    );
    expect(series.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(series.headers['content-disposition']).toBe('attachment; filename="campaign-spring-sale-day.csv"');
    const rows = series.body.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(
      /^at,created,sent,delayed,delivered,opened,clicked,softBounced,hardBounced,complained,unsubscribed,rejected,opensTotal,clicksTotal,rejected_BAD_TO,/,
    );
    expect(rows.slice(1)).toEqual([
      '2026-03-01T00:00:00.000Z,6,4,0,2,2,1,1,1,0,0,2,3,1,1,0,0,0,0,1,0',
      '2026-03-02T00:00:00.000Z,0,0,0,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0',
    ]);

    const summary = await get('/reports/summary?from=2026-03-01&to=2026-03-02', alice.apiKey, 'text/csv');
    expect(
      summary.body
        .trimEnd()
        .split('\r\n')
        .map((l) => l.split(',').slice(0, 5).join(',')),
    ).toEqual(['date,created,sent,delayed,delivered', '2026-03-01,7,5,0,3', '2026-03-02,0,0,0,1']);

    const json = await get(
      '/reports/summary?from=2026-03-01&to=2026-03-02',
      alice.apiKey,
      'application/json, text/csv;q=0.5',
    );
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json().data.days).toHaveLength(2);
  });

  it("keeps accounts apart: another account's campaign is 404, and same-named campaigns do not mix", async () => {
    expect((await get('/reports/campaigns/bob-only')).statusCode).toBe(404);
    const foreign = await get('/reports/campaigns/feb-1', bob.apiKey);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOT_FOUND');
    expect((await get('/reports/campaigns/feb-1', bob.apiKey, 'text/csv')).statusCode).toBe(404);
    expect((await get('/reports/campaigns/spring-sale', bob.apiKey)).json().data).toMatchObject({
      total: 1,
      counts: { sent: 0 },
    });
    const bobs = (await get('/reports/campaigns', bob.apiKey))
      .json()
      .data.items.map((i: { externalId: string }) => i.externalId);
    expect(bobs.sort()).toEqual(['bob-only', 'spring-sale']);
    const bobDays = (await get('/reports/summary?from=2026-03-01&to=2026-03-01', bob.apiKey)).json().data.totals;
    expect(bobDays).toMatchObject({ created: 2, sent: 0 });
    expect((await get('/reports/campaigns/unknown')).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/reports/summary' })).statusCode).toBe(401);
  });

  it('reads only the counter tables, never the emails, without a tag filter', async () => {
    const pool = app.get<Pool>(PG_POOL);
    // A spy calls through: the queries run, and their text is kept.
    const spy = jest.spyOn(pool, 'query');
    let sql: string[];
    try {
      await get('/reports/campaigns');
      await get('/reports/campaigns/spring-sale?granularity=day');
      await get('/reports/campaigns/spring-sale');
      await get('/reports/summary');
      sql = spy.mock.calls.map(([text]) => (typeof text === 'string' ? text : JSON.stringify(text)));
    } finally {
      spy.mockRestore();
    }
    const reports = sql.filter((s) => /CampaignStats|CampaignHourlyStats|AccountDailyStats/.test(s));
    expect(reports.length).toBeGreaterThanOrEqual(6);
    expect(sql.filter((s) => /"Email"|"EmailEvent"/.test(s))).toEqual([]);
  });

  it('defines every rate and its denominator in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    const rates = doc.components.schemas.RatesView.properties;
    expect(rates.deliveryRate.description).toMatch(/^delivered \/ sent: .*null when sent is 0/);
    expect(rates.hardBounceRate.description).toMatch(/^hardBounced \/ sent/);
    expect(rates.softBounceRate.description).toMatch(/^softBounced \/ sent/);
    expect(rates.complaintRate.description).toMatch(/^complained \/ sent/);
    expect(rates.openRate.description).toMatch(/^opened \/ delivered/);
    expect(rates.clickRate.description).toMatch(/^clicked \/ delivered/);
    expect(rates.unsubscribeRate.description).toMatch(/^unsubscribed \/ delivered/);
    const op = doc.paths['/reports/campaigns/{externalId}'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/reports/summary'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'from',
      'tag',
      'to',
    ]);
  });
});
