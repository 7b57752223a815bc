import { randomUUID } from 'node:crypto';
import { WebhookEventType } from '@postline/contracts';
import { type Sql, withTransaction } from '@postline/database';
import { webhooksStatement } from '@postline/email-ledger';
import { testPool } from '@postline/testing';

export interface QueuedDelivery {
  deliveryId: string;
  eventId: string;
  url: string;
}

/** Queues email.status callbacks the way the status recorder does (rows + outbox jobs in one transaction). */
export async function queueCallbacks(
  accountId: string,
  urls: string[],
  opts: { emailId?: string | null; type?: WebhookEventType; data?: Record<string, unknown> } = {},
): Promise<QueuedDelivery[]> {
  const eventId = randomUUID();
  const emailId = opts.emailId === undefined ? randomUUID() : opts.emailId;
  const data = opts.data ?? {
    id: emailId,
    status: 'DELIVERED',
    previousStatus: 'SENT',
    to: 'jane@example.com',
    sequence: 3,
  };
  await withTransaction(testPool(), (client) =>
    client.query(
      webhooksStatement(
        urls.map((url) => ({
          accountId,
          emailId,
          eventId,
          type: opts.type ?? WebhookEventType.EmailStatus,
          url,
          data,
          occurredAt: new Date(),
        })),
      ) as Sql,
    ),
  );
  const { rows } = await testPool().query<{ id: string; url: string }>(
    `SELECT "id", "url" FROM "WebhookDelivery" WHERE "eventId" = $1`,
    [eventId],
  );
  return urls.map((url) => ({ deliveryId: (rows.find((r) => r.url === url) as { id: string }).id, eventId, url }));
}

/** How many of the deliveries are in `status`. */
export async function countInStatus(deliveries: QueuedDelivery[], status: string): Promise<number> {
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "id" = ANY($1::uuid[]) AND "status" = $2::"WebhookDeliveryStatus"`,
    [deliveries.map((d) => d.deliveryId), status],
  );
  return rows[0].n;
}

export interface DeliveryState {
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

export async function deliveryState(deliveryId: string): Promise<DeliveryState> {
  const { rows } = await testPool().query<DeliveryState>(
    `SELECT "status", "attempts", "lastStatusCode", "lastError", "lastLatencyMs",
            "nextAttemptAt" AT TIME ZONE 'UTC' AS "nextAttemptAt", "deliveredAt" AT TIME ZONE 'UTC' AS "deliveredAt"
     FROM "WebhookDelivery" WHERE "id" = $1`,
    [deliveryId],
  );
  return rows[0];
}

export async function attemptLog(
  deliveryId: string,
): Promise<
  { attempt: number; statusCode: number | null; error: string | null; latencyMs: number | null; createdAt: Date }[]
> {
  const { rows } = await testPool().query(
    `SELECT "attempt", "statusCode", "error", "latencyMs", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"
     FROM "WebhookAttempt" WHERE "deliveryId" = $1 ORDER BY "attempt"`,
    [deliveryId],
  );
  return rows;
}
