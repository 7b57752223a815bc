import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EmailStatusWebhookData, isTerminalBeforeSend, JobName, WebhookEventType } from '@postline/contracts';
import { PG_POOL, type Sql, withStatements, withTransaction } from '@postline/database';
import { outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool } from 'pg';
import { CampaignCounters } from './campaign-counters';
import { insertAcceptedEvents } from './email-event-table';
import { insertEmails, type NewEmail } from './email-table';
import { type WebhookToQueue, webhooksStatement } from './webhook-deliveries';

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
    await withTransaction(this.pool, (client) => client.query(this.statement(emails)));
    this.relay.nudge();
  }

  /** The batch as one statement, for the caller's transaction (`store` runs it in one of its own). */
  statement(emails: readonly NewEmail[]): Sql {
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

    const sends = outboxStatement(
      emails.filter((e) => e.status === 'QUEUED').map((e) => outboxEntry(JobName.SendEmail, { emailId: e.id }, e.id)),
    );
    // One round trip for the whole batch: emails, their first history event (read back from the emails' own
    // insert), callbacks, send jobs and counters. The counter rows are the hottest locks of the system; inside
    // one statement they are held only briefly.
    return withStatements([
      insertEmails(emails).as('accepted'),
      insertAcceptedEvents('accepted', eventIds),
      ...(deliveries ? [deliveries] : []),
      ...(sends ? [sends] : []),
      ...counters.statements(),
    ]);
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
