import type { EmailStatus, Milestone } from '@postline/contracts';
import { raw, type Raw, type Sql, sql } from '@postline/database';

/** Milestone counters shared by CampaignStats and both series tables (one column each). */
export const MILESTONE_COUNTERS = [
  'sent',
  'delayed',
  'delivered',
  'opened',
  'clicked',
  'softBounced',
  'hardBounced',
  'complained',
  'unsubscribed',
  'rejected',
] as const satisfies readonly Milestone[];

/** Every integer column of a series row (CampaignHourlyStats, AccountDailyStats), in a stable order. */
export const SERIES_COUNTERS = ['created', ...MILESTONE_COUNTERS, 'opensTotal', 'clicksTotal'] as const;
export type SeriesCounter = (typeof SERIES_COUNTERS)[number];

type Counts = Record<SeriesCounter, number>;

interface Tally {
  counts: Counts;
  rejectedByReason: Record<string, number>;
}

interface CampaignDelta extends Tally {
  accountId: string;
  externalId: string;
  byStatus: Record<string, number>;
  firstAt: Date;
  lastAt: Date;
}

interface SeriesDelta extends Tally {
  accountId: string;
  externalId?: string;
  bucket: string;
}

const HOUR_MS = 3_600_000;

function emptyTally(): Tally {
  return { counts: Object.fromEntries(SERIES_COUNTERS.map((c) => [c, 0])) as Counts, rejectedByReason: {} };
}

const DAY_MS = 24 * HOUR_MS;
// A batch counts a thousand emails of the same hour: the last bucket's string is kept, not rebuilt each time.
const lastHour = { start: NaN, text: '' };
const lastDay = { start: NaN, text: '' };

/** The UTC hour an instant falls in, as the `timestamp` literal stored in CampaignHourlyStats. */
export function hourBucket(at: Date): string {
  const start = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  if (start !== lastHour.start) Object.assign(lastHour, { start, text: new Date(start).toISOString() });
  return lastHour.text;
}

/** The UTC day an instant falls in (YYYY-MM-DD), the key of AccountDailyStats. */
export function dayBucket(at: Date): string {
  const start = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (start !== lastDay.start) Object.assign(lastDay, { start, text: new Date(start).toISOString().slice(0, 10) });
  return lastDay.text;
}

function byKey<T extends { key: string }>(a: T, b: T): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Collects the counter changes of one transaction and writes them with one upsert per table: the campaign
 * rows (account + externalId), the campaign's hourly series and the account's daily series (which counts every
 * email, with or without an externalId). Each row is written once per batch, and rows are sorted so that
 * concurrent transactions lock them in one order (no deadlock).
 */
export class CampaignCounters {
  private readonly campaigns = new Map<string, CampaignDelta>();
  private readonly hours = new Map<string, SeriesDelta>();
  private readonly days = new Map<string, SeriesDelta>();
  // The last lookups: a batch counts runs of emails of one account, campaign and hour, so most changes skip
  // building the map keys.
  private lastCampaign?: CampaignDelta;
  private lastTallies?: { accountId: string; externalId: string | null; hourStart: number; tallies: Tally[] };

  /** An email was stored with its first status. */
  created(accountId: string, externalId: string | null, status: EmailStatus, at: Date): void {
    for (const t of this.tallies(accountId, externalId, at)) t.counts.created += 1;
    const c = this.campaign(accountId, externalId, at);
    if (c) c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
  }

  /** The current status changed (the per-status snapshot only; milestones come through `reached`). */
  moved(accountId: string, externalId: string | null, from: EmailStatus, to: EmailStatus, at: Date): void {
    const c = this.campaign(accountId, externalId, at);
    if (!c) return;
    c.byStatus[from] = (c.byStatus[from] ?? 0) - 1;
    c.byStatus[to] = (c.byStatus[to] ?? 0) + 1;
  }

  /**
   * An email reached a milestone for the first time. `status` is the status that reached it: for `rejected`
   * it is the reason (BAD_TO, EXHAUSTED, …).
   */
  reached(accountId: string, externalId: string | null, milestone: Milestone, at: Date, status: EmailStatus): void {
    for (const t of this.tallies(accountId, externalId, at)) {
      t.counts[milestone] += 1;
      if (milestone === 'rejected') t.rejectedByReason[status] = (t.rejectedByReason[status] ?? 0) + 1;
    }
  }

  /** Every Open / Click event, not only the first of an email. */
  engaged(accountId: string, externalId: string | null, kind: 'open' | 'click', at: Date): void {
    for (const t of this.tallies(accountId, externalId, at))
      t.counts[kind === 'open' ? 'opensTotal' : 'clicksTotal'] += 1;
  }

  /**
   * Every counter change of the transaction: one upsert per table, joined by the caller to its other statements.
   * The rows they lock are the hottest in the system (a campaign sending thousands a second), so callers write
   * them last, in the statement right before their commit: the locks are then held for one round trip.
   */
  statements(): Sql[] {
    return [
      this.campaignUpsert(),
      this.seriesUpsert('CampaignHourlyStats', this.hours),
      this.seriesUpsert('AccountDailyStats', this.days),
    ].filter((statement): statement is Sql => statement !== undefined);
  }

  private campaign(accountId: string, externalId: string | null, at: Date): CampaignDelta | undefined {
    if (!externalId) return undefined;
    let c = this.lastCampaign;
    if (!c || c.accountId !== accountId || c.externalId !== externalId) {
      const key = `${accountId}\u0000${externalId}`;
      c = this.campaigns.get(key);
      if (!c) {
        c = { accountId, externalId, ...emptyTally(), byStatus: {}, firstAt: at, lastAt: at };
        this.campaigns.set(key, c);
      }
      this.lastCampaign = c;
    }
    if (at < c.firstAt) c.firstAt = at;
    if (at > c.lastAt) c.lastAt = at;
    return c;
  }

  /** The campaign row, its hour and the account's day that one change at `at` counts in. */
  private tallies(accountId: string, externalId: string | null, at: Date): Tally[] {
    const hourStart = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const last = this.lastTallies;
    if (last && last.hourStart === hourStart && last.accountId === accountId && last.externalId === externalId) {
      this.campaign(accountId, externalId, at); // still moves the campaign's first and last activity
      return last.tallies;
    }
    const day = dayBucket(at);
    const tallies: Tally[] = [this.series(this.days, `${accountId}\u0000${day}`, { accountId, bucket: day })];
    const c = this.campaign(accountId, externalId, at);
    if (c && externalId) {
      const hour = hourBucket(at);
      tallies.push(
        c,
        this.series(this.hours, `${accountId}\u0000${externalId}\u0000${hour}`, {
          accountId,
          externalId,
          bucket: hour,
        }),
      );
    }
    this.lastTallies = { accountId, externalId, hourStart, tallies };
    return tallies;
  }

  private series(
    map: Map<string, SeriesDelta>,
    key: string,
    id: { accountId: string; externalId?: string; bucket: string },
  ): SeriesDelta {
    let s = map.get(key);
    if (!s) {
      s = { ...id, ...emptyTally() };
      map.set(key, s);
    }
    return s;
  }

  private campaignUpsert(): Sql | undefined {
    if (this.campaigns.size === 0) return undefined;
    const rows = [...this.campaigns.entries()]
      .map(([key, c]) => ({ key, c }))
      .sort(byKey)
      .map(({ c }) => ({
        accountId: c.accountId,
        externalId: c.externalId,
        total: c.counts.created,
        byStatus: c.byStatus,
        ...pick(c.counts, MILESTONE_COUNTERS),
        rejectedByReason: c.rejectedByReason,
        opensTotal: c.counts.opensTotal,
        clicksTotal: c.counts.clicksTotal,
        firstAt: c.firstAt.toISOString(),
        lastAt: c.lastAt.toISOString(),
      }));
    const counters = [...MILESTONE_COUNTERS, 'opensTotal', 'clicksTotal'];
    // Timestamps go in as `timestamp` literals: the columns hold UTC whatever the session time zone.
    return sql`INSERT INTO "CampaignStats" AS c ("accountId", "externalId", "total", "byStatus", ${columns(counters)},
         "rejectedByReason", "firstActivityAt", "lastActivityAt")
       SELECT v."accountId", v."externalId", v."total", v."byStatus", ${columns(counters, 'v.')}, v."rejectedByReason",
         v."firstAt", v."lastAt"
       FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("accountId" uuid, "externalId" text, "total" int, "byStatus" jsonb,
         ${columnTypes(counters)}, "rejectedByReason" jsonb, "firstAt" timestamp, "lastAt" timestamp)
       ON CONFLICT ("accountId", "externalId") DO UPDATE SET
         "total" = c."total" + EXCLUDED."total",
         "byStatus" = postline_jsonb_add(c."byStatus", EXCLUDED."byStatus"),
         ${additions(counters)},
         ${REASON_ADDITION},
         "firstActivityAt" = LEAST(c."firstActivityAt", EXCLUDED."firstActivityAt"),
         "lastActivityAt" = GREATEST(c."lastActivityAt", EXCLUDED."lastActivityAt")`;
  }

  private seriesUpsert(
    table: 'CampaignHourlyStats' | 'AccountDailyStats',
    map: Map<string, SeriesDelta>,
  ): Sql | undefined {
    if (map.size === 0) return undefined;
    const hourly = table === 'CampaignHourlyStats';
    const keyColumns = hourly ? ['accountId', 'externalId', 'hour'] : ['accountId', 'day'];
    const keyTypes = raw(
      hourly ? `"accountId" uuid, "externalId" text, "hour" timestamp` : `"accountId" uuid, "day" date`,
    );
    const rows = [...map.entries()]
      .map(([key, s]) => ({ key, s }))
      .sort(byKey)
      .map(({ s }) => ({
        accountId: s.accountId,
        ...(hourly ? { externalId: s.externalId, hour: s.bucket } : { day: s.bucket }),
        ...s.counts,
        rejectedByReason: s.rejectedByReason,
      }));
    return sql`INSERT INTO ${raw(`"${table}"`)} AS c (${columns(keyColumns)}, ${columns(SERIES_COUNTERS)}, "rejectedByReason")
       SELECT ${columns(keyColumns, 'v.')}, ${columns(SERIES_COUNTERS, 'v.')}, v."rejectedByReason"
       FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(${keyTypes}, ${columnTypes(SERIES_COUNTERS)}, "rejectedByReason" jsonb)
       ON CONFLICT (${columns(keyColumns)}) DO UPDATE SET ${additions(SERIES_COUNTERS)}, ${REASON_ADDITION}`;
  }
}

function pick<K extends string>(counts: Record<K, number>, keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, counts[k]])) as Record<K, number>;
}

function columns(names: readonly string[], prefix = ''): Raw {
  return raw(names.map((n) => `${prefix}"${n}"`).join(', '));
}

function columnTypes(names: readonly string[]): Raw {
  return raw(names.map((n) => `"${n}" int`).join(', '));
}

function additions(names: readonly string[]): Raw {
  return raw(names.map((n) => `"${n}" = c."${n}" + EXCLUDED."${n}"`).join(', '));
}

/** Most batches reject nothing: skip the key-by-key JSON addition then. */
const REASON_ADDITION =
  raw(`"rejectedByReason" = CASE WHEN EXCLUDED."rejectedByReason" = '{}'::jsonb THEN c."rejectedByReason"
    ELSE postline_jsonb_add(c."rejectedByReason", EXCLUDED."rejectedByReason") END`);
