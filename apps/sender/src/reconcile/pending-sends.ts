import { JobName } from '@postline/contracts';
import type { PendingWork } from '@postline/queue';

/**
 * Emails still to be sent: QUEUED, or DEQUEUED (taken, not finished). A DEQUEUED email whose dispatch
 * STARTED is safe to queue again too: the dispatcher never calls SES twice for it, it waits for the SES Send
 * event. Read through the partial index "Email_pending_idx" (id) WHERE status IN (QUEUED, DEQUEUED). The grace
 * period counts from when the email became due: a scheduled one is QUEUED at its sendAt, not at acceptance.
 */
export const pendingSends: PendingWork<typeof JobName.SendEmail> = {
  name: 'email-send',
  jobName: JobName.SendEmail,
  async page(db, before, cursor, limit) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT "id" FROM "Email"
       WHERE "status" IN ('QUEUED', 'DEQUEUED') AND GREATEST("createdAt", "sendAt") < $1
         AND ($2::uuid IS NULL OR "id" > $2::uuid)
       ORDER BY "id" LIMIT $3`,
      [before, cursor, limit],
    );
    return {
      jobs: rows.map((r) => ({ jobId: r.id, data: { emailId: r.id } })),
      cursor: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  },
  async stillPending(db, jobs) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT "id" FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" IN ('QUEUED', 'DEQUEUED')`,
      [jobs.map((j) => j.jobId)],
    );
    const pending = new Set(rows.map((r) => r.id));
    return jobs.filter((j) => pending.has(j.jobId));
  },
};
