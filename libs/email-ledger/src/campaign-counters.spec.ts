import type { PoolClient } from 'pg';
import { withStatements } from '@postline/database';
import { CampaignCounters, dayBucket, hourBucket } from './campaign-counters';

/** Runs the counters' upserts as their callers do: one statement, nothing when there is nothing to count. */
async function flush(counters: CampaignCounters, client: PoolClient): Promise<void> {
  const statements = counters.statements();
  if (statements.length > 0) await client.query(withStatements(statements));
}

interface Query {
  sql: string;
  rows: Record<string, unknown>[];
}

function fakeClient(): { client: PoolClient; queries: Query[]; table: (name: string) => Record<string, unknown>[] } {
  const queries: Query[] = [];
  const client = {
    // flush() sends the upserts as one statement; each INSERT takes the next JSON parameter.
    query: jest.fn(async ({ text, values }: { text: string; values: string[] }) => {
      [...text.matchAll(/INSERT INTO "(\w+)"/g)].forEach((match, i) =>
        queries.push({ sql: `INSERT INTO "${match[1]}"`, rows: JSON.parse(values[i]) as Record<string, unknown>[] }),
      );
      return { rows: [] };
    }),
  } as unknown as PoolClient;
  const table = (name: string) => queries.find((q) => q.sql.includes(`INSERT INTO "${name}"`))?.rows ?? [];
  return { client, queries, table };
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const t = (iso: string) => new Date(iso);

describe(CampaignCounters.name, () => {
  it('buckets instants by UTC hour and UTC day', () => {
    expect(hourBucket(t('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01T23:00:00.000Z');
    expect(dayBucket(t('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    // Consecutive calls across a boundary and back (the last bucket is kept between calls).
    expect(hourBucket(t('2026-03-02T00:00:00.000Z'))).toBe('2026-03-02T00:00:00.000Z');
    expect(dayBucket(t('2026-03-02T00:00:00.000Z'))).toBe('2026-03-02');
    expect(hourBucket(t('2026-03-01T23:00:00.000Z'))).toBe('2026-03-01T23:00:00.000Z');
    expect(dayBucket(t('2026-03-01T00:00:00.000Z'))).toBe('2026-03-01');
    expect(dayBucket(t('1969-12-31T23:59:59.999Z'))).toBe('1969-12-31');
  });

  it('writes nothing when nothing changed', async () => {
    const { client, queries } = fakeClient();
    await flush(new CampaignCounters(), client);
    expect(queries).toHaveLength(0);
  });

  it('merges a batch into one row per campaign, per campaign hour and per account day', async () => {
    const { client, table } = fakeClient();
    const sut = new CampaignCounters();
    sut.created(A, 'spring', 'QUEUED', t('2026-03-01T10:05:00Z'));
    sut.created(A, 'spring', 'QUEUED', t('2026-03-01T10:50:00Z'));
    sut.moved(A, 'spring', 'QUEUED', 'SENT', t('2026-03-01T11:00:00Z'));
    sut.reached(A, 'spring', 'sent', t('2026-03-01T11:00:00Z'), 'SENT');
    sut.reached(A, 'spring', 'opened', t('2026-03-02T08:00:00Z'), 'OPEN');
    sut.engaged(A, 'spring', 'open', t('2026-03-02T08:00:00Z'));
    sut.engaged(A, 'spring', 'open', t('2026-03-02T08:30:00Z'));
    await flush(sut, client);

    const [campaign] = table('CampaignStats');
    expect(campaign).toMatchObject({
      externalId: 'spring',
      total: 2,
      byStatus: { QUEUED: 1, SENT: 1 },
      sent: 1,
      opened: 1,
      opensTotal: 2,
      firstAt: '2026-03-01T10:05:00.000Z',
      lastAt: '2026-03-02T08:30:00.000Z',
    });
    expect(table('CampaignStats')).toHaveLength(1);
    expect(table('CampaignHourlyStats').map((r) => [r.hour, r.created, r.sent, r.opened, r.opensTotal])).toEqual([
      ['2026-03-01T10:00:00.000Z', 2, 0, 0, 0],
      ['2026-03-01T11:00:00.000Z', 0, 1, 0, 0],
      ['2026-03-02T08:00:00.000Z', 0, 0, 1, 2],
    ]);
    expect(table('AccountDailyStats').map((r) => [r.day, r.created, r.sent, r.opened, r.opensTotal])).toEqual([
      ['2026-03-01', 2, 1, 0, 0],
      ['2026-03-02', 0, 0, 1, 2],
    ]);
  });

  it('counts runs of one campaign and hour, and changes that break the run, in their own rows', async () => {
    const { client, table } = fakeClient();
    const sut = new CampaignCounters();
    const at = ['2026-03-01T10:00:00Z', '2026-03-01T10:59:00Z', '2026-03-01T09:30:00Z'].map(t);
    sut.created(A, 'spring', 'QUEUED', at[0]);
    sut.created(A, 'spring', 'QUEUED', at[1]); // same run: same hour
    sut.created(B, 'spring', 'QUEUED', at[1]); // another account, same campaign name
    sut.created(B, 'autumn', 'QUEUED', at[1]); // another campaign
    sut.created(A, 'spring', 'QUEUED', at[2]); // back to the first campaign, an hour earlier
    sut.created(A, null, 'QUEUED', at[2]);
    await flush(sut, client);

    const spring = table('CampaignStats').find((r) => r.accountId === A && r.externalId === 'spring');
    expect(spring).toMatchObject({ total: 3, firstAt: at[2].toISOString(), lastAt: at[1].toISOString() });
    expect(table('CampaignStats')).toHaveLength(3);
    expect(table('CampaignHourlyStats').map((r) => [r.accountId, r.externalId, r.hour, r.created])).toEqual(
      expect.arrayContaining([
        [A, 'spring', '2026-03-01T10:00:00.000Z', 2],
        [A, 'spring', '2026-03-01T09:00:00.000Z', 1],
        [B, 'spring', '2026-03-01T10:00:00.000Z', 1],
        [B, 'autumn', '2026-03-01T10:00:00.000Z', 1],
      ]),
    );
    expect(table('CampaignHourlyStats')).toHaveLength(4);
    expect(table('AccountDailyStats').map((r) => [r.accountId, r.created])).toEqual(
      expect.arrayContaining([
        [A, 4],
        [B, 2],
      ]),
    );
  });

  it('counts emails without an externalId in the account days only', async () => {
    const { client, table } = fakeClient();
    const sut = new CampaignCounters();
    sut.created(A, null, 'QUEUED', t('2026-03-01T10:00:00Z'));
    sut.moved(A, null, 'QUEUED', 'DELIVERED', t('2026-03-01T10:01:00Z'));
    sut.reached(A, null, 'delivered', t('2026-03-01T10:01:00Z'), 'DELIVERED');
    sut.engaged(A, null, 'click', t('2026-03-01T10:02:00Z'));
    await flush(sut, client);

    expect(table('CampaignStats')).toEqual([]);
    expect(table('CampaignHourlyStats')).toEqual([]);
    expect(table('AccountDailyStats')).toEqual([
      expect.objectContaining({
        accountId: A,
        day: '2026-03-01',
        created: 1,
        delivered: 1,
        clicksTotal: 1,
        rejected: 0,
      }),
    ]);
  });

  it('counts rejections by the status that rejected them', async () => {
    const { client, table } = fakeClient();
    const sut = new CampaignCounters();
    const at = t('2026-03-01T10:00:00Z');
    sut.reached(A, 'c', 'rejected', at, 'BAD_TO');
    sut.reached(A, 'c', 'rejected', at, 'BAD_TO');
    sut.reached(A, 'c', 'rejected', at, 'EXHAUSTED');
    sut.reached(A, null, 'rejected', at, 'BLACKLISTED');
    await flush(sut, client);

    expect(table('CampaignStats')[0]).toMatchObject({ rejected: 3, rejectedByReason: { BAD_TO: 2, EXHAUSTED: 1 } });
    expect(table('CampaignHourlyStats')[0]).toMatchObject({
      rejected: 3,
      rejectedByReason: { BAD_TO: 2, EXHAUSTED: 1 },
    });
    expect(table('AccountDailyStats')[0]).toMatchObject({
      rejected: 4,
      rejectedByReason: { BAD_TO: 2, EXHAUSTED: 1, BLACKLISTED: 1 },
    });
  });

  it('sorts the rows of every table the same way whatever order changes came in (no deadlock)', async () => {
    const first = fakeClient();
    const second = fakeClient();
    const changes: [string, string, string][] = [
      [B, 'z', '2026-03-01T09:00:00Z'],
      [A, 'z', '2026-03-02T09:00:00Z'],
      [A, 'a', '2026-03-01T09:00:00Z'],
      [B, 'a', '2026-03-01T07:00:00Z'],
    ];
    const one = new CampaignCounters();
    const two = new CampaignCounters();
    for (const [account, campaign, at] of changes) one.created(account, campaign, 'QUEUED', t(at));
    for (const [account, campaign, at] of [...changes].reverse()) two.created(account, campaign, 'QUEUED', t(at));
    await flush(one, first.client);
    await flush(two, second.client);

    for (const name of ['CampaignStats', 'CampaignHourlyStats', 'AccountDailyStats']) {
      expect(first.table(name)).toEqual(second.table(name));
    }
    expect(first.table('CampaignStats').map((r) => `${String(r.accountId).slice(-1)}${String(r.externalId)}`)).toEqual([
      'aa',
      'az',
      'ba',
      'bz',
    ]);
    expect(first.queries.map((q) => q.sql.match(/INSERT INTO "(\w+)"/)?.[1])).toEqual([
      'CampaignStats',
      'CampaignHourlyStats',
      'AccountDailyStats',
    ]);
  });
});
