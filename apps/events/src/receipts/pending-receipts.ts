import { JobName } from '@postline/contracts';
import type { PendingWork } from '@postline/queue';
import { applyJobIdOf } from '../notifications/receipt-writer.service';

/**
 * SNS receipts acknowledged but not applied yet, in arrival order (index "SnsReceipt_state_receivedAt_idx").
 * The cursor is the last row's timestamptz as Postgres prints it (exact to the microsecond) and its id.
 */
export const pendingReceipts: PendingWork<typeof JobName.ApplySesEvent> = {
  name: 'ses-event',
  jobName: JobName.ApplySesEvent,
  async page(db, before, cursor, limit) {
    const [afterAt, afterId] = cursor ? (JSON.parse(cursor) as [string, string]) : [null, null];
    const { rows } = await db.query<{ messageId: string; receivedAt: string }>(
      `SELECT "messageId", "receivedAt"::text AS "receivedAt" FROM "SnsReceipt"
       WHERE "state" = 'PENDING' AND "receivedAt" < $1
         AND ($2::timestamptz IS NULL OR ("receivedAt", "messageId") > ($2::timestamptz, $3::text))
       ORDER BY "receivedAt", "messageId" LIMIT $4`,
      [before, afterAt, afterId, limit],
    );
    const last = rows[rows.length - 1];
    return {
      jobs: rows.map((r) => ({ jobId: applyJobIdOf(r.messageId), data: { snsMessageId: r.messageId } })),
      cursor: rows.length === limit ? JSON.stringify([last.receivedAt, last.messageId]) : null,
    };
  },
  async stillPending(db, jobs) {
    const { rows } = await db.query<{ messageId: string }>(
      `SELECT "messageId" FROM "SnsReceipt" WHERE "messageId" = ANY($1::text[]) AND "state" = 'PENDING'`,
      [jobs.map((j) => j.data.snsMessageId)],
    );
    const pending = new Set(rows.map((r) => r.messageId));
    return jobs.filter((j) => pending.has(j.data.snsMessageId));
  },
};
