import type { ReputationState } from '@postline/contracts';
import type { PoolClient } from 'pg';

/** An account row held with FOR NO KEY UPDATE for the rest of the transaction. */
export interface LockedAccount {
  id: string;
  name: string;
  notificationUrl: string | null;
  reputationState: ReputationState;
  /** Epoch ms of the last unblock, or null. */
  baselineMs: number | null;
}

/**
 * Locks the accounts in id order, so concurrent batches (any number of workers) never deadlock and each
 * account's evaluation sees the counts of every batch committed before it. FOR NO KEY UPDATE leaves the
 * foreign-key checks of email inserts (FOR KEY SHARE) unblocked.
 */
export async function lockAccounts(
  client: PoolClient,
  accountIds: readonly string[],
): Promise<Map<string, LockedAccount>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await client.query<LockedAccount>(
    `SELECT "id", "name", "notificationUrl", "reputationState",
       (extract(epoch FROM "reputationBaselineAt") * 1000)::float8 AS "baselineMs"
     FROM "Account" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR NO KEY UPDATE`,
    [[...accountIds].sort()],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
