import { JobName, type RecordReputationEventJob } from '@postline/contracts';
import { type Sql, sql } from '@postline/database';
import type { PendingWork } from '@postline/queue';
import type { Pool } from 'pg';

/**
 * The one module that writes "ReputationPending": reputation work Postgres keeps until the reputation app has
 * counted it. The outbox row of a `record-reputation-events` job is gone once relayed, so without this a job
 * Redis lost would leave the account's counts short for good.
 */

/** The row of a job, written in the transaction of the status change that causes it (beside its outbox row). */
export function reputationPendingStatement(jobId: string, events: readonly RecordReputationEventJob[]): Sql {
  return sql`INSERT INTO "ReputationPending" ("jobId", "events") VALUES (${jobId}, ${JSON.stringify(events)}::jsonb) ON CONFLICT ("jobId") DO NOTHING`;
}

/**
 * Forgets the jobs whose events are all counted. Counting is idempotent (ReputationOutcome), so a row left
 * behind by a crash between the count and this delete only makes the reconciler queue the job once more.
 */
export async function settleReputationPending(db: Pool, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.query(`DELETE FROM "ReputationPending" WHERE "jobId" = ANY($1::text[])`, [jobIds]);
}

/** Reputation jobs not counted yet, oldest first (index "ReputationPending_createdAt_jobId_idx"). */
export const pendingReputation: PendingWork<typeof JobName.RecordReputationEvents> = {
  name: 'reputation-event',
  jobName: JobName.RecordReputationEvents,
  async page(db, before, cursor, limit) {
    const [afterAt, afterId] = cursor ? (JSON.parse(cursor) as [string, string]) : [null, null];
    const { rows } = await db.query<{ jobId: string; events: RecordReputationEventJob[]; createdAt: string }>(
      `SELECT "jobId", "events", "createdAt"::text AS "createdAt" FROM "ReputationPending"
       WHERE "createdAt" < $1 AND ($2::timestamptz IS NULL OR ("createdAt", "jobId") > ($2::timestamptz, $3::text))
       ORDER BY "createdAt", "jobId" LIMIT $4`,
      [before, afterAt, afterId, limit],
    );
    const last = rows[rows.length - 1];
    return {
      jobs: rows.map((r) => ({ jobId: r.jobId, data: { events: r.events } })),
      cursor: rows.length === limit ? JSON.stringify([last.createdAt, last.jobId]) : null,
    };
  },
  async stillPending(db, jobs) {
    const { rows } = await db.query<{ jobId: string }>(
      `SELECT "jobId" FROM "ReputationPending" WHERE "jobId" = ANY($1::text[])`,
      [jobs.map((j) => j.jobId)],
    );
    const pending = new Set(rows.map((r) => r.jobId));
    return jobs.filter((j) => pending.has(j.jobId));
  },
};
