import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { GroupCommit, PG_POOL, prepared } from '@postline/database';
import type { Pool } from 'pg';
import type { AttemptRecord, DeliveryRow } from './delivery-row';
import type { ClaimLimits } from './fair-share';
import { TargetCircuits } from './target-circuits.service';

/**
 * The end of every claim, after a CTE `due` of the ids to take (`lease`: the parameter of the lease in ms): lease them and return
 * them with the account's signing secrets. The claim's commit does not wait for its WAL flush
 * (synchronous_commit off for this transaction only): a lease lost in a Postgres crash leaves the rows due, so
 * at worst another worker POSTs them again with the same webhook-id, which at-least-once allows. The outcome's
 * commit, which flushes the lease's WAL with it, stays durable.
 */
const claimed = (lease: string): string => `claimed AS (
         UPDATE "WebhookDelivery" d SET "leaseUntil" = (now() AT TIME ZONE 'UTC') + ${lease} * interval '1 millisecond'
         FROM due WHERE d."id" = due."id"
         RETURNING d."id", d."accountId", d."target", d."eventId", d."url", d."payload", d."attempts", d."createdAt"
       )
       SELECT c."id", c."accountId", c."target", c."eventId", c."url", c."payload"::text AS "body", c."attempts",
              (extract(epoch FROM c."createdAt") * 1000)::float8 AS "createdAtMs",
              a."webhookSecret", a."previousWebhookSecret",
              a."previousSecretExpiresAt" AT TIME ZONE 'UTC' AS "previousSecretExpiresAt"
       FROM claimed c JOIN "Account" a ON a."id" = c."accountId"
       WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL`;

/**
 * The worker's reads and writes of WebhookDelivery, which is the delivery queue as well as its log. A claim
 * takes many due rows in one statement (SKIP LOCKED, so any number of workers share the table) and leases
 * them (`leaseUntil`, past the attempt's deadline): a worker that dies mid-attempt leaves its rows claimable
 * again when the lease ends. Outcomes of concurrent attempts are recorded together, one statement each
 * batch, the attempt log row with them.
 */
@Injectable()
export class DeliveryStore {
  private readonly logger = new Logger(DeliveryStore.name);
  private readonly recorder = new GroupCommit<AttemptRecord, boolean>((records) => this.recordMany(records), 500, 1);

  // The claim and the record are prepared statements (`prepared`): they run hundreds of times a second,
  // and planning them each time cost Postgres about as much as running them.
  // Timestamps are Prisma's `timestamp(3)` in UTC; converting explicitly keeps reads and writes right
  // whatever the time zone of the session or of this process.
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly circuits: TargetCircuits,
  ) {}

  /**
   * Up to `limit` due deliveries, oldest due first, leased to the caller for `leaseMs`, no target or account
   * beyond its share (`share`: the most one may hold, and what this process holds already).
   */
  async claimDue(limit: number, leaseMs: number, share: ClaimLimits): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      prepared({
        // Candidates skip targets whose circuit is open and targets and accounts this process holds its share
        // of; of the rest, each target and account gets what is left of its share, oldest first. Only those
        // are locked (SKIP LOCKED: another worker's claim has them): locking every candidate cost a row lock
        // each for rows the shares then cut, several times the rows claimed when one target dominates.
        text: `WITH held AS (
         SELECT * FROM json_to_recordset($5::json) AS h("accountId" uuid, "target" text, "n" int)
       ), held_accounts AS (
         SELECT "accountId", sum("n")::int AS "n" FROM held GROUP BY "accountId"
       ), candidates AS (
         SELECT d."id", d."accountId", d."target", d."nextAttemptAt" FROM "WebhookDelivery" d
         WHERE d."status" IN ('PENDING', 'FAILED') AND d."nextAttemptAt" <= now() AT TIME ZONE 'UTC'
           AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= now() AT TIME ZONE 'UTC')
           AND NOT EXISTS (SELECT 1 FROM "WebhookTarget" t
             WHERE t."accountId" = d."accountId" AND t."target" = d."target" AND t."openUntil" IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM held h WHERE h."accountId" = d."accountId" AND h."target" = d."target" AND h."n" >= $3)
           AND NOT EXISTS (SELECT 1 FROM held_accounts h WHERE h."accountId" = d."accountId" AND h."n" >= $4)
         ORDER BY d."nextAttemptAt"
         LIMIT $1
       ), ranked AS (
         SELECT c."id", c."accountId", c."target",
           row_number() OVER (PARTITION BY c."accountId", c."target" ORDER BY c."nextAttemptAt", c."id") AS "ofTarget",
           row_number() OVER (PARTITION BY c."accountId" ORDER BY c."nextAttemptAt", c."id") AS "ofAccount"
         FROM candidates c
       ), picked AS (
         SELECT r."id" FROM ranked r
         LEFT JOIN held h ON h."accountId" = r."accountId" AND h."target" = r."target"
         LEFT JOIN held_accounts ha ON ha."accountId" = r."accountId"
         WHERE r."ofTarget" <= $3 - COALESCE(h."n", 0) AND r."ofAccount" <= $4 - COALESCE(ha."n", 0)
       ), due AS (
         SELECT d."id" FROM "WebhookDelivery" d
         WHERE d."id" IN (SELECT "id" FROM picked) AND d."status" IN ('PENDING', 'FAILED')
           AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= now() AT TIME ZONE 'UTC')
         FOR UPDATE SKIP LOCKED
       ), ${claimed('$2')}`,
        values: [limit, leaseMs, share.perTarget, share.perAccount, JSON.stringify(share.held)],
      }),
    );
    return rows;
  }

  /**
   * Half-open circuits: for each target whose circuit wait is over and that no worker is probing, this worker
   * takes the probe (`probeUntil`, a lease like a delivery's) and claims one due delivery of it. Its outcome
   * closes the circuit or opens it again for longer (TargetCircuits).
   */
  async claimProbes(leaseMs: number): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      prepared({
        text: `WITH probes AS (
         UPDATE "WebhookTarget" t SET "probeUntil" = now() + $1 * interval '1 millisecond'
         WHERE t."openUntil" <= now() AND (t."probeUntil" IS NULL OR t."probeUntil" <= now())
           AND EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."accountId" = t."accountId" AND d."target" = t."target"
             AND d."status" IN ('PENDING', 'FAILED') AND d."nextAttemptAt" <= now() AT TIME ZONE 'UTC')
         RETURNING t."accountId", t."target"
       ), due AS (
         SELECT x."id" FROM probes p CROSS JOIN LATERAL (
           SELECT d."id" FROM "WebhookDelivery" d
           WHERE d."accountId" = p."accountId" AND d."target" = p."target"
             AND d."status" IN ('PENDING', 'FAILED') AND d."nextAttemptAt" <= now() AT TIME ZONE 'UTC'
             AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= now() AT TIME ZONE 'UTC')
           ORDER BY d."nextAttemptAt" LIMIT 1 FOR UPDATE SKIP LOCKED
         ) x
       ), ${claimed('$1')}`,
        values: [leaseMs],
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
        text: `WITH input AS (
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
        values: [JSON.stringify(input)],
      }),
    );
    const updated = new Set(rows.map((r) => r.id));
    const applied = records.map((r) => first.get(r.deliveryId) === r && updated.has(r.deliveryId));
    // The circuits follow the attempts that counted; they only steer claims, so failing to note them loses none.
    await this.circuits.note(records.filter((_, i) => applied[i])).catch((error: unknown) => {
      this.logger.warn(
        `noting webhook target health failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return applied;
  }
}
