import type { SuppressionReason } from '@postline/contracts';
import { type Sql, sql } from '@postline/database';

/**
 * The one module that writes "Suppression": the addresses the status recorder suppresses (hard bounces,
 * complaints, unsubscribes) and those a customer adds or removes through the API. An address is suppressed once
 * per account: the first reason stays.
 */

export interface SuppressionRow {
  id: string;
  accountId: string;
  address: string;
  reason: SuppressionReason;
  emailId: string;
  detail: string | null;
}

/** Suppressions a batch of status events caused, in one INSERT; an address already suppressed keeps its row. */
export function insertSuppressions(rows: readonly SuppressionRow[]): Sql | undefined {
  if (rows.length === 0) return undefined;
  return sql`INSERT INTO "Suppression" ("id", "accountId", "address", "reason", "emailId", "detail")
       SELECT v."id", v."accountId", v."address", v."reason"::"SuppressionReason", v."emailId", v."detail"
       FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" uuid, "accountId" uuid, "address" text, "reason" text, "emailId" uuid, "detail" text)
       ON CONFLICT ("accountId", "address") DO NOTHING`;
}

/** The row `suppressByHand` returns: the address's suppression, new or the one it already had. */
export interface StoredSuppression {
  address: string;
  reason: SuppressionReason;
  emailId: string | null;
  detail: string | null;
  createdAt: Date;
}

/**
 * Suppresses `address` (stored form: lower-cased) by hand, reason MANUAL; an address already suppressed keeps
 * its reason and detail. Returns the address's row either way.
 */
export function suppressByHand(id: string, accountId: string, address: string, detail: string | null): Sql {
  return sql`WITH added AS (
      INSERT INTO "Suppression" ("id", "accountId", "address", "reason", "detail")
      VALUES (${id}::uuid, ${accountId}::uuid, ${address}, 'MANUAL', ${detail})
      ON CONFLICT ("accountId", "address") DO NOTHING
      RETURNING "address", "reason", "emailId", "detail", "createdAt"
    )
    SELECT * FROM added
    UNION ALL
    SELECT "address", "reason", "emailId", "detail", "createdAt" FROM "Suppression"
    WHERE "accountId" = ${accountId}::uuid AND "address" = ${address} AND NOT EXISTS (SELECT 1 FROM added)`;
}

/** Lifts the suppression of `address` (stored form); the caller reads rowCount (0: it was not suppressed). */
export function unsuppress(accountId: string, address: string): Sql {
  return sql`DELETE FROM "Suppression" WHERE "accountId" = ${accountId}::uuid AND "address" = ${address}`;
}
