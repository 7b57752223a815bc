import type { ReputationCounts } from '@postline/contracts';
import type { Pool, PoolClient } from 'pg';

export const NO_COUNTS: ReputationCounts = Object.freeze({ sent: 0, hardBounces: 0, complaints: 0 });

/**
 * Window totals per account: the buckets from `windowStart` on, and, for an account unblocked by an
 * operator, only those from its baseline on. Accounts with nothing in the window are absent from the map.
 */
export async function windowTotals(
  db: Pool | PoolClient,
  accountIds: readonly string[],
  windowStart: Date,
): Promise<Map<string, ReputationCounts>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await db.query<{ accountId: string; sent: string; hardBounces: string; complaints: string }>(
    `SELECT b."accountId", sum(b."sent")::bigint AS "sent", sum(b."hardBounces")::bigint AS "hardBounces",
       sum(b."complaints")::bigint AS "complaints"
     FROM "ReputationBucket" b JOIN "Account" a ON a."id" = b."accountId"
     WHERE b."accountId" = ANY($1::uuid[]) AND b."bucketStart" >= $2::timestamp
       AND (a."reputationBaselineAt" IS NULL OR b."bucketStart" >= a."reputationBaselineAt")
     GROUP BY b."accountId"`,
    [accountIds, windowStart.toISOString()],
  );
  return new Map(
    rows.map((r) => [
      r.accountId,
      { sent: Number(r.sent), hardBounces: Number(r.hardBounces), complaints: Number(r.complaints) },
    ]),
  );
}
