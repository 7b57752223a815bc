import { randomUUID } from 'node:crypto';
import type { WebhookEnvelope, WebhookEventType } from '@postline/contracts';
import { type Sql, sql } from '@postline/database';
import type { PoolClient } from 'pg';

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
 * Creates the delivery rows in the caller's transaction, PENDING and due now: a status change and its
 * callbacks commit together or not at all. The row is the delivery's job as well as its log: the webhooks
 * app claims due rows straight from this table (no queue in between), so nothing else needs writing.
 */
export async function queueWebhooks(client: PoolClient, webhooks: readonly WebhookToQueue[]): Promise<void> {
  const statement = webhooksStatement(webhooks);
  if (statement) await client.query(statement);
}

/** The INSERT of `queueWebhooks`, for callers that join it to statements of their own; none when empty. */
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
