import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { BaseEnv, validateEnv } from '@postline/config';
import {
  type EmailStatus,
  isSesEvidence,
  isTerminalBeforeSend,
  MILESTONE_OF_STATUS,
  type StatusEvent,
  statusRank,
} from '@postline/contracts';
import { DatabaseModule } from '@postline/database';
import { QueueModule } from '@postline/queue';
import { closeTestPool, createAccount, type TestAccount, testPool } from '@postline/testing';
import { dayBucket, hourBucket, MILESTONE_COUNTERS, SERIES_COUNTERS, type SeriesCounter } from './campaign-counters';
import { EmailIntake } from './email-intake.service';
import type { NewEmail } from './email-table';
import { EmailLedgerModule } from './email-ledger.module';
import { StatusRecorder } from './status-recorder.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(BaseEnv) }),
    DatabaseModule,
    QueueModule.forRoot(),
    EmailLedgerModule,
  ],
})
class CountersTestModule {}

/** Deterministic pseudo-random numbers, so a failing replay can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Tally = Record<SeriesCounter, number> & { rejectedByReason: Record<string, number> };
const emptyTally = (): Tally => ({
  ...(Object.fromEntries(SERIES_COUNTERS.map((c) => [c, 0])) as Record<SeriesCounter, number>),
  rejectedByReason: {},
});

interface Truth {
  campaigns: Map<
    string,
    { total: number; byStatus: Record<string, number>; tally: Tally; first: number; last: number }
  >;
  hours: Map<string, Tally>;
  days: Map<string, Tally>;
}

interface Scenario {
  emails: NewEmail[];
  /** Distinct events, each once. */
  events: StatusEvent[];
}

const HOUR = 3_600_000;
const PRE_SEND = ['BAD_TO', 'BAD_FROM', 'BLACKLISTED', 'BLOCKED_DUE_BAD_BEHAVIOUR', 'EXHAUSTED'] as const;

/**
 * Emails over two campaigns and none, each with a plausible life. All events of one email that reach the same
 * milestone fall in the same hour, and every rejection is one the transition rule always applies, so the truth
 * below does not depend on the order events are recorded in.
 */
function scenario(account: TestAccount, count: number, seed: number): Scenario {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const base = Date.UTC(2026, 1, 10, 21, 0, 0);
  const emails: NewEmail[] = [];
  const events: StatusEvent[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const createdAt = new Date(base + Math.floor(random() * 3) * HOUR + Math.floor(random() * 50) * 60_000);
    const intakeRejection =
      random() < 0.08 ? pick(['BAD_TO', 'BLACKLISTED', 'BLOCKED_DUE_BAD_BEHAVIOUR'] as const) : null;
    emails.push({
      id,
      accountId: account.accountId,
      operatorId: account.operatorId,
      userName: account.name,
      operator: account.operatorName,
      to: `r${i}@example.test`,
      from: 'news@sender.test',
      alias: null,
      subject: 'Hello',
      text: 'Hello',
      externalId: pick(['spring', 'spring', 'summer', null]),
      clientId: null,
      callbacks: [],
      unsubscribeMsg: 'Unsubscribe',
      status: intakeRejection ?? 'QUEUED',
      statusReason: intakeRejection ? 'refused at acceptance' : null,
      createdAt,
    });
    if (intakeRejection) continue;

    // Hour offsets from acceptance; minutes inside the hour vary per event.
    const at = (hours: number) =>
      new Date(createdAt.getTime() + hours * HOUR + Math.floor(random() * 59) * 60_000 - (createdAt.getTime() % HOUR));
    const add = (status: EmailStatus, hours: number, source: StatusEvent['source'] = 'SES', occurredAt = at(hours)) =>
      events.push({ emailId: id, status, source, sourceId: `${id}:${events.length}`, type: status, occurredAt });
    // Never the first nor the last activity: it may arrive after SENT and change nothing.
    add('DEQUEUED', 0, 'SENDER', new Date(createdAt.getTime() + 1000));
    const path = random();
    if (path < 0.12) {
      add(pick(PRE_SEND), 1, 'SENDER');
      continue;
    }
    add('SENT', 1, 'SENDER');
    if (path < 0.2) {
      add('NOT_SENT', 2);
      continue;
    }
    if (path < 0.3) continue;
    if (random() < 0.3) add('DELAYED', 2);
    if (path < 0.4) {
      add('BOUNCED_PERMANENT', 3);
      continue;
    }
    if (random() < 0.15) add('BOUNCED', 3);
    add('DELIVERED', 4);
    const opens = random() < 0.6 ? 1 + Math.floor(random() * 3) : 0;
    for (let o = 0; o < opens; o++) add('OPEN', 26);
    const clicks = opens > 0 && random() < 0.5 ? 1 + Math.floor(random() * 2) : 0;
    for (let c = 0; c < clicks; c++) add('CLICK', 27);
    if (random() < 0.1) add('UNSUBSCRIBED', 28);
    if (random() < 0.05) add('COMPLAINED', 30);
  }
  return { emails, events };
}

/** What the counters must say, computed from the emails and their events alone. */
function truthOf({ emails, events }: Scenario): Truth {
  const truth: Truth = { campaigns: new Map(), hours: new Map(), days: new Map() };
  const byEmail = new Map<string, StatusEvent[]>();
  for (const e of events) byEmail.set(e.emailId, [...(byEmail.get(e.emailId) ?? []), e]);
  const tally = (map: Map<string, Tally>, key: string) => map.get(key) ?? map.set(key, emptyTally()).get(key)!;

  for (const email of emails) {
    const own = byEmail.get(email.id) ?? [];
    const final = [email.status, ...own.map((e) => e.status)].reduce((a, b) => (statusRank(b) > statusRank(a) ? b : a));
    const counted: { counter: SeriesCounter; at: Date; reason?: string }[] = [
      { counter: 'created', at: email.createdAt },
    ];
    if (isTerminalBeforeSend(email.status))
      counted.push({ counter: 'rejected', at: email.createdAt, reason: email.status });
    const seen = new Set<string>();
    for (const e of own) {
      const milestone = MILESTONE_OF_STATUS[e.status];
      if (milestone && !seen.has(milestone) && (isSesEvidence(e.status) || isTerminalBeforeSend(e.status))) {
        seen.add(milestone);
        counted.push({ counter: milestone, at: e.occurredAt, reason: milestone === 'rejected' ? e.status : undefined });
      }
      if (e.status === 'OPEN') counted.push({ counter: 'opensTotal', at: e.occurredAt });
      if (e.status === 'CLICK') counted.push({ counter: 'clicksTotal', at: e.occurredAt });
    }

    const targets = (at: Date): Tally[] => {
      const list = [tally(truth.days, dayBucket(at))];
      if (email.externalId) list.push(tally(truth.hours, `${email.externalId}|${hourBucket(at)}`));
      return list;
    };
    for (const c of counted) {
      for (const t of targets(c.at)) {
        t[c.counter] += 1;
        if (c.reason) t.rejectedByReason[c.reason] = (t.rejectedByReason[c.reason] ?? 0) + 1;
      }
    }
    if (!email.externalId) continue;
    const campaign = truth.campaigns.get(email.externalId) ?? {
      total: 0,
      byStatus: {},
      tally: emptyTally(),
      first: Infinity,
      last: 0,
    };
    truth.campaigns.set(email.externalId, campaign);
    campaign.total += 1;
    campaign.byStatus[final] = (campaign.byStatus[final] ?? 0) + 1;
    for (const c of counted) {
      campaign.tally[c.counter] += 1;
      if (c.reason) campaign.tally.rejectedByReason[c.reason] = (campaign.tally.rejectedByReason[c.reason] ?? 0) + 1;
    }
    for (const t of [email.createdAt, ...own.map((e) => e.occurredAt)]) {
      campaign.first = Math.min(campaign.first, t.getTime());
      campaign.last = Math.max(campaign.last, t.getTime());
    }
  }
  return truth;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Records `events` in batches of random sizes, as one events worker would. */
async function replay(recorder: StatusRecorder, events: StatusEvent[], random: () => number): Promise<void> {
  for (let i = 0; i < events.length;) {
    const size = 1 + Math.floor(random() * 25);
    const batch = events.slice(i, i + size);
    // Some batches carry one of their own events twice (a redelivered message in the same pull).
    if (random() < 0.3) batch.push(batch[Math.floor(random() * batch.length)]);
    await recorder.record(batch);
    i += size;
  }
}

const nonZero = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== 0));

async function stored(accountId: string): Promise<Truth> {
  const db = testPool();
  const result: Truth = { campaigns: new Map(), hours: new Map(), days: new Map() };
  const counters = SERIES_COUNTERS.filter((c) => c !== 'created');
  const { rows: campaigns } = await db.query(
    `SELECT *, extract(epoch FROM "firstActivityAt") * 1000 AS "first", extract(epoch FROM "lastActivityAt") * 1000 AS "last"
     FROM "CampaignStats" WHERE "accountId" = $1`,
    [accountId],
  );
  for (const r of campaigns) {
    const tally = { ...emptyTally(), created: r.total, rejectedByReason: nonZero(r.rejectedByReason) };
    for (const c of counters) tally[c] = r[c];
    result.campaigns.set(r.externalId, {
      total: r.total,
      byStatus: nonZero(r.byStatus),
      tally,
      first: Number(r.first),
      last: Number(r.last),
    });
  }
  const { rows: hours } = await db.query(
    `SELECT *, to_char("hour", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "bucket" FROM "CampaignHourlyStats" WHERE "accountId" = $1`,
    [accountId],
  );
  for (const r of hours)
    result.hours.set(`${r.externalId}|${r.bucket}`, { ...r, rejectedByReason: nonZero(r.rejectedByReason) });
  const { rows: days } = await db.query(
    `SELECT *, to_char("day", 'YYYY-MM-DD') AS "bucket" FROM "AccountDailyStats" WHERE "accountId" = $1`,
    [accountId],
  );
  for (const r of days) result.days.set(r.bucket, { ...r, rejectedByReason: nonZero(r.rejectedByReason) });
  return result;
}

const only = (t: Tally) => ({
  ...Object.fromEntries(SERIES_COUNTERS.map((c) => [c, t[c]])),
  rejectedByReason: t.rejectedByReason,
});
const series = (m: Map<string, Tally>) => Object.fromEntries([...m.entries()].sort().map(([k, t]) => [k, only(t)]));

describe('CampaignCounters through the real StatusRecorder (replayed event streams)', () => {
  let context: INestApplicationContext;
  let recorder: StatusRecorder;
  let intake: EmailIntake;

  beforeAll(async () => {
    context = await NestFactory.createApplicationContext(CountersTestModule, { logger: false });
    await context.init();
    recorder = context.get(StatusRecorder);
    intake = context.get(EmailIntake);
  });

  afterAll(async () => {
    await context.close();
    await closeTestPool();
  });

  async function run(
    seed: number,
    callers: number,
    duplicates: number,
  ): Promise<{ truth: Truth; got: Truth; scenario: Scenario; account: TestAccount }> {
    const account = await createAccount();
    const s = scenario(account, 240, seed);
    const random = prng(seed + 1);
    for (let i = 0; i < s.emails.length; i += 50) await intake.store(s.emails.slice(i, i + 50));
    const stream = shuffle([...s.events, ...s.events.filter(() => random() < duplicates)], random);
    const shares = Array.from({ length: callers }, (_, c) => stream.filter((_e, i) => i % callers === c));
    await Promise.all(shares.map((share, c) => replay(recorder, share, prng(seed + 10 + c))));
    return { truth: truthOf(s), got: await stored(account.accountId), scenario: s, account };
  }

  function expectSame(got: Truth, truth: Truth): void {
    expect([...got.campaigns.keys()].sort()).toEqual([...truth.campaigns.keys()].sort());
    for (const [externalId, want] of truth.campaigns) {
      const have = got.campaigns.get(externalId)!;
      expect({ externalId, total: have.total, byStatus: have.byStatus, counts: only(have.tally) }).toEqual({
        externalId,
        total: want.total,
        byStatus: want.byStatus,
        counts: only(want.tally),
      });
      expect([have.first, have.last]).toEqual([want.first, want.last]);
    }
    expect(series(got.hours)).toEqual(series(truth.hours));
    expect(series(got.days)).toEqual(series(truth.days));
  }

  it('counts a shuffled stream with duplicates exactly once per email and milestone (one caller)', async () => {
    const { truth, got } = await run(7, 1, 0.4);
    expectSame(got, truth);
    // The scenario is rich enough to mean something.
    const spring = truth.campaigns.get('spring')!.tally;
    for (const m of MILESTONE_COUNTERS) expect(spring[m]).toBeGreaterThan(0);
    expect(Object.keys(truth.campaigns.get('spring')!.tally.rejectedByReason).length).toBeGreaterThanOrEqual(4);
  });

  it('stays exact with two callers recording overlapping duplicates concurrently', async () => {
    const { truth, got } = await run(11, 2, 0.6);
    expectSame(got, truth);
  });

  it('counts emails without an externalId in the account days, and the campaigns add up to at most those', async () => {
    const { truth, got, scenario: s } = await run(23, 2, 0.3);
    const days = [...got.days.values()];
    const sum = (c: SeriesCounter) => days.reduce((n, d) => n + d[c], 0);
    expect(sum('created')).toBe(s.emails.length);
    const inCampaigns = [...got.campaigns.values()].reduce((n, c) => n + c.total, 0);
    expect(inCampaigns).toBe(s.emails.filter((e) => e.externalId).length);
    expect(inCampaigns).toBeLessThan(sum('created'));
    expect(sum('delivered')).toBe([...truth.days.values()].reduce((n, d) => n + d.delivered, 0));
  });

  it('counts an event duplicated inside one batch once', async () => {
    const account = await createAccount();
    const { emails } = scenario(account, 1, 3);
    const email = { ...emails[0], externalId: 'dup-batch', status: 'QUEUED' as const, statusReason: null };
    await intake.store([email]);
    const event = (status: EmailStatus, n: number): StatusEvent => ({
      emailId: email.id,
      status,
      source: 'SES',
      sourceId: `${email.id}:${status}:${n}`,
      type: status,
      occurredAt: new Date(email.createdAt.getTime() + 60_000 * n),
    });
    await recorder.record([
      event('SENT', 1),
      event('DELIVERED', 2),
      event('OPEN', 3),
      event('OPEN', 3),
      event('CLICK', 4),
      event('CLICK', 4),
    ]);
    await recorder.record([event('OPEN', 3), event('OPEN', 5)]);
    const { rows } = await testPool().query(
      `SELECT "sent", "delivered", "opened", "clicked", "opensTotal", "clicksTotal", "byStatus" FROM "CampaignStats" WHERE "accountId" = $1`,
      [account.accountId],
    );
    expect(rows).toEqual([
      {
        sent: 1,
        delivered: 1,
        opened: 1,
        clicked: 1,
        opensTotal: 2,
        clicksTotal: 1,
        byStatus: expect.objectContaining({ CLICK: 1, QUEUED: 0 }),
      },
    ]);
  });

  it('agrees with the milestone timestamps the recorder stored on the emails', async () => {
    const { got, account } = await run(31, 2, 0.5);
    const { rows } = await testPool().query(
      `SELECT "externalId", count(*)::int AS "total", count("sentAt")::int AS "sent", count("deliveredAt")::int AS "delivered",
         count("openedAt")::int AS "opened", count("clickedAt")::int AS "clicked", count("hardBouncedAt")::int AS "hardBounced",
         count("rejectedAt")::int AS "rejected"
       FROM "Email" WHERE "accountId" = $1 AND "externalId" IS NOT NULL GROUP BY "externalId"`,
      [account.accountId],
    );
    for (const r of rows) {
      const c = got.campaigns.get(r.externalId)!;
      expect({ ...r, externalId: undefined }).toEqual({
        externalId: undefined,
        total: c.total,
        sent: c.tally.sent,
        delivered: c.tally.delivered,
        opened: c.tally.opened,
        clicked: c.tally.clicked,
        hardBounced: c.tally.hardBounced,
        rejected: c.tally.rejected,
      });
    }
  });
});
