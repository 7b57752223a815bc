import { MILESTONE_COLUMN, type Milestone } from '@postline/contracts';
import { MILESTONE_COUNTERS, SERIES_COUNTERS, type SeriesCounter } from '@postline/email-ledger';
import type { Pool } from 'pg';
import type { TagFilter } from '../emails/dto/tag-filter';
import type { SeriesRange } from './report-range';
import type { BucketCounts } from './report-shapes';

/**
 * Reports of the emails that carry one tag (`?tag=name:value`).
 *
 * The counter tables are kept per campaign, campaign hour and account day, not per tag: an email carries up to
 * 48 tags, and a counter row per tag would multiply the writes of every status change by as many. A tag filter
 * therefore reads the tagged emails themselves, found through the GIN index on "tags". It counts the same facts
 * as the counters: the milestone timestamps the status recorder stores on each email the first time it reaches
 * a milestone (the campaign-counters test checks both agree), and the Open / Click events of the email's own
 * recipient. Its cost grows with the number of tagged emails in the scope, unlike the counter reports.
 */

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Which emails a tag report counts: the account's, of one campaign or all, carrying the tag. */
export interface TagScope {
  accountId: string;
  externalId?: string;
  tag: TagFilter;
}

export interface TagHeadline {
  total: number;
  counts: Record<Exclude<SeriesCounter, 'created'>, number>;
  byStatus: Record<string, number>;
  rejectedByReason: Record<string, number>;
  firstActivityAt: string | null;
  lastActivityAt: string | null;
}

const milestoneColumn = (m: Milestone) => `"${MILESTONE_COLUMN[m]}"`;

/**
 * The tagged emails of the scope ($1 account, $2 tag as jsonb, $3 the campaign when there is one). Two
 * statements rather than `$3 IS NULL OR …`: a generic plan of that could not use the campaign's index.
 */
const tagged = (
  campaign: boolean,
) => `SELECT e."id", e."status", e."createdAt", ${MILESTONE_COUNTERS.map((m) => `e.${milestoneColumn(m)}`).join(', ')}
  FROM "Email" e
  WHERE e."accountId" = $1::uuid AND e."tags" @> $2::jsonb AND ${campaign ? `e."externalId" = $3::text` : `$3::text IS NULL`}`;

/**
 * Every Open and Click of the tagged emails' own recipient. A cc/bcc recipient's event is kept in the history
 * with its `recipient` in the details; the counters leave it out, and so does this.
 */
const ENGAGED = `SELECT ev."mappedStatus" AS "kind", ev."occurredAt" AS "at"
  FROM tagged t JOIN "EmailEvent" ev ON ev."emailId" = t."id"
  WHERE ev."mappedStatus" IN ('OPEN', 'CLICK') AND NOT (ev."details" ? 'recipient')`;

function scopeValues(scope: TagScope): unknown[] {
  return [
    scope.accountId,
    JSON.stringify([{ name: scope.tag.name, value: scope.tag.value }]),
    scope.externalId ?? null,
  ];
}

/**
 * Per bucket of the range: each counter's count, one aggregate per milestone column over the tagged emails
 * (a scan of the materialized CTE each, cheaper than unpivoting every email into rows). $4 / $5: the first
 * and last bucket.
 */
function bucketsSql(unit: 'hour' | 'day'): string {
  const inRange = (at: string) => `${at} >= $4::timestamp AND ${at} < $5::timestamp + interval '1 ${unit}'`;
  const count = (counter: string, column: string) =>
    `SELECT '${counter}' AS "counter", date_trunc('${unit}', ${column}) AS "b", NULL::text AS "status", count(*)::int AS "n"
     FROM tagged t WHERE ${inRange(column)} GROUP BY 2`;
  return [
    count('created', 't."createdAt"'),
    ...MILESTONE_COUNTERS.filter((m) => m !== 'rejected').map((m) => count(m, `t.${milestoneColumn(m)}`)),
    // A rejection counts under the status that refused the email (it is terminal: still its status).
    `SELECT 'rejected', date_trunc('${unit}', t."rejectedAt"), t."status"::text, count(*)::int
     FROM tagged t WHERE ${inRange('t."rejectedAt"')} GROUP BY 2, 3`,
    `SELECT CASE WHEN e."kind" = 'OPEN' THEN 'opensTotal' ELSE 'clicksTotal' END, date_trunc('${unit}', e."at"), NULL, count(*)::int
     FROM engaged e WHERE ${inRange('e."at"')} GROUP BY 1, 2`,
  ].join('\n UNION ALL ');
}

export interface TagReport {
  headline: TagHeadline;
  /** Every bucket of the range, zero when nothing happened in it. */
  points: (BucketCounts & { at: string })[];
}

/**
 * The tagged emails' counts, statuses, rejections by reason, first and last activity, and their series over
 * `range`, in one statement: each email counts in the bucket of its acceptance (`created`) and of each
 * milestone it reached, each Open and Click in the bucket it happened, as in the counter series.
 */
export async function tagReport(pool: Pool, scope: TagScope, range: SeriesRange): Promise<TagReport> {
  const unit = range.granularity;
  const milestones = MILESTONE_COUNTERS.map((m) => `count(t.${milestoneColumn(m)})::int AS "${m}"`).join(', ');
  const latest = MILESTONE_COUNTERS.map((m) => `max(t.${milestoneColumn(m)})`).join(', ');
  const { rows } = await pool.query<Record<string, unknown>>({
    name: `reports-tag-${unit}${scope.externalId === undefined ? '-account' : '-campaign'}`,
    text: `WITH tagged AS MATERIALIZED (${tagged(scope.externalId !== undefined)}), engaged AS MATERIALIZED (${ENGAGED}),
        buckets AS (${bucketsSql(unit)})
      SELECT count(*)::int AS "total", ${milestones},
        (SELECT count(*) FROM engaged WHERE "kind" = 'OPEN')::int AS "opensTotal",
        (SELECT count(*) FROM engaged WHERE "kind" = 'CLICK')::int AS "clicksTotal",
        (SELECT COALESCE(jsonb_object_agg("status", n), '{}') FROM
          (SELECT "status", count(*)::int AS n FROM tagged GROUP BY 1) s) AS "byStatus",
        (SELECT COALESCE(jsonb_object_agg("status", n), '{}') FROM
          (SELECT "status", count(*)::int AS n FROM tagged WHERE "rejectedAt" IS NOT NULL GROUP BY 1) r) AS "rejectedByReason",
        to_char(min(t."createdAt"), ${ISO_UTC}) AS "firstActivityAt",
        to_char(GREATEST(max(t."createdAt"), ${latest}, (SELECT max("at") FROM engaged)), ${ISO_UTC}) AS "lastActivityAt",
        (SELECT COALESCE(json_agg(json_build_object('at', to_char(b, ${ISO_UTC}), 'counter', "counter", 'status', "status", 'n', n)), '[]')
          FROM buckets) AS "buckets"
      FROM tagged t`,
    values: [...scopeValues(scope), range.from.toISOString(), range.to.toISOString()],
  });
  const row = rows[0];
  const counts = Object.fromEntries(
    [...MILESTONE_COUNTERS, 'opensTotal', 'clicksTotal'].map((c) => [c, Number(row[c])]),
  ) as TagHeadline['counts'];
  return {
    headline: {
      total: Number(row.total),
      counts,
      byStatus: row.byStatus as Record<string, number>,
      rejectedByReason: row.rejectedByReason as Record<string, number>,
      firstActivityAt: row.firstActivityAt as string | null,
      lastActivityAt: row.lastActivityAt as string | null,
    },
    points: series(range, row.buckets as { at: string; counter: SeriesCounter; status: string | null; n: number }[]),
  };
}

function series(
  range: SeriesRange,
  buckets: { at: string; counter: SeriesCounter; status: string | null; n: number }[],
): (BucketCounts & { at: string })[] {
  const step = range.granularity === 'hour' ? 3_600_000 : 86_400_000;
  const points = new Map<string, BucketCounts & { at: string }>();
  for (let i = 0; i < range.buckets; i++) {
    const at = new Date(range.from.getTime() + i * step).toISOString();
    points.set(at, {
      at,
      ...(Object.fromEntries(SERIES_COUNTERS.map((c) => [c, 0])) as Record<SeriesCounter, number>),
      rejectedByReason: {},
    });
  }
  for (const bucket of buckets) {
    const point = points.get(bucket.at);
    if (!point) continue;
    point[bucket.counter] += bucket.n;
    if (bucket.counter === 'rejected' && bucket.status)
      point.rejectedByReason[bucket.status] = (point.rejectedByReason[bucket.status] ?? 0) + bucket.n;
  }
  return [...points.values()];
}
