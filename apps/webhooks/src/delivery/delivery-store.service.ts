import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JOB_QUEUE, JobName } from '@postline/contracts';
import { GroupCommit, PG_POOL } from '@postline/database';
import { outboxEntry, OutboxRelay } from '@postline/queue';
import type { Pool } from 'pg';
import { deliveryJobId } from './delivery-job-id';
import type { AttemptRecord, DeliveryRow } from './delivery-row';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The worker's reads and writes of WebhookDelivery. Concurrent deliveries are grouped: one SELECT loads many
 * rows, one statement records many attempts. An attempt's outcome, its log row and the job of the next
 * attempt (through the outbox) commit together, so a crash can lose neither the result nor the retry.
 */
@Injectable()
export class DeliveryStore {
  private readonly loader = new GroupCommit<string, DeliveryRow | undefined>((ids) => this.loadMany(ids), 500, 4);
  private readonly recorder = new GroupCommit<AttemptRecord, boolean>((records) => this.recordMany(records), 500, 4);

  // Timestamps are Prisma's `timestamp(3)` in UTC; converting explicitly keeps reads and writes right
  // whatever the time zone of the session or of this process.
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  load(id: string): Promise<DeliveryRow | undefined> {
    return this.loader.submit(id);
  }

  /** Resolves false when another worker recorded this attempt first (the row moved on). */
  record(record: AttemptRecord): Promise<boolean> {
    return this.recorder.submit(record);
  }

  private async loadMany(ids: string[]): Promise<(DeliveryRow | undefined)[]> {
    // A malformed id must not fail the query for the whole batch: it simply finds nothing.
    const valid = [...new Set(ids)].filter((id) => UUID.test(id));
    if (valid.length === 0) return ids.map(() => undefined);
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT d."id", d."eventId", d."url", d."payload", d."status", d."attempts",
              d."nextAttemptAt" AT TIME ZONE 'UTC' AS "nextAttemptAt",
              a."webhookSecret", a."previousWebhookSecret",
              a."previousSecretExpiresAt" AT TIME ZONE 'UTC' AS "previousSecretExpiresAt"
       FROM "WebhookDelivery" d JOIN "Account" a ON a."id" = d."accountId"
       WHERE d."id" = ANY($1::uuid[])`,
      [valid],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  }

  /**
   * One statement per batch (atomic on its own, one round trip): update each delivery if no other worker
   * recorded this attempt first, log the attempt, and queue the next attempt's job in the outbox (the rows
   * `insertOutbox` would write) for those that will be retried.
   */
  private async recordMany(records: AttemptRecord[]): Promise<boolean[]> {
    // Two jobs of one delivery in one batch: the first one's attempt counts, the other lost the race.
    const first = new Map<string, AttemptRecord>();
    for (const r of records) if (!first.has(r.deliveryId)) first.set(r.deliveryId, r);
    const input = [...first.values()].map((r) => {
      const next =
        r.retryInMs === null
          ? undefined
          : outboxEntry(
              JobName.DeliverWebhook,
              { deliveryId: r.deliveryId },
              deliveryJobId(r.eventId, r.url, r.seenAttempts + 2),
              r.retryInMs,
            );
      return {
        deliveryId: r.deliveryId,
        seenAttempts: r.seenAttempts,
        status: r.status,
        statusCode: r.statusCode,
        latencyMs: r.latencyMs,
        error: r.error,
        nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
        attemptId: randomUUID(),
        jobQueue: next ? JOB_QUEUE[next.name] : null,
        jobName: next?.name ?? null,
        jobId: next?.jobId ?? null,
        jobData: next?.data ?? null,
        delayMs: next?.delayMs ?? null,
      };
    });
    const { rows } = await this.pool.query<{ id: string; retried: boolean }>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS v("deliveryId" uuid, "seenAttempts" int, "status" text,
           "statusCode" int, "latencyMs" int, "error" text, "nextAttemptAt" timestamptz, "attemptId" uuid,
           "jobQueue" text, "jobName" text, "jobId" text, "jobData" jsonb, "delayMs" int)
       ), updated AS (
         UPDATE "WebhookDelivery" d SET
           "status" = i."status"::"WebhookDeliveryStatus",
           "attempts" = d."attempts" + 1,
           "lastStatusCode" = i."statusCode",
           "lastError" = i."error",
           "lastLatencyMs" = i."latencyMs",
           "nextAttemptAt" = i."nextAttemptAt" AT TIME ZONE 'UTC',
           "deliveredAt" = CASE WHEN i."status" = 'SUCCEEDED' THEN now() AT TIME ZONE 'UTC' ELSE d."deliveredAt" END,
           "updatedAt" = now() AT TIME ZONE 'UTC'
         FROM input i
         WHERE d."id" = i."deliveryId" AND d."attempts" = i."seenAttempts" AND d."status" IN ('PENDING', 'FAILED')
         RETURNING d."id", d."attempts"
       ), logged AS (
         INSERT INTO "WebhookAttempt" ("id", "deliveryId", "attempt", "statusCode", "latencyMs", "error", "nextAttemptAt")
         SELECT i."attemptId", u."id", u."attempts", i."statusCode", i."latencyMs", i."error", i."nextAttemptAt" AT TIME ZONE 'UTC'
         FROM updated u JOIN input i ON i."deliveryId" = u."id"
       ), queued AS (
         INSERT INTO "OutboxEvent" ("queue", "jobName", "jobId", "payload", "delayMs")
         SELECT i."jobQueue", i."jobName", i."jobId", i."jobData", i."delayMs"
         FROM updated u JOIN input i ON i."deliveryId" = u."id"
         WHERE i."jobId" IS NOT NULL
       )
       SELECT u."id", i."jobId" IS NOT NULL AS "retried" FROM updated u JOIN input i ON i."deliveryId" = u."id"`,
      [JSON.stringify(input)],
    );
    if (rows.some((r) => r.retried)) this.relay.nudge();
    const updated = new Set(rows.map((r) => r.id));
    return records.map((r) => first.get(r.deliveryId) === r && updated.has(r.deliveryId));
  }
}
