import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PG_POOL, prepared } from '@postline/database';
import type { Pool } from 'pg';
import type { AttemptRecord, DeliveryRow } from './delivery-row';

/**
 * The worker's reads and writes of WebhookDelivery, which is the delivery queue as well as its log. A claim
 * takes many due rows in one statement (SKIP LOCKED, so any number of workers share the table) and leases
 * them (`leaseUntil`, past the attempt's deadline): a worker that dies mid-attempt leaves its rows claimable
 * again when the lease ends. Outcomes of concurrent attempts are recorded together, one statement each
 * batch, the attempt log row with them.
 */
@Injectable()
export class DeliveryStore {
  private readonly recorder = new GroupCommit<AttemptRecord, boolean>((records) => this.recordMany(records), 500, 1);

  // The claim and the record are prepared statements (`prepared`): they run hundreds of times a second,
  // and planning them each time cost Postgres about as much as running them.
  // Timestamps are Prisma's `timestamp(3)` in UTC; converting explicitly keeps reads and writes right
  // whatever the time zone of the session or of this process.
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Up to `limit` due deliveries, oldest due first, leased to the caller for `leaseMs`. The claim's commit
   * does not wait for its WAL flush (synchronous_commit off for this transaction only): a lease lost in a
   * Postgres crash leaves the rows due, so at worst another worker POSTs them again with the same webhook-id,
   * which at-least-once allows. The outcome's commit, which flushes the lease's WAL with it, stays durable.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      prepared({
        sql: `WITH due AS (
         SELECT "id" FROM "WebhookDelivery"
         WHERE "status" IN ('PENDING', 'FAILED') AND "nextAttemptAt" <= now() AT TIME ZONE 'UTC'
           AND ("leaseUntil" IS NULL OR "leaseUntil" <= now() AT TIME ZONE 'UTC')
         ORDER BY "nextAttemptAt"
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "WebhookDelivery" d SET "leaseUntil" = (now() AT TIME ZONE 'UTC') + $2 * interval '1 millisecond'
         FROM due WHERE d."id" = due."id"
         RETURNING d."id", d."accountId", d."eventId", d."url", d."payload", d."attempts", d."createdAt"
       )
       SELECT c."id", c."eventId", c."url", c."payload"::text AS "body", c."attempts",
         (extract(epoch FROM c."createdAt") * 1000)::float8 AS "createdAtMs",
              a."webhookSecret", a."previousWebhookSecret",
              a."previousSecretExpiresAt" AT TIME ZONE 'UTC' AS "previousSecretExpiresAt"
       FROM claimed c JOIN "Account" a ON a."id" = c."accountId"
       WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL`,
        params: [limit, leaseMs],
      }),
    );
    return rows;
  }

  /** Ends the lease of rows claimed but never attempted (a worker stopping), so that any worker takes them now. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(`UPDATE "WebhookDelivery" SET "leaseUntil" = NULL WHERE "id" = ANY($1::uuid[])`, [ids]);
  }

  /** Resolves false when another worker recorded this attempt first (the row moved on). */
  record(record: AttemptRecord): Promise<boolean> {
    return this.recorder.submit(record);
  }

  /**
   * One statement per batch (atomic on its own, one round trip): update each delivery if no other worker
   * recorded this attempt first, and log the attempt. A retry needs nothing more than its due time.
   */
  private async recordMany(records: AttemptRecord[]): Promise<boolean[]> {
    // Two outcomes of one delivery in one batch: the first one's attempt counts, the other lost the race.
    const first = new Map<string, AttemptRecord>();
    for (const r of records) if (!first.has(r.deliveryId)) first.set(r.deliveryId, r);
    const input = [...first.values()].map((r) => ({
      deliveryId: r.deliveryId,
      seenAttempts: r.seenAttempts,
      status: r.status,
      statusCode: r.statusCode,
      latencyMs: r.latencyMs,
      error: r.error,
      nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
      attemptId: randomUUID(),
    }));
    const { rows } = await this.pool.query<{ id: string }>(
      prepared({
        sql: `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS v("deliveryId" uuid, "seenAttempts" int, "status" text,
           "statusCode" int, "latencyMs" int, "error" text, "nextAttemptAt" timestamptz, "attemptId" uuid)
       ), updated AS (
         UPDATE "WebhookDelivery" d SET
           "status" = i."status"::"WebhookDeliveryStatus",
           "attempts" = d."attempts" + 1,
           "lastStatusCode" = i."statusCode",
           "lastError" = i."error",
           "lastLatencyMs" = i."latencyMs",
           "nextAttemptAt" = i."nextAttemptAt" AT TIME ZONE 'UTC',
           "leaseUntil" = NULL,
           "deliveredAt" = CASE WHEN i."status" = 'SUCCEEDED' THEN now() AT TIME ZONE 'UTC' ELSE d."deliveredAt" END,
           "updatedAt" = now() AT TIME ZONE 'UTC'
         FROM input i
         WHERE d."id" = i."deliveryId" AND d."attempts" = i."seenAttempts" AND d."status" IN ('PENDING', 'FAILED')
         RETURNING d."id", d."attempts"
       ), logged AS (
         INSERT INTO "WebhookAttempt" ("id", "deliveryId", "attempt", "statusCode", "latencyMs", "error", "nextAttemptAt")
         SELECT i."attemptId", u."id", u."attempts", i."statusCode", i."latencyMs", i."error", i."nextAttemptAt" AT TIME ZONE 'UTC'
         FROM updated u JOIN input i ON i."deliveryId" = u."id"
       )
       SELECT "id" FROM updated`,
        params: [JSON.stringify(input)],
      }),
    );
    const updated = new Set(rows.map((r) => r.id));
    return records.map((r) => first.get(r.deliveryId) === r && updated.has(r.deliveryId));
  }
}
