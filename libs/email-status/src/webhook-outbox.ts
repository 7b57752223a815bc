import { createHash, randomUUID } from 'node:crypto';
import { JobName, type WebhookEventType } from '@postline/contracts';
import { insertOutbox, jobIdOf, outboxEntry } from '@postline/queue';
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

export function urlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/**
 * Creates the delivery rows (the callback log starts PENDING) and their jobs in the caller's transaction:
 * a status change and its callbacks commit together or not at all.
 */
export async function queueWebhooks(client: PoolClient, webhooks: readonly WebhookToQueue[]): Promise<void> {
  if (webhooks.length === 0) return;
  const rows = webhooks.map((w) => ({
    id: randomUUID(),
    accountId: w.accountId,
    emailId: w.emailId,
    eventId: w.eventId,
    type: w.type,
    url: w.url,
    payload: { id: w.eventId, type: w.type, timestamp: w.occurredAt.getTime(), data: w.data },
  }));
  const { rows: inserted } = await client.query<{ id: string; eventId: string; url: string }>(
    `INSERT INTO "WebhookDelivery" ("id", "accountId", "emailId", "eventId", "type", "url", "payload")
     SELECT v."id", v."accountId", v."emailId", v."eventId", v."type", v."url", v."payload"
     FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "emailId" uuid, "eventId" text, "type" text,
       "url" text, "payload" jsonb)
     ON CONFLICT ("eventId", "url") DO NOTHING
     RETURNING "id", "eventId", "url"`,
    [JSON.stringify(rows)],
  );
  await insertOutbox(
    client,
    inserted.map((d) => outboxEntry(JobName.DeliverWebhook, { deliveryId: d.id }, jobIdOf(d.eventId, urlHash(d.url)))),
  );
}
