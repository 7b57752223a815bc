import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  decideTransition,
  type EmailStatus,
  type EmailStatusWebhookData,
  isSesEvidence,
  JobName,
  type Milestone,
  MILESTONE_COLUMN,
  MILESTONE_OF_STATUS,
  type RecordReputationEventJob,
  type RecordResult,
  type ReputationEventKind,
  type StatusEvent,
  WebhookEventType,
} from '@postline/contracts';
import { oneStatement, PG_POOL, prepared, type Sql, sql, withTransaction } from '@postline/database';
import { jobIdOf, type OutboxEntry, outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { CampaignCounters } from './campaign-counters';
import { type EmailRow, LockedEmails, type VersionedEmailRow } from './email-row';
import { type EmailUpdate, updateEmails } from './email-table';
import { isRefusedUnchangedRowsWrite, unchangedRowsWrite } from './unchanged-rows-write';
import { deleteEvents, eventsStatement, type EventRow } from './email-event-table';
import { reputationPendingStatement } from './reputation-pending';
import { extraRecipientOutcome, extraRecipientSends } from './extra-recipients';
import { insertSuppressions, type SuppressionRow } from './suppression-table';
import { type WebhookToQueue, webhooksStatement } from './webhook-deliveries';

const REPUTATION_KIND: Partial<Record<Milestone, ReputationEventKind>> = {
  sent: 'sent',
  hardBounced: 'hard-bounce',
  complained: 'complaint',
};

/** Everything one batch of events changes. */
interface Plan {
  results: RecordResult[];
  newEvents: EventRow[];
  updates: Map<string, EmailUpdate>;
  counters: CampaignCounters;
  webhooks: WebhookToQueue[];
  outbox: OutboxEntry[];
  /** The reputation job, also kept in Postgres until counted (a job Redis lost is queued again). */
  reputation?: Sql;
  suppressions: SuppressionRow[];
}

/**
 * An event's details as stored and as sent to webhooks: SES's details plus the reason, when there is one, and the
 * cc/bcc recipient the event is about (the history shows whose it is; reports by tag leave such opens and clicks
 * out, as the counters do).
 */
function eventDetails(event: StatusEvent): Record<string, unknown> {
  return {
    ...(event.details ?? {}),
    ...(event.statusReason ? { reason: event.statusReason } : {}),
    ...(event.recipient ? { recipient: event.recipient } : {}),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;
}

/**
 * Every status write goes through here (DESIGN §4). One transaction per batch:
 * lock the emails, keep each new event once in EmailEvent, let `decideTransition` decide, update the email,
 * its campaign counters and the suppression list, write the webhook deliveries (WebhookDelivery rows, claimed
 * by the webhooks app) and queue the reputation job (outbox).
 * Three statements in the common case: the lock, the events (written with what they changed), and the rest.
 * The one exception, for the sender's journal round only: `recordIfUnchanged` (see `unchangedRowsWrite`).
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

  /**
   * For callers that must write more in the same transaction; they nudge the relay after commit. `locked` holds
   * rows the caller already read and locked in this transaction (they are not read again, nor changed); the
   * other emails of `events` are locked here.
   */
  async recordIn(client: PoolClient, events: readonly StatusEvent[], locked?: LockedEmails): Promise<RecordResult[]> {
    if (locked && locked.client !== client) throw new Error('recordIn: the emails were locked by another transaction');
    const emails = new Map<string, EmailRow>();
    const toLock: string[] = [];
    for (const id of new Set(events.map((e) => e.emailId))) {
      const row = locked?.byId.get(id);
      if (row) emails.set(id, row);
      else toLock.push(id);
    }
    if (toLock.length > 0) {
      const { rows } = await LockedEmails.lock(client, {
        filter: sql`WHERE e."id" = ANY(${toLock.sort()}::uuid[]) ORDER BY e."id"`,
      });
      for (const row of rows) emails.set(row.id, row);
    }
    const { known, unknown } = splitKnown(events, emails);

    // Events are written once, already knowing what they changed: the plan assumes every event is new, and
    // only when the insert finds some recorded before (a redelivery) are its rows taken back and the plan
    // made again without them. The email locks keep the second plan valid.
    const recorded = new Set<string>();
    for (;;) {
      const plan = this.plan(known, emails, recorded);
      const inserted = await this.insertEvents(client, plan.newEvents);
      if (inserted.size === plan.newEvents.length) {
        await this.writePlan(client, plan);
        return [...unknown, ...plan.results];
      }
      for (const row of plan.newEvents) if (!inserted.has(row.sourceId)) recorded.add(row.sourceId);
      await client.query(deleteEvents(plan.newEvents.filter((row) => inserted.has(row.sourceId)).map((row) => row.id)));
    }
  }

  /**
   * Records `events` in ONE statement, with no transaction or lock around it, planned from `rows` that the
   * caller read without a lock (with their versions). The statement writes only if none of those emails
   * changed since and none of the events was recorded before; otherwise it is undone as a whole and this
   * returns null, and the caller records under locks (`recordIn`). The rows read are not changed. Its outbox
   * row leaves with the relay's next pass.
   */
  async recordIfUnchanged(
    db: Pool | PoolClient,
    events: readonly StatusEvent[],
    rows: ReadonlyMap<string, VersionedEmailRow>,
  ): Promise<RecordResult[] | null> {
    const { known, unknown } = splitKnown(events, rows);
    const plan = this.plan(known, rows, new Set());
    // In id order, the order every writer locks emails in.
    const updates = [...plan.updates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (updates.length === 0) return [...unknown, ...plan.results];
    const statement = unchangedRowsWrite(updateEmails(updates, rows) as Sql, updates.length, [
      eventsStatement(plan.newEvents, false),
      ...this.planStatements(plan),
    ]);
    try {
      await db.query(prepared(statement));
    } catch (error) {
      if (isRefusedUnchangedRowsWrite(error)) return null;
      throw error;
    }
    return [...unknown, ...plan.results];
  }

  /** Decides every event against copies of the locked rows; `recorded` are source ids already in EmailEvent. */
  private plan(
    known: readonly StatusEvent[],
    locked: ReadonlyMap<string, EmailRow>,
    recorded: ReadonlySet<string>,
  ): Plan {
    const emails = new Map<string, EmailRow>();
    const plan: Plan = {
      results: [],
      newEvents: [],
      updates: new Map(),
      counters: new CampaignCounters(),
      webhooks: [],
      outbox: [],
      suppressions: [],
    };
    const seen = new Set<string>();
    const reputation: RecordReputationEventJob[] = [];

    const ordered = [...known].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    for (const event of ordered) {
      let email = emails.get(event.emailId);
      if (!email) {
        email = { ...(locked.get(event.emailId) as EmailRow) };
        emails.set(email.id, email);
      }
      // A source event repeated inside this batch is applied once, like one recorded by an earlier batch.
      if (recorded.has(event.sourceId) || seen.has(event.sourceId)) {
        plan.results.push({ sourceId: event.sourceId, emailId: email.id, outcome: 'duplicate', status: email.status });
        continue;
      }
      seen.add(event.sourceId);
      const eventRow = this.eventRow(event, email);
      plan.newEvents.push(eventRow);
      const update = plan.updates.get(email.id) ?? this.startUpdate(email);
      plan.updates.set(email.id, update);
      if (event.patch) Object.assign(update.patch, definedOnly(event.patch));
      if (event.recipient) {
        plan.suppressions.push(...extraRecipientOutcome(email, event, reputation));
        plan.results.push({
          sourceId: event.sourceId,
          emailId: email.id,
          outcome: 'unchanged',
          previousStatus: email.status,
          status: email.status,
        });
        continue;
      }

      const previous = email.status;
      const decision = decideTransition(previous, event.status);
      if (decision.apply) {
        email.status = event.status;
        email.sequence += 1;
        update.status = event.status;
        update.statusReason = event.statusReason ?? null;
        update.sequence = email.sequence;
        update.statusChanged = true;
        eventRow.previousStatus = previous;
        eventRow.newStatus = event.status;
        eventRow.sequence = email.sequence;
        plan.counters.moved(email.accountId, email.externalId, previous, event.status, event.occurredAt);
        for (const url of email.callbacks) {
          plan.webhooks.push({
            accountId: email.accountId,
            emailId: email.id,
            eventId: eventRow.id,
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
          plan.counters.reached(email.accountId, email.externalId, milestone, event.occurredAt, event.status);
          const kind = REPUTATION_KIND[milestone];
          if (kind) {
            reputation.push({
              accountId: email.accountId,
              emailId: email.id,
              kind,
              recipient: email.to,
              occurredAt: event.occurredAt.getTime(),
            });
            // SES counts a message to n recipients as n sends.
            if (kind === 'sent') reputation.push(...extraRecipientSends(email, event.occurredAt));
          }
        }
      }
      if (event.status === 'OPEN') plan.counters.engaged(email.accountId, email.externalId, 'open', event.occurredAt);
      if (event.status === 'CLICK') plan.counters.engaged(email.accountId, email.externalId, 'click', event.occurredAt);

      if (event.suppress) {
        plan.suppressions.push({
          id: randomUUID(),
          accountId: email.accountId,
          address: email.to.toLowerCase(),
          reason: event.suppress,
          emailId: email.id,
          detail: event.statusReason ?? null,
        });
      }
      plan.results.push({
        sourceId: event.sourceId,
        emailId: email.id,
        outcome: decision.apply ? 'applied' : 'unchanged',
        previousStatus: previous,
        status: email.status,
      });
    }
    // One job for the whole batch: per email, an outbox row and a BullMQ job cost more than counting it.
    if (reputation.length > 0) {
      const jobId = jobIdOf(reputation[0].emailId, reputation[0].kind);
      plan.outbox.push(outboxEntry(JobName.RecordReputationEvents, { events: reputation }, jobId));
      plan.reputation = reputationPendingStatement(jobId, reputation);
    }
    return plan;
  }

  /**
   * The email updates, suppressions, webhook deliveries, outbox jobs and counters of a plan in one statement.
   * The campaign counter rows are the hottest locks: taken in that statement, right before the commit.
   */
  private async writePlan(client: PoolClient, plan: Plan): Promise<void> {
    const update = updateEmails([...plan.updates.values()]);
    const statement = oneStatement([...(update ? [update] : []), ...this.planStatements(plan)]);
    if (statement) await client.query(statement);
  }

  /** A plan's writes besides the emails and their events, the counters last. */
  private planStatements(plan: Plan): Sql[] {
    return [
      insertSuppressions(plan.suppressions),
      webhooksStatement(plan.webhooks),
      outboxStatement(plan.outbox),
      plan.reputation,
      ...plan.counters.statements(),
    ].filter((statement): statement is Sql => statement !== undefined);
  }

  private startUpdate(email: EmailRow): EmailUpdate {
    return {
      id: email.id,
      status: email.status,
      statusReason: null,
      sequence: email.sequence,
      statusChanged: false,
      patch: {},
      milestones: {},
    };
  }

  private eventRow(event: StatusEvent, email: EmailRow): EventRow {
    return {
      id: randomUUID(),
      emailId: email.id,
      accountId: email.accountId,
      source: event.source,
      sourceId: event.sourceId,
      type: event.type,
      mappedStatus: event.status,
      previousStatus: null,
      newStatus: null,
      sequence: null,
      details: eventDetails(event),
      occurredAt: event.occurredAt.toISOString(),
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
      details: eventDetails(event),
      ...(email.tags && email.tags.length > 0 ? { tags: email.tags } : {}),
    };
  }

  /** Inserts the rows; returns the source ids written (one already recorded is skipped by the unique key). */
  private async insertEvents(client: PoolClient, rows: readonly EventRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const { rows: inserted } = await client.query<{ sourceId: string }>(eventsStatement(rows, true));
    return new Set(inserted.map((r) => r.sourceId));
  }
}

/** The events of emails that exist, and the results of those whose email does not. */
function splitKnown(
  events: readonly StatusEvent[],
  emails: ReadonlyMap<string, EmailRow>,
): { known: StatusEvent[]; unknown: RecordResult[] } {
  const known: StatusEvent[] = [];
  const unknown: RecordResult[] = [];
  for (const e of events) {
    if (emails.has(e.emailId)) known.push(e);
    else unknown.push({ sourceId: e.sourceId, emailId: e.emailId, outcome: 'unknown-email' });
  }
  return { known, unknown };
}
