import { MILESTONE_COLUMN, type Milestone } from '@postline/contracts';
import { MILESTONE_COUNTERS, SERIES_COUNTERS, type SeriesCounter } from '@postline/email-status';
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

/** The tagged emails of the scope ($1 account, $2 tag as jsonb, $3 campaign or null for all). */
const TAGGED = `SELECT e."id", e."status", e."createdAt", ${MILESTONE_COUNTERS.map((m) => `e.${milestoneColumn(m)}`).join(', ')}
  FROM "Email" e
  WHERE e."accountId" = $1::uuid AND e."tags" @> $2::jsonb AND ($3::text IS NULL OR e."externalId" = $3::text)`;

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

/** Counts, statuses, rejections by reason and the first and last activity of the tagged emails. */
export async function tagHeadline(pool: Pool, scope: TagScope): Promise<TagHeadline> {
  const milestones = MILESTONE_COUNTERS.map((m) => `count(t.${milestoneColumn(m)})::int AS "${m}"`).join(', ');
  const latest = MILESTONE_COUNTERS.map((m) => `max(t.${milestoneColumn(m)})`).join(', ');
  const { rows } = await pool.query<Record<string, unknown>>({
    name: 'reports-tag-headline',
    text: `WITH tagged AS MATERIALIZED (${TAGGED}), engaged AS (${ENGAGED})
      SELECT count(*)::int AS "total", ${milestones},
        (SELECT count(*) FROM engaged WHERE "kind" = 'OPEN')::int AS "opensTotal",
        (SELECT count(*) FROM engaged WHERE "kind" = 'CLICK')::int AS "clicksTotal",
        (SELECT COALESCE(jsonb_object_agg("status", n), '{}') FROM
          (SELECT "status", count(*)::int AS n FROM tagged GROUP BY 1) s) AS "byStatus",
        (SELECT COALESCE(jsonb_object_agg("status", n), '{}') FROM
          (SELECT "status", count(*)::int AS n FROM tagged WHERE "rejectedAt" IS NOT NULL GROUP BY 1) r) AS "rejectedByReason",
        to_char(min(t."createdAt"), ${ISO_UTC}) AS "firstActivityAt",
        to_char(GREATEST(max(t."createdAt"), ${latest}, (SELECT max("at") FROM engaged)), ${ISO_UTC}) AS "lastActivityAt"
      FROM tagged t`,
    values: scopeValues(scope),
  });
  const row = rows[0];
  const counts = Object.fromEntries(
    [...MILESTONE_COUNTERS, 'opensTotal', 'clicksTotal'].map((c) => [c, Number(row[c])]),
  ) as TagHeadline['counts'];
  return {
    total: Number(row.total),
    counts,
    byStatus: row.byStatus as Record<string, number>,
    rejectedByReason: row.rejectedByReason as Record<string, number>,
    firstActivityAt: row.firstActivityAt as string | null,
    lastActivityAt: row.lastActivityAt as string | null,
  };
}

/**
 * The series of the tagged emails over `range`: each email counts in the bucket of its acceptance (`created`)
 * and of each milestone it reached, each Open and Click in the bucket it happened, as in the counter series.
 * Every bucket of the range is present, zero when nothing happened in it.
 */
export async function tagSeries(
  pool: Pool,
  scope: TagScope,
  range: SeriesRange,
): Promise<(BucketCounts & { at: string })[]> {
  const unit = range.granularity;
  const facts = [
    `('created', t."createdAt")`,
    ...MILESTONE_COUNTERS.map((m) => `('${m}', t.${milestoneColumn(m)})`),
  ].join(', ');
  const { rows } = await pool.query<{ bucket: string; counter: SeriesCounter; status: string | null; n: number }>({
    name: `reports-tag-series-${unit}`,
    text: `WITH tagged AS MATERIALIZED (${TAGGED}), facts AS (
        SELECT f."counter", f."at", CASE WHEN f."counter" = 'rejected' THEN t."status"::text END AS "status"
        FROM tagged t CROSS JOIN LATERAL (VALUES ${facts}) AS f("counter", "at")
        WHERE f."at" IS NOT NULL
        UNION ALL
        SELECT CASE WHEN e."kind" = 'OPEN' THEN 'opensTotal' ELSE 'clicksTotal' END, e."at", NULL
        FROM (${ENGAGED}) e
      )
      SELECT to_char(date_trunc('${unit}', "at"), ${ISO_UTC}) AS "bucket", "counter", "status", count(*)::int AS n
      FROM facts
      WHERE "at" >= $4::timestamp AND "at" < $5::timestamp + interval '1 ${unit}'
      GROUP BY 1, 2, 3`,
    values: [...scopeValues(scope), range.from.toISOString(), range.to.toISOString()],
  });
  const step = unit === 'hour' ? 3_600_000 : 86_400_000;
  const points = new Map<string, BucketCounts & { at: string }>();
  for (let i = 0; i < range.buckets; i++) {
    const at = new Date(range.from.getTime() + i * step).toISOString();
    points.set(at, {
      at,
      ...(Object.fromEntries(SERIES_COUNTERS.map((c) => [c, 0])) as Record<SeriesCounter, number>),
      rejectedByReason: {},
    });
  }
  for (const row of rows) {
    const point = points.get(row.bucket);
    if (!point) continue;
    point[row.counter] += row.n;
    if (row.counter === 'rejected' && row.status)
      point.rejectedByReason[row.status] = (point.rejectedByReason[row.status] ?? 0) + row.n;
  }
  return [...points.values()];
}
