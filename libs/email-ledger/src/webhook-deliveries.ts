import { randomUUID } from 'node:crypto';
import type { WebhookEnvelope, WebhookEventType } from '@postline/contracts';
import { prepared, type Sql, sql } from '@postline/database';

/**
 * The one module that writes "WebhookDelivery", which is the delivery queue as well as its log: the fan-out's
 * inserts, the webhooks app's claims, leases and attempt outcomes, and an operator's replay. Timestamps are
 * Prisma's `timestamp(3)` in UTC; converting explicitly keeps reads and writes right whatever the time zone of
 * the session or of the process. The claim and the record are prepared statements (`prepared`): they run
 * hundreds of times a second, and planning them each time cost Postgres about as much as running them.
 */

export interface WebhookToQueue {
  accountId: string;
  emailId: string | null;
  /** The event id: `webhook-id` on every attempt. */
  eventId: string;
  type: WebhookEventType;
  url: string;
  /** The envelope's `data`. */
  data: unknown;
  occurredAt: Date;
}

/**
 * The body every attempt of the delivery POSTs, byte for byte: the envelope with its fields in the
 * documented order. It is stored as this text (a `json` column keeps it as given), so the webhooks app
 * signs and sends it without parsing or serialising it again.
 */
export function webhookBody(webhook: Pick<WebhookToQueue, 'eventId' | 'type' | 'data' | 'occurredAt'>): string {
  const envelope: WebhookEnvelope = {
    id: webhook.eventId,
    type: webhook.type,
    timestamp: webhook.occurredAt.getTime(),
    data: webhook.data,
  };
  return JSON.stringify(envelope);
}

/**
 * The INSERT of the delivery rows, PENDING and due now, run in the caller's transaction (a status change and its
 * callbacks commit together or not at all); none when there are none. The row is the delivery's job as well as
 * its log: the webhooks app claims due rows straight from this table (no queue in between).
 */
export function webhooksStatement(webhooks: readonly WebhookToQueue[]): Sql | undefined {
  if (webhooks.length === 0) return undefined;
  // One event goes to each of its URLs with the same body: serialise it once per event.
  const bodies = new Map<string, string>();
  const bodyOf = (w: WebhookToQueue): string => {
    let body = bodies.get(w.eventId);
    if (body === undefined) bodies.set(w.eventId, (body = webhookBody(w)));
    return body;
  };
  const rows = webhooks.map((w) => ({
    id: randomUUID(),
    accountId: w.accountId,
    emailId: w.emailId,
    eventId: w.eventId,
    type: w.type,
    url: w.url,
    payload: bodyOf(w),
  }));
  return sql`INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload", "nextAttemptAt")
     SELECT v."id", v."accountId", v."emailId", v."eventId", v."type", v."url", v."payload"::json, now() AT TIME ZONE 'UTC'
     FROM json_to_recordset(${JSON.stringify(rows)}::json) AS v("id" uuid, "accountId" uuid, "emailId" uuid, "eventId" text, "type" text,
       "url" text, "payload" text)
     ON CONFLICT ("eventId", "url") DO NOTHING`;
}

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

/** What a claim may take: the most one target and one account may hold, and what the claiming process holds. */
export interface DeliveryShare {
  perTarget: number;
  perAccount: number;
  held: readonly { accountId: string; target: string; n: number }[];
}

/**
 * Up to `limit` due deliveries, oldest due first, leased for `leaseMs`, no target or account beyond its share;
 * returns them with the account's signing secrets.
 */
export function claimDueDeliveries(limit: number, leaseMs: number, share: DeliveryShare) {
  return prepared({
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
  });
}

/**
 * Half-open circuits: for each target whose circuit wait is over and that no worker is probing, takes the probe
 * (`probeUntil`, a lease like a delivery's) and claims one due delivery of it.
 */
export function claimProbeDeliveries(leaseMs: number) {
  return prepared({
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
  });
}

/** Ends the lease of rows claimed but never attempted, so that any worker takes them now. */
export function releaseDeliveries(ids: readonly string[]): Sql {
  return sql`UPDATE "WebhookDelivery" SET "leaseUntil" = NULL WHERE "id" = ANY(${ids}::uuid[])`;
}

/** One attempt's outcome, as `recordDeliveryAttempts` writes it. */
export interface DeliveryAttemptInput {
  deliveryId: string;
  seenAttempts: number;
  status: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  attemptId: string;
}

/**
 * Updates each delivery if no other worker recorded this attempt first, and logs the attempt (WebhookAttempt),
 * in one statement; returns the ids updated.
 */
export function recordDeliveryAttempts(input: readonly DeliveryAttemptInput[]) {
  return prepared({
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
  });
}

/** Makes a delivery of the account due now, whatever its state (an operator's replay). */
export function replayDelivery(accountId: string, deliveryId: string): Sql {
  return sql`UPDATE "WebhookDelivery" SET "status" = 'PENDING', "nextAttemptAt" = now() AT TIME ZONE 'UTC', "leaseUntil" = NULL,
         "updatedAt" = now() AT TIME ZONE 'UTC'
       WHERE "id" = ${deliveryId} AND "accountId" = ${accountId}`;
}
