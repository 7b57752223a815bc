import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type EmailStatus,
  type EmailStatusWebhookData,
  isTerminalBeforeSend,
  JobName,
  WebhookEventType,
} from '@postline/contracts';
import { PG_POOL, sql, withStatements, withTransaction } from '@postline/database';
import { outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { CampaignCounters } from './campaign-counters';
import { type WebhookToQueue, webhooksStatement } from './webhook-deliveries';

/** An accepted email as the gateway stores it: QUEUED, SCHEDULED, or a terminal status decided at acceptance. */
export interface NewEmail {
  id: string;
  accountId: string;
  operatorId: string;
  userName: string;
  operator: string;
  to: string;
  from: string;
  alias: string | null;
  subject: string;
  text: string;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  unsubscribeMsg: string;
  status: EmailStatus;
  statusReason: string | null;
  createdAt: Date;
  /** When a SCHEDULED email is due; the due pass (ScheduledEmails) queues it then. */
  sendAt?: Date | null;
  /** Personalization, rendered by the sender: the template version used, or inline placeholders. */
  templateId?: string | null;
  templateVersion?: number | null;
  variables?: Record<string, unknown> | null;
  /** An inline HTML body beside `text`. */
  html?: string | null;
  /** Message options (README "Message options"); absent means none. */
  options?: NewEmailOptions;
}

/** The message options an email is stored with; attachments are stored apart by the gateway. */
export interface NewEmailOptions {
  fromName: string | null;
  cc: string[];
  bcc: string[];
  replyTo: string[];
  headers: Record<string, string> | null;
  tags: { name: string; value: string }[] | null;
  tracking: { opens?: boolean; clicks?: boolean } | null;
  /** cc/bcc recipients left out at acceptance (suppressed), with why. */
  droppedRecipients: { address: string; field: 'cc' | 'bcc'; reason: string }[] | null;
  attachmentCount: number;
}

/**
 * Stores accepted emails in one transaction per batch with multi-row statements: the emails, their first
 * history event, campaign counters, and the outbox rows (send jobs, or callbacks for emails refused at
 * acceptance). The send job reaches Redis through the outbox relay, so an email accepted while Redis is
 * down is sent once it is back.
 */
@Injectable()
export class EmailIntake {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  async store(emails: readonly NewEmail[]): Promise<void> {
    if (emails.length === 0) return;
    await withTransaction(this.pool, (client) => this.storeIn(client, emails));
    this.relay.nudge();
  }

  async storeIn(client: PoolClient, emails: readonly NewEmail[]): Promise<void> {
    // The emails of a batch usually share one acceptance instant: format it once.
    let lastAt: Date | undefined;
    let lastIso = '';
    const iso = (at: Date) => (at === lastAt ? lastIso : ((lastAt = at), (lastIso = at.toISOString())));
    // Only the columns, so that neither side handles keys nobody reads.
    const rows = emails.map((e) => ({
      id: e.id,
      accountId: e.accountId,
      operatorId: e.operatorId,
      to: e.to,
      from: e.from,
      alias: e.alias,
      subject: e.subject,
      text: e.text,
      externalId: e.externalId,
      clientId: e.clientId,
      callbacks: e.callbacks,
      unsubscribeMsg: e.unsubscribeMsg,
      status: e.status,
      statusReason: e.statusReason,
      createdAt: iso(e.createdAt),
      rejectedAt: isTerminalBeforeSend(e.status) ? iso(e.createdAt) : undefined,
      sendAt: e.sendAt ? e.sendAt.toISOString() : undefined,
      templateId: e.templateId ?? undefined,
      templateVersion: e.templateVersion ?? undefined,
      variables: e.variables ?? undefined,
      html: e.html ?? undefined,
      ...e.options,
    }));
    const counters = new CampaignCounters();
    const webhooks: WebhookToQueue[] = [];
    // The accepted events get their ids in Postgres, but for emails whose callbacks name them: those refused
    // at acceptance (a terminal status is their first change) that have callbacks.
    const eventIds: Record<string, string> = {};
    for (const e of emails) {
      counters.created(e.accountId, e.externalId, e.status, e.createdAt);
      if (!isTerminalBeforeSend(e.status)) continue;
      counters.reached(e.accountId, e.externalId, 'rejected', e.createdAt, e.status);
      if (e.callbacks.length === 0) continue;
      const eventId = (eventIds[e.id] = randomUUID());
      for (const url of e.callbacks) {
        webhooks.push({
          accountId: e.accountId,
          emailId: e.id,
          eventId,
          type: WebhookEventType.EmailStatus,
          url,
          data: this.webhookData(e),
          occurredAt: e.createdAt,
        });
      }
    }
    const deliveries = webhooksStatement(webhooks);

    const sends = emails
      .filter((e) => e.status === 'QUEUED')
      .map((e) => outboxEntry(JobName.SendEmail, { emailId: e.id }, e.id));
    // One round trip for the whole batch: emails, their first history event (read back from the emails' own
    // insert), callbacks, send jobs and counters. The counter rows are the hottest locks of the system; inside
    // one statement they are held only briefly.
    const statement = withStatements([
      sql`INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId",
           "clientId", "callbacks", "unsubscribeMsg", "status", "statusReason", "sequence", "createdAt", "updatedAt", "rejectedAt",
           "templateId", "templateVersion", "variables", "html", "sendAt",
           "fromName", "cc", "bcc", "replyTo", "headers", "tags", "tracking", "droppedRecipients", "attachmentCount")
         SELECT v."id", v."accountId", v."operatorId", v."to", v."from", v."alias", v."subject", v."text", v."externalId",
           v."clientId", ARRAY(SELECT jsonb_array_elements_text(v."callbacks")), v."unsubscribeMsg", v."status"::"EmailStatus",
           v."statusReason", 1, v."createdAt", v."createdAt", v."rejectedAt", v."templateId", v."templateVersion", v."variables", v."html",
           v."sendAt",
           v."fromName", COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."cc")), '{}'),
           COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."bcc")), '{}'),
           COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."replyTo")), '{}'), v."headers", v."tags", v."tracking",
           v."droppedRecipients", COALESCE(v."attachmentCount", 0)
         FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" uuid, "accountId" uuid, "operatorId" uuid, "to" text, "from" text,
           "alias" text, "subject" text, "text" text, "externalId" text, "clientId" text, "callbacks" jsonb,
           "unsubscribeMsg" text, "status" text, "statusReason" text, "createdAt" timestamptz, "rejectedAt" timestamptz,
           "templateId" uuid, "templateVersion" int, "variables" jsonb, "html" text, "sendAt" timestamptz,
           "fromName" text, "cc" jsonb, "bcc" jsonb, "replyTo" jsonb, "headers" jsonb, "tags" jsonb, "tracking" jsonb,
           "droppedRecipients" jsonb, "attachmentCount" int)
         RETURNING "id", "accountId", "status", "statusReason", "createdAt"`.as('accepted'),
      sql`INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "newStatus",
           "sequence", "details", "occurredAt")
         SELECT COALESCE((${JSON.stringify(eventIds)}::jsonb ->> a."id"::text)::uuid, gen_random_uuid()), a."id", a."accountId", 'GATEWAY',
           a."id"::text || ':accepted', 'Accepted', a."status", a."status", 1,
           CASE WHEN a."statusReason" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reason', a."statusReason") END,
           a."createdAt"
         FROM accepted a`,
      ...(deliveries ? [deliveries] : []),
      ...(sends.length > 0 ? [outboxStatement(sends)] : []),
      ...counters.statements(),
    ]);
    await client.query(statement);
  }

  private webhookData(e: NewEmail): EmailStatusWebhookData {
    return {
      id: e.id,
      status: e.status,
      previousStatus: null,
      to: e.to,
      from: e.from,
      subject: e.subject,
      externalId: e.externalId,
      clientId: e.clientId,
      alias: e.alias,
      userName: e.userName,
      operator: e.operator,
      sequence: 1,
      occurredAt: e.createdAt.toISOString(),
      details: e.statusReason ? { reason: e.statusReason } : {},
      ...(e.options?.tags ? { tags: e.options.tags } : {}),
    };
  }
}
