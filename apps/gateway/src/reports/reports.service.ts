import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@postline/database';
import { MILESTONE_COUNTERS, SERIES_COUNTERS, type SeriesCounter } from '@postline/email-ledger';
import { ApiError } from '@postline/http';
import type { Pool } from 'pg';
import { decodeCampaignCursor, encodeCampaignCursor } from './campaign-cursor';
import type { CampaignReportQuery } from './dto/campaign-report.query';
import type { SummaryQuery } from './dto/summary.query';
import { parseInstant, resolveRange, type SeriesRange } from './report-range';
import { computeRates } from './report-rates';
import { tagReport, type TagScope } from './tag-report';
import type {
  AccountSummary,
  BucketCounts,
  CampaignHeadline,
  CampaignList,
  CampaignReport,
  Counts,
  SeriesPoint,
  SummaryDay,
} from './report-shapes';

const COUNTS = [...MILESTONE_COUNTERS, 'opensTotal', 'clicksTotal'] as const;
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const DAY_MS = 86_400_000;
/** The summary's default range: the last 30 days, today included. */
const SUMMARY_DEFAULT_DAYS = 30;

const CAMPAIGN_COLUMNS = `"externalId", "total", "byStatus", ${COUNTS.map((c) => `"${c}"`).join(', ')}, "rejectedByReason",
  to_char("firstActivityAt", ${ISO_UTC}) AS "firstActivityAt", to_char("lastActivityAt", ${ISO_UTC}) AS "lastActivityAt"`;

type CampaignRow = Counts & {
  externalId: string;
  total: number;
  byStatus: Record<string, number>;
  rejectedByReason: Record<string, number>;
  firstActivityAt: string;
  lastActivityAt: string;
};

type BucketRow = BucketCounts & { bucket: string };

/** Counter columns of a series, zero for buckets with no row. */
const bucketColumns = (alias: string) =>
  `${SERIES_COUNTERS.map((c) => `COALESCE(${alias}."${c}", 0)::int AS "${c}"`).join(', ')},
   COALESCE(${alias}."rejectedByReason", '{}'::jsonb) AS "rejectedByReason"`;

/**
 * Reads the counter tables only (CampaignStats, CampaignHourlyStats, AccountDailyStats), each by its primary key
 * or the campaign-list index: a report costs the same for ten emails or ten million. Statements are named so
 * each pooled connection plans them once. The one exception is a report filtered by tag, which has no counters
 * and reads the tagged emails (tag-report.ts says why).
 */
@Injectable()
export class ReportsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async listCampaigns(accountId: string, limit: number, cursor?: string): Promise<CampaignList> {
    const after = cursor ? decodeCampaignCursor(cursor) : undefined;
    // The bound on lastActivityAt lets the index scan start at the cursor; the OR breaks ties by externalId.
    const { rows } = await this.pool.query<CampaignRow>({
      name: after ? 'reports-campaigns-after' : 'reports-campaigns',
      text: `SELECT ${CAMPAIGN_COLUMNS} FROM "CampaignStats"
       WHERE "accountId" = $1
         ${after ? `AND "lastActivityAt" <= $3::timestamp AND ("lastActivityAt" < $3::timestamp OR "externalId" > $4)` : ''}
       ORDER BY "lastActivityAt" DESC, "externalId" ASC
       LIMIT $2`,
      values: after ? [accountId, limit + 1, after.lastActivityAt, after.externalId] : [accountId, limit + 1],
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(headline),
      nextCursor:
        rows.length > limit && last
          ? encodeCampaignCursor({ lastActivityAt: last.lastActivityAt, externalId: last.externalId })
          : null,
    };
  }

  async campaign(accountId: string, externalId: string, query: CampaignReportQuery): Promise<CampaignReport> {
    const { rows } = await this.pool.query<CampaignRow>({
      name: 'reports-campaign',
      text: `SELECT ${CAMPAIGN_COLUMNS} FROM "CampaignStats" WHERE "accountId" = $1 AND "externalId" = $2`,
      values: [accountId, externalId],
    });
    // Another account's campaign is "not found" like one that does not exist.
    if (rows.length === 0) throw ApiError.notFound('Campaign');
    const row = rows[0];
    if (query.tag) return this.taggedCampaign({ accountId, externalId, tag: query.tag }, row, query);
    const range = resolveRange(query, { from: new Date(row.firstActivityAt), to: new Date(row.lastActivityAt) });
    const points = await this.campaignSeries(accountId, externalId, range);
    return {
      ...headline(row),
      byStatus: nonZero(row.byStatus),
      series: { granularity: range.granularity, from: range.from.toISOString(), to: range.to.toISOString(), points },
    };
  }

  async summary(accountId: string, query: SummaryQuery): Promise<AccountSummary> {
    const to = query.to ? parseInstant(query.to, 'to') : new Date();
    const range = resolveRange(
      { ...query, granularity: 'day' },
      { from: new Date(to.getTime() - (SUMMARY_DEFAULT_DAYS - 1) * DAY_MS), to },
    );
    if (query.tag) {
      const { points } = await tagReport(this.pool, { accountId, tag: query.tag }, range);
      return summaryOf(points.map(({ at, ...counts }) => ({ date: at.slice(0, 10), ...cleanBucket(counts) })));
    }
    const { rows } = await this.pool.query<BucketRow>({
      name: 'reports-summary',
      text: `SELECT to_char(g."bucket", 'YYYY-MM-DD') AS "bucket", ${bucketColumns('d')}
       FROM generate_series($2::timestamp, $3::timestamp, interval '1 day') AS g("bucket")
       LEFT JOIN "AccountDailyStats" d ON d."accountId" = $1 AND d."day" = g."bucket"::date
       ORDER BY g."bucket"`,
      values: [accountId, range.from.toISOString(), range.to.toISOString()],
    });
    return summaryOf(rows.map(({ bucket, ...counts }) => ({ date: bucket, ...cleanBucket(counts) })));
  }

  /**
   * The campaign report of the campaign's emails carrying the tag (tag-report.ts: read from the emails, not the
   * counters). The series spans the campaign's activity unless from / to say otherwise.
   */
  private async taggedCampaign(
    scope: TagScope,
    campaign: CampaignRow,
    query: CampaignReportQuery,
  ): Promise<CampaignReport> {
    const range = resolveRange(query, {
      from: new Date(campaign.firstActivityAt),
      to: new Date(campaign.lastActivityAt),
    });
    const { headline: tagged, points } = await tagReport(this.pool, scope, range);
    return {
      externalId: campaign.externalId,
      total: tagged.total,
      counts: tagged.counts,
      rejectedByReason: nonZero(tagged.rejectedByReason),
      rates: computeRates(tagged.counts),
      firstActivityAt: tagged.firstActivityAt ?? campaign.firstActivityAt,
      lastActivityAt: tagged.lastActivityAt ?? campaign.lastActivityAt,
      byStatus: nonZero(tagged.byStatus),
      series: {
        granularity: range.granularity,
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        points: points.map((p) => ({ ...p, rejectedByReason: nonZero(p.rejectedByReason) })),
      },
    };
  }

  private async campaignSeries(accountId: string, externalId: string, range: SeriesRange): Promise<SeriesPoint[]> {
    const params = [accountId, externalId, range.from.toISOString(), range.to.toISOString()];
    const sql =
      range.granularity === 'hour'
        ? `SELECT to_char(g."bucket", ${ISO_UTC}) AS "bucket", ${bucketColumns('h')}
           FROM generate_series($3::timestamp, $4::timestamp, interval '1 hour') AS g("bucket")
           LEFT JOIN "CampaignHourlyStats" h ON h."accountId" = $1 AND h."externalId" = $2 AND h."hour" = g."bucket"
           ORDER BY g."bucket"`
        : `SELECT to_char(g."bucket", ${ISO_UTC}) AS "bucket", ${bucketColumns('d')}
           FROM generate_series($3::timestamp, $4::timestamp, interval '1 day') AS g("bucket")
           LEFT JOIN (
             SELECT date_trunc('day', "hour") AS "day", ${SERIES_COUNTERS.map((c) => `sum("${c}") AS "${c}"`).join(', ')},
               postline_jsonb_sum("rejectedByReason") AS "rejectedByReason"
             FROM "CampaignHourlyStats"
             WHERE "accountId" = $1 AND "externalId" = $2 AND "hour" >= $3::timestamp AND "hour" < $4::timestamp + interval '1 day'
             GROUP BY 1
           ) d ON d."day" = g."bucket"
           ORDER BY g."bucket"`;
    const { rows } = await this.pool.query<BucketRow>({
      name: `reports-series-${range.granularity}`,
      text: sql,
      values: params,
    });
    return rows.map(({ bucket, ...counts }) => ({ at: bucket, ...cleanBucket(counts) }));
  }
}

function headline(row: CampaignRow): CampaignHeadline {
  const counts = Object.fromEntries(COUNTS.map((c) => [c, row[c]])) as Counts;
  return {
    externalId: row.externalId,
    total: row.total,
    counts,
    rejectedByReason: nonZero(row.rejectedByReason),
    rates: computeRates(counts),
    firstActivityAt: row.firstActivityAt,
    lastActivityAt: row.lastActivityAt,
  };
}

function summaryOf(days: SummaryDay[]): AccountSummary {
  const totals = addUp(days);
  return { from: days[0].date, to: days[days.length - 1].date, totals, rates: computeRates(totals), days };
}

function cleanBucket(counts: BucketCounts): BucketCounts {
  return { ...counts, rejectedByReason: nonZero(counts.rejectedByReason) };
}

function addUp(buckets: readonly BucketCounts[]): BucketCounts {
  const totals: BucketCounts = {
    ...(Object.fromEntries(SERIES_COUNTERS.map((c) => [c, 0])) as Record<SeriesCounter, number>),
    rejectedByReason: {},
  };
  for (const b of buckets) {
    for (const c of SERIES_COUNTERS) totals[c] += b[c];
    for (const [reason, n] of Object.entries(b.rejectedByReason))
      totals.rejectedByReason[reason] = (totals.rejectedByReason[reason] ?? 0) + n;
  }
  return totals;
}

/** Counter objects keep keys whose count went back to 0 (a status an email moved out of); reports leave them out. */
function nonZero(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, n]) => Number(n) !== 0)
      .map(([k, n]) => [k, Number(n)])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
