import type { Client } from 'pg';

const HOURS = 7 * 24;
const BASE = '2026-03-01T00:00:00Z';

/**
 * One email per i, its life decided by i % 100: 2 % refused at intake (BAD_TO / BLACKLISTED), 1 % EXHAUSTED,
 * 2 % hard bounces, 3 % soft bounce then delivery, 32 % delivered, 30 % opened (twice), 15 % clicked,
 * 2 % unsubscribed, 1 % complained, 12 % sent without news yet. Spread over a week of hours. `externalId` is
 * a SQL expression of i ($3 names the caller's one campaign).
 */
function emailsSql(first: number, last: number, externalId: string): string {
  return `
  INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "subject", "text", "externalId", "status", "sequence",
    "createdAt", "updatedAt", "sentAt", "deliveredAt", "openedAt", "clickedAt", "softBouncedAt", "hardBouncedAt",
    "complainedAt", "unsubscribedAt", "rejectedAt")
  SELECT gen_random_uuid(), $1, $2, 'r' || i || '@example.test', 'news@elipackage.test', 'Spring', 'Spring sale', ${externalId},
    (CASE WHEN k = 0 THEN 'BAD_TO' WHEN k = 1 THEN 'BLACKLISTED' WHEN k = 2 THEN 'EXHAUSTED'
      WHEN k < 5 THEN 'BOUNCED_PERMANENT' WHEN k < 40 THEN 'DELIVERED' WHEN k < 70 THEN 'OPEN' WHEN k < 85 THEN 'CLICK'
      WHEN k < 87 THEN 'UNSUBSCRIBED' WHEN k = 87 THEN 'COMPLAINED' ELSE 'SENT' END)::"EmailStatus",
    2, c, c,
    CASE WHEN k >= 3 THEN c + interval '1 minute' END,
    CASE WHEN k >= 5 AND k < 88 THEN c + interval '10 minutes' END,
    CASE WHEN k >= 40 AND k < 87 THEN c + interval '1 hour' END,
    CASE WHEN k >= 70 AND k < 85 THEN c + interval '65 minutes' END,
    CASE WHEN k >= 5 AND k < 8 THEN c + interval '3 minutes' END,
    CASE WHEN k IN (3, 4) THEN c + interval '2 minutes' END,
    CASE WHEN k = 87 THEN c + interval '1 hour' END,
    CASE WHEN k IN (85, 86) THEN c + interval '2 hours' END,
    CASE WHEN k < 2 THEN c WHEN k = 2 THEN c + interval '5 minutes' END
  FROM generate_series(${first}, ${last}) AS i,
    LATERAL (SELECT i % 100 AS k, '${BASE}'::timestamp + (i % ${HOURS}) * interval '1 hour' + ((i / ${HOURS}) % 60) * interval '1 minute' AS c) AS v`;
}

/** Two events per email (accepted, then what became of it), as the recorder leaves them: written from the rows just inserted. */
function withEventsSql(emailsInsert: string): string {
  return `
  WITH e AS (${emailsInsert} RETURNING "id", "accountId", "createdAt", "status")
  INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "previousStatus",
    "newStatus", "sequence", "occurredAt")
  SELECT gen_random_uuid(), e."id", e."accountId", 'GATEWAY', 'accepted:' || e."id", 'Accepted', 'QUEUED'::"EmailStatus",
    NULL::"EmailStatus", 'QUEUED'::"EmailStatus", 1, e."createdAt"
  FROM e
  UNION ALL
  SELECT gen_random_uuid(), e."id", e."accountId", 'SES', 'ses:' || e."id", 'Delivery', e."status", 'QUEUED'::"EmailStatus",
    e."status", 2, e."createdAt" + interval '10 minutes'
  FROM e`;
}

export interface SyntheticEmails {
  /** The first i (emails are numbered across calls, so addresses stay distinct). */
  first: number;
  count: number;
  /** One campaign for all (`$3` is it), or emails spread over 100 campaigns `campaign-<i % 100>` when absent. */
  externalId?: string;
  /** Also write two EmailEvent rows per email. */
  events?: boolean;
}

/**
 * A bulk load of emails of one account straight into Postgres (generate_series): the secondary indexes of
 * Email are dropped and built once afterwards instead of row by row, and the table is vacuumed so autovacuum
 * does not run in the middle of a measurement. Returns the seconds it took.
 */
export async function insertSyntheticEmails(
  db: Client,
  account: { accountId: string; operatorId: string },
  emails: SyntheticEmails,
): Promise<number> {
  const started = Date.now();
  const { rows: indexes } = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes WHERE tablename = 'Email' AND indexname <> 'Email_pkey'`,
  );
  for (const index of indexes) await db.query(`DROP INDEX "${index.name}"`);
  const externalId = emails.externalId === undefined ? `'campaign-' || (i % 100)` : '$3';
  const params = [account.accountId, account.operatorId, ...(emails.externalId === undefined ? [] : [emails.externalId])];
  // Chunks keep each statement's memory and WAL bounded.
  const chunk = 250_000;
  const end = emails.first + emails.count;
  for (let from = emails.first; from < end; from += chunk) {
    const last = Math.min(from + chunk, end) - 1;
    const insert = emailsSql(from, last, externalId);
    await db.query(emails.events ? withEventsSql(insert) : insert, params);
  }
  await db.query(`SET maintenance_work_mem = '256MB'`);
  for (const index of indexes) await db.query(index.definition);
  await db.query(`VACUUM (ANALYZE) "Email"`);
  if (emails.events) await db.query(`VACUUM (ANALYZE) "EmailEvent"`);
  return (Date.now() - started) / 1000;
}
