import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmailStatus, StatusEvent } from '@postline/contracts';
import { EmailIntake, type NewEmail, type NewEmailOptions, StatusRecorder } from '@postline/email-ledger';
import { closeTestPool, createAccount, createTestApp, queuedEmail, type TestAccount } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

/** A small deterministic generator: the same streams every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const T0 = Date.parse('2026-04-01T08:20:00Z');
const MINUTE = 60_000;

describe('GET /reports?tag= (gateway, from the tagged emails; must agree with the counters)', () => {
  let app: NestFastifyApplication;
  let alice: TestAccount;
  let bob: TestAccount;
  const rand = random(20_261_205);

  const get = (url: string, key = alice.apiKey) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

  function options(tags: Record<string, string>): NewEmailOptions {
    return {
      fromName: null,
      cc: ['watcher@example.test'],
      bcc: [],
      replyTo: [],
      headers: null,
      tags: Object.entries(tags).map(([name, value]) => ({ name, value })),
      tracking: null,
      droppedRecipients: null,
      attachmentCount: 0,
    };
  }

  function email(account: TestAccount, externalId: string | null, tags: Record<string, string>): NewEmail {
    const refused = rand() < 0.1;
    return queuedEmail(account, {
      to: `${randomUUID().slice(0, 8)}@example.test`,
      externalId,
      status: refused ? 'BAD_TO' : 'QUEUED',
      statusReason: refused ? 'refused' : null,
      createdAt: new Date(T0 + Math.floor(rand() * 90) * MINUTE),
      options: options(tags),
    });
  }

  /** A plausible random life: sent, then delivered or bounced, opens and clicks, sometimes a complaint. */
  function life(e: NewEmail): StatusEvent[] {
    if (e.status !== 'QUEUED') return [];
    const steps: [EmailStatus, number, string?][] = [];
    let t = e.createdAt.getTime() + (1 + Math.floor(rand() * 30)) * MINUTE;
    const next = () => (t += (1 + Math.floor(rand() * 600)) * MINUTE);
    const roll = rand();
    if (roll < 0.08)
      return at(e, [
        ['DEQUEUED', t],
        ['EXHAUSTED', next()],
      ]);
    steps.push(['SENT', t]);
    if (roll < 0.16) steps.push(['BOUNCED_PERMANENT', next()]);
    else {
      if (roll < 0.25) steps.push(['BOUNCED', next()]);
      steps.push(['DELIVERED', next()]);
      const opens = Math.floor(rand() * 4);
      for (let i = 0; i < opens; i++) steps.push(['OPEN', next()]);
      if (opens > 0 && rand() < 0.5) steps.push(['CLICK', next()], ['CLICK', next()]);
      if (rand() < 0.1) steps.push(['COMPLAINED', next()]);
      // The cc's open: history only, not counted.
      if (rand() < 0.3) steps.push(['OPEN', next(), 'watcher@example.test']);
    }
    return at(e, steps);
  }

  const at = (e: NewEmail, steps: [EmailStatus, number, string?][]): StatusEvent[] =>
    steps.map(([status, when, recipient], i) => ({
      emailId: e.id,
      status,
      source: status === 'DEQUEUED' || status === 'EXHAUSTED' ? 'SENDER' : 'SES',
      sourceId: `${e.id}:${i}`,
      type: status,
      occurredAt: new Date(when),
      ...(recipient ? { recipient } : {}),
    }));

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    const intake = app.get(EmailIntake);
    const recorder = app.get(StatusRecorder);
    alice = await createAccount();
    bob = await createAccount();

    const emails = [
      // Every email of `all-vip` carries segment:vip: its tag report must equal its counter report.
      ...Array.from({ length: 40 }, () => email(alice, 'all-vip', { segment: 'vip', lang: 'en' })),
      // `mixed` splits between two values and untagged emails: the parts add up to the whole.
      ...Array.from({ length: 60 }, (_, i) =>
        email(alice, 'mixed', i % 3 === 2 ? { lang: 'en' } : { segment: i % 3 === 0 ? 'vip' : 'regular' }),
      ),
      ...Array.from({ length: 10 }, () => email(alice, null, { segment: 'vip' })),
      ...Array.from({ length: 5 }, () => email(bob, 'mixed', { segment: 'vip' })),
    ];
    await intake.store(emails);
    const stream = emails.flatMap(life);
    // Shuffled, in batches, with duplicates: the recorder counts each email and milestone once.
    const shuffled = [...stream, ...stream.slice(0, 50)].sort(() => rand() - 0.5);
    for (let i = 0; i < shuffled.length; i += 25) await recorder.record(shuffled.slice(i, i + 25));
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  type Report = {
    total: number;
    counts: Record<string, number>;
    byStatus: Record<string, number>;
    rejectedByReason: Record<string, number>;
    series: { points: Record<string, number | string | Record<string, number>>[] };
  };
  const report = async (url: string): Promise<Report> => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    return res.json().data;
  };
  const RANGE = 'from=2026-04-01T00:00:00Z&to=2026-04-04T00:00:00Z';

  it('equals the counter report when every email of the campaign carries the tag', async () => {
    for (const granularity of ['hour', 'day']) {
      const counters = await report(`/reports/campaigns/all-vip?${RANGE}&granularity=${granularity}`);
      const tagged = await report(`/reports/campaigns/all-vip?${RANGE}&granularity=${granularity}&tag=segment:vip`);
      expect(counters.total).toBe(40);
      expect(counters.counts.sent).toBeGreaterThan(20);
      expect(counters.counts.opensTotal).toBeGreaterThan(counters.counts.opened);
      expect(tagged.total).toBe(counters.total);
      expect(tagged.counts).toEqual(counters.counts);
      expect(tagged.byStatus).toEqual(counters.byStatus);
      expect(tagged.rejectedByReason).toEqual(counters.rejectedByReason);
      expect(tagged.series).toEqual(counters.series);
    }
  });

  it('splits a campaign by tag value: the parts add up to the whole, untagged emails left out', async () => {
    const whole = await report(`/reports/campaigns/mixed?${RANGE}&granularity=day`);
    const vip = await report(`/reports/campaigns/mixed?${RANGE}&granularity=day&tag=segment:vip`);
    const regular = await report(`/reports/campaigns/mixed?${RANGE}&granularity=day&tag=segment:regular`);
    const en = await report(`/reports/campaigns/mixed?${RANGE}&granularity=day&tag=lang:en`);
    expect([whole.total, vip.total, regular.total, en.total]).toEqual([60, 20, 20, 20]);
    for (const counter of Object.keys(whole.counts)) {
      expect(vip.counts[counter] + regular.counts[counter] + en.counts[counter]).toBe(whole.counts[counter]);
    }
    whole.series.points.forEach((point, i) => {
      for (const counter of ['created', 'sent', 'delivered', 'opened', 'opensTotal', 'clicksTotal', 'rejected']) {
        const parts = [vip, regular, en].map((r) => r.series.points[i][counter] as number);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(point[counter]);
      }
    });
  });

  it('sums the account by day for one tag, emails without a campaign included', async () => {
    const res = await get('/reports/summary?from=2026-04-01&to=2026-04-03&tag=segment:vip');
    expect(res.statusCode).toBe(200);
    const { totals, days } = res.json().data;
    expect(days).toHaveLength(3);
    // 40 in all-vip, 20 in mixed, 10 without a campaign; bob's are his.
    expect(totals.created).toBe(70);
    const allVip = await report(`/reports/campaigns/all-vip?${RANGE}&tag=segment:vip`);
    const mixedVip = await report(`/reports/campaigns/mixed?${RANGE}&tag=segment:vip`);
    expect(totals.sent).toBeGreaterThanOrEqual(allVip.counts.sent + mixedVip.counts.sent);
    expect(totals.opensTotal).toBeGreaterThanOrEqual(allVip.counts.opensTotal + mixedVip.counts.opensTotal);
  });

  it('keeps accounts apart, answers zeros for a tag no email carries, and refuses a bad tag naming the field', async () => {
    const bobs = await get(`/reports/campaigns/mixed?tag=segment:vip`, bob.apiKey);
    expect(bobs.json().data.total).toBe(5);
    expect((await get(`/reports/campaigns/all-vip?tag=segment:vip`, bob.apiKey)).statusCode).toBe(404);
    const none = await report(`/reports/campaigns/all-vip?${RANGE}&granularity=day&tag=segment:nobody`);
    expect(none.total).toBe(0);
    expect(none.counts.sent).toBe(0);
    expect(none.series.points).toHaveLength(4);
    for (const url of ['/reports/campaigns/all-vip?tag=segment', '/reports/summary?tag=a%20b:c']) {
      const bad = await get(url);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details).toEqual([expect.objectContaining({ field: 'tag' })]);
    }
  });
});
