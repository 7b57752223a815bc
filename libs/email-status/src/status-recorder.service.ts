import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  decideTransition,
  isSesEvidence,
  type EmailStatus,
  type EmailStatusWebhookData,
  JobName,
  MILESTONE_COLUMN,
  MILESTONE_OF_STATUS,
  type Milestone,
  type ReputationEventKind,
  WebhookEventType,
} from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { insertOutbox, jobIdOf, type OutboxEntry, outboxEntry, OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { CampaignCounters } from './campaign-counters';
import { EMAIL_ROW_COLUMNS, EMAIL_ROW_FROM, type EmailRow } from './email-row';
import type { RecordResult, StatusEvent } from './status-event';
import { queueWebhooks, type WebhookToQueue } from './webhook-outbox';

const REPUTATION_KIND: Partial<Record<Milestone, ReputationEventKind>> = {
  sent: 'sent',
  hardBounced: 'hard-bounce',
  complained: 'complaint',
};

interface EmailUpdate {
  id: string;
  status: EmailStatus;
  statusReason: string | null;
  sequence: number;
  statusChanged: boolean;
  sesMessageId: string | null;
  dispatchState: string | null;
  milestones: Partial<Record<string, string>>;
}

/**
 * Every status write goes through here (DESIGN §4). One transaction per batch:
 * lock the emails, keep each new event once in EmailEvent, let `decideTransition` decide, update the email,
 * its campaign counters and the suppression list, and queue (outbox) the webhook and reputation jobs.
 */
@Injectable()
export class StatusRecorder {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  async record(events: readonly StatusEvent[]): Promise<RecordResult[]> {
    if (events.length === 0) return [];
    const results = await withTransaction(this.pool, (client) => this.recordIn(client, events));
    this.relay.nudge();
    return results;
  }

  /** For callers that must write more in the same transaction; they nudge the relay after commit. */
  async recordIn(client: PoolClient, events: readonly StatusEvent[]): Promise<RecordResult[]> {
    const emailIds = [...new Set(events.map((e) => e.emailId))].sort();
    const { rows: emailRows } = await client.query<EmailRow>(
      `SELECT ${EMAIL_ROW_COLUMNS} FROM ${EMAIL_ROW_FROM} WHERE e."id" = ANY($1::uuid[]) ORDER BY e."id" FOR UPDATE OF e`,
      [emailIds],
    );
    const emails = new Map(emailRows.map((r) => [r.id, r]));
    const known = events.filter((e) => emails.has(e.emailId));

    const eventIds = new Map<string, string>();
    const inserted = await this.insertEvents(client, known, emails, eventIds);

    const results: RecordResult[] = events
      .filter((e) => !emails.has(e.emailId))
      .map((e) => ({ sourceId: e.sourceId, emailId: e.emailId, outcome: 'unknown-email' as const }));
    const updates = new Map<string, EmailUpdate>();
    const counters = new CampaignCounters();
    const webhooks: WebhookToQueue[] = [];
    const outbox: OutboxEntry[] = [];
    const eventUpdates: { id: string; previousStatus: string; newStatus: string; sequence: number }[] = [];
    const suppressions: {
      id: string;
      accountId: string;
      address: string;
      reason: string;
      emailId: string;
      detail: string | null;
    }[] = [];

    const ordered = [...known].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    for (const event of ordered) {
      const email = emails.get(event.emailId) as EmailRow;
      // delete, not has: a source event repeated inside this batch is applied once, like one from another batch.
      if (!inserted.delete(event.sourceId)) {
        results.push({ sourceId: event.sourceId, emailId: email.id, outcome: 'duplicate', status: email.status });
        continue;
      }
      const update = updates.get(email.id) ?? this.startUpdate(email);
      updates.set(email.id, update);
      if (event.patch?.sesMessageId) update.sesMessageId = event.patch.sesMessageId;
      if (event.patch?.dispatchState) update.dispatchState = event.patch.dispatchState;

      const previous = email.status;
      const decision = decideTransition(previous, event.status);
      if (decision.apply) {
        email.status = event.status;
        email.sequence += 1;
        update.status = event.status;
        update.statusReason = event.statusReason ?? null;
        update.sequence = email.sequence;
        update.statusChanged = true;
        const eventId = eventIds.get(event.sourceId) as string;
        eventUpdates.push({ id: eventId, previousStatus: previous, newStatus: event.status, sequence: email.sequence });
        counters.moved(email.accountId, email.externalId, previous, event.status, event.occurredAt);
        for (const url of email.callbacks) {
          webhooks.push({
            accountId: email.accountId,
            emailId: email.id,
            eventId,
            type: WebhookEventType.EmailStatus,
            url,
            data: this.webhookData(email, previous, event),
            occurredAt: event.occurredAt,
          });
        }
      }

      // A milestone counts the first time it happens: when the status moved there, or when SES reports it
      // after the email already moved past it (DELIVERED arriving after OPEN).
      const milestone = MILESTONE_OF_STATUS[event.status];
      if (milestone && (decision.apply || isSesEvidence(event.status))) {
        const column = MILESTONE_COLUMN[milestone] as keyof EmailRow;
        if (email[column] === null) {
          (email as unknown as Record<string, unknown>)[column] = event.occurredAt;
          update.milestones[column] = event.occurredAt.toISOString();
          counters.reached(email.accountId, email.externalId, milestone, event.occurredAt, event.status);
          const kind = REPUTATION_KIND[milestone];
          if (kind) {
            outbox.push(
              outboxEntry(
                JobName.RecordReputationEvent,
                {
                  accountId: email.accountId,
                  emailId: email.id,
                  kind,
                  recipient: email.to,
                  occurredAt: event.occurredAt.getTime(),
                },
                jobIdOf(email.id, kind),
              ),
            );
          }
        }
      }
      if (event.status === 'OPEN') counters.engaged(email.accountId, email.externalId, 'open', event.occurredAt);
      if (event.status === 'CLICK') counters.engaged(email.accountId, email.externalId, 'click', event.occurredAt);

      if (event.suppress) {
        suppressions.push({
          id: randomUUID(),
          accountId: email.accountId,
          address: email.to.toLowerCase(),
          reason: event.suppress,
          emailId: email.id,
          detail: event.statusReason ?? null,
        });
      }
      results.push({
        sourceId: event.sourceId,
        emailId: email.id,
        outcome: decision.apply ? 'applied' : 'unchanged',
        previousStatus: previous,
        status: email.status,
      });
    }

    await this.updateEmails(client, [...updates.values()]);
    await this.updateEvents(client, eventUpdates);
    await this.insertSuppressions(client, suppressions);
    await queueWebhooks(client, webhooks);
    await insertOutbox(client, outbox);
    // Last: campaign counter rows are the hottest locks; hold them for as little of the transaction as possible.
    await counters.flush(client);
    return results;
  }

  private startUpdate(email: EmailRow): EmailUpdate {
    return {
      id: email.id,
      status: email.status,
      statusReason: null,
      sequence: email.sequence,
      statusChanged: false,
      sesMessageId: null,
      dispatchState: null,
      milestones: {},
    };
  }

  private webhookData(email: EmailRow, previous: EmailStatus, event: StatusEvent): EmailStatusWebhookData {
    return {
      id: email.id,
      status: event.status,
      previousStatus: previous,
      to: email.to,
      from: email.from,
      subject: email.subject,
      externalId: email.externalId,
      clientId: email.clientId,
      alias: email.alias,
      userName: email.userName,
      operator: email.operator,
      sequence: email.sequence,
      occurredAt: event.occurredAt.toISOString(),
      details: { ...(event.details ?? {}), ...(event.statusReason ? { reason: event.statusReason } : {}) },
    };
  }

  /** Inserts the events not seen before; returns their source ids (duplicates are skipped by the unique key). */
  private async insertEvents(
    client: PoolClient,
    events: readonly StatusEvent[],
    emails: Map<string, EmailRow>,
    eventIds: Map<string, string>,
  ): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = events.map((e) => {
      const id = randomUUID();
      eventIds.set(e.sourceId, id);
      return {
        id,
        emailId: e.emailId,
        accountId: (emails.get(e.emailId) as EmailRow).accountId,
        source: e.source,
        sourceId: e.sourceId,
        type: e.type,
        mappedStatus: e.status,
        details: { ...(e.details ?? {}), ...(e.statusReason ? { reason: e.statusReason } : {}) },
        occurredAt: e.occurredAt.toISOString(),
      };
    });
    const { rows: inserted } = await client.query<{ sourceId: string; id: string }>(
      `INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "details", "occurredAt")
       SELECT v."id", v."emailId", v."accountId", v."source", v."sourceId", v."type", v."mappedStatus"::"EmailStatus",
         v."details", v."occurredAt"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "emailId" uuid, "accountId" uuid, "source" text, "sourceId" text,
         "type" text, "mappedStatus" text, "details" jsonb, "occurredAt" timestamptz)
       ON CONFLICT ("sourceId") DO NOTHING
       RETURNING "sourceId", "id"`,
      [JSON.stringify(rows)],
    );
    for (const row of inserted) eventIds.set(row.sourceId, row.id);
    return new Set(inserted.map((r) => r.sourceId));
  }

  private async updateEmails(client: PoolClient, updates: EmailUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const rows = updates.map((u) => ({
      id: u.id,
      changed: u.statusChanged,
      status: u.status,
      statusReason: u.statusReason,
      sequence: u.sequence,
      sesMessageId: u.sesMessageId,
      dispatchState: u.dispatchState,
      ...u.milestones,
    }));
    const milestoneColumns = Object.values(MILESTONE_COLUMN);
    const setMilestones = milestoneColumns.map((c) => `"${c}" = COALESCE(e."${c}", v."${c}")`).join(', ');
    const milestoneTypes = milestoneColumns.map((c) => `"${c}" timestamptz`).join(', ');
    await client.query(
      `UPDATE "Email" e SET
         "status" = CASE WHEN v."changed" THEN v."status"::"EmailStatus" ELSE e."status" END,
         "statusReason" = CASE WHEN v."changed" THEN v."statusReason" ELSE e."statusReason" END,
         "sequence" = CASE WHEN v."changed" THEN v."sequence" ELSE e."sequence" END,
         "sesMessageId" = COALESCE(v."sesMessageId", e."sesMessageId"),
         "dispatchState" = COALESCE(v."dispatchState"::"DispatchState", e."dispatchState"),
         ${setMilestones},
         "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "changed" boolean, "status" text, "statusReason" text,
         "sequence" int, "sesMessageId" text, "dispatchState" text, ${milestoneTypes})
       WHERE e."id" = v."id"`,
      [JSON.stringify(rows)],
    );
  }

  private async updateEvents(
    client: PoolClient,
    updates: { id: string; previousStatus: string; newStatus: string; sequence: number }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    await client.query(
      `UPDATE "EmailEvent" ev SET "previousStatus" = v."previousStatus"::"EmailStatus",
         "newStatus" = v."newStatus"::"EmailStatus", "sequence" = v."sequence"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "previousStatus" text, "newStatus" text, "sequence" int)
       WHERE ev."id" = v."id"`,
      [JSON.stringify(updates)],
    );
  }

  private async insertSuppressions(
    client: PoolClient,
    rows: { id: string; accountId: string; address: string; reason: string; emailId: string; detail: string | null }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO "Suppression" ("id", "accountId", "address", "reason", "emailId", "detail")
       SELECT v."id", v."accountId", v."address", v."reason"::"SuppressionReason", v."emailId", v."detail"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "address" text, "reason" text, "emailId" uuid, "detail" text)
       ON CONFLICT ("accountId", "address") DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
