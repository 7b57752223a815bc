import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  GroupCommit,
  isDatabaseUnavailable,
  isTransactionConflict,
  PG_POOL,
  sql,
  withTransaction,
} from '@postline/database';
import { type EmailRow, LockedEmails, StatusRecorder } from '@postline/email-ledger';
import { type StatusEvent } from '@postline/contracts';
import { OutboxRelay, PostgresOutage, ThrottledLog } from '@postline/queue';
import { contradictionOf, emailIdTagOf, extraRecipientOf, mapSesEvent, type SesEventRecord } from '@postline/ses';
import type { Pool, PoolClient } from 'pg';
import type { Env } from '../env';
import { sesEventBatchSize, sesEventsApplied, sesEventsParked } from './ses-event-metrics';

export type ApplyResult =
  /** Finished: applied, unchanged, duplicate, or nothing to do (already applied, receipt gone). */
  | { kind: 'done'; outcome: string }
  /** Try again later: the email is not known yet, or the database is unavailable. */
  | { kind: 'retry'; delayMs: number; reason: string }
  /** Not applied: its email stayed unknown, or it contradicts its email. An operator decides (GET /ses/parked). */
  | { kind: 'parked'; cause: 'unknown-email' | typeof CONTRADICTED; reason: string };

interface ReceiptRow {
  messageId: string;
  eventType: string;
  topicArn: string;
  record: SesEventRecord;
  state: 'PENDING' | 'APPLIED' | 'PARKED';
  attempts: number;
}

interface ReceiptUpdate {
  messageId: string;
  state: 'APPLIED' | 'PENDING' | 'PARKED';
  attempts: number;
  outcome: string;
  emailId: string | null;
}

/** An email as status recording reads it, with the SES MessageId its events must carry. */
type ProvableEmailRow = EmailRow & { sesMessageId: string | null };

/** Outcome (and metric label) of an event that disagrees with the email it names. */
const CONTRADICTED = 'contradicted';
const MAX_CONCURRENT_FLUSHES = 3;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const DATABASE_RETRY_MS = 5_000;
const CONFLICT_RETRY_MS = 200;

/**
 * Applies SES events (by SNS MessageId) through the StatusRecorder. The ses-event worker hands every job it
 * runs here; jobs running at the same time are applied together, one transaction and a few multi-row
 * statements per batch (group commit), with the receipts' new state written in the same transaction.
 */
@Injectable()
export class SesEventApplier {
  private readonly logger = new Logger(SesEventApplier.name);
  private readonly applied = sesEventsApplied();
  private readonly parked = sesEventsParked();
  private readonly batchSize = sesEventBatchSize();
  private readonly batches: GroupCommit<string, ApplyResult | { error: unknown }>;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly outageLog = new ThrottledLog(this.logger, 10_000);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly recorder: StatusRecorder,
    private readonly relay: OutboxRelay,
    config: ConfigService<Env, true>,
    private readonly outage: PostgresOutage,
  ) {
    this.batches = new GroupCommit(
      (ids) => this.settle(ids),
      config.get('EVENTS_MAX_BATCH', { infer: true }),
      MAX_CONCURRENT_FLUSHES,
    );
    this.retries = config.get('EVENTS_UNKNOWN_EMAIL_RETRIES', { infer: true });
    this.retryDelayMs = config.get('EVENTS_UNKNOWN_EMAIL_DELAY_MS', { infer: true });
  }

  async apply(messageId: string): Promise<ApplyResult> {
    const result = await this.batches.submit(messageId);
    if ('error' in result) throw result.error;
    return result;
  }

  private async settle(messageIds: string[]): Promise<(ApplyResult | { error: unknown })[]> {
    try {
      const results = await this.applyBatch([...new Set(messageIds)]);
      return messageIds.map((id) => results.get(id) as ApplyResult);
    } catch (error) {
      const transient = this.transientRetry(error);
      if (transient) return messageIds.map(() => transient);
      if (messageIds.length === 1) return [{ error }];
      // One bad record must not fail its neighbours: apply each alone, so only it fails (and is retried).
      this.logger.warn(
        { err: error, size: messageIds.length },
        'SES event batch failed; applying its events one by one',
      );
      const settled: (ApplyResult | { error: unknown })[] = [];
      for (const id of messageIds) settled.push(...(await this.settle([id])));
      return settled;
    }
  }

  private transientRetry(error: unknown): ApplyResult | undefined {
    if (isDatabaseUnavailable(error)) {
      this.outage.report(error);
      this.outageLog.warn(`database unavailable; SES events wait: ${(error as Error).message}`);
      return { kind: 'retry', delayMs: DATABASE_RETRY_MS, reason: 'database unavailable' };
    }
    // The batch is fine, another transaction got in the way.
    if (isTransactionConflict(error)) {
      return {
        kind: 'retry',
        delayMs: CONFLICT_RETRY_MS,
        reason: `transaction conflict ${(error as { code: string }).code}`,
      };
    }
    return undefined;
  }

  private async applyBatch(messageIds: string[]): Promise<Map<string, ApplyResult>> {
    const { results, receipts } = await withTransaction(this.pool, (client) => this.applyIn(client, messageIds));
    this.relay.nudge();
    this.batchSize.observe(messageIds.length);
    for (const [messageId, result] of results) {
      const receipt = receipts.get(messageId);
      const eventType = receipt?.eventType ?? 'unknown';
      const outcome =
        result.kind === 'done'
          ? result.outcome
          : result.kind === 'parked' && result.cause === CONTRADICTED
            ? CONTRADICTED
            : result.kind;
      this.applied.inc({ event_type: eventType, outcome });
      if (result.kind === 'parked' && receipt) {
        this.parked.inc({ event_type: eventType });
        this.logger.warn(
          {
            snsMessageId: messageId,
            eventType,
            sesMessageId: receipt.record.mail.messageId,
            emailIdTag: receipt.record.mail.tags?.email_id?.[0],
            accountIdTag: receipt.record.mail.tags?.account_id?.[0],
            topicArn: receipt.topicArn,
          },
          `SES event parked: ${result.reason} (GET /ses/parked)`,
        );
      }
    }
    return results;
  }

  private async applyIn(
    client: PoolClient,
    messageIds: string[],
  ): Promise<{ results: Map<string, ApplyResult>; receipts: Map<string, ReceiptRow> }> {
    const { rows } = await client.query<ReceiptRow>(
      `SELECT "messageId", "eventType", "topicArn", "record", "state", "attempts" FROM "SnsReceipt" WHERE "messageId" = ANY($1::text[])`,
      [messageIds],
    );
    const receipts = new Map(rows.map((r) => [r.messageId, r]));
    const results = new Map<string, ApplyResult>();
    for (const id of messageIds) {
      const receipt = receipts.get(id);
      if (!receipt) results.set(id, { kind: 'done', outcome: 'missing' });
      else if (receipt.state !== 'PENDING')
        results.set(id, { kind: 'done', outcome: `already-${receipt.state.toLowerCase()}` });
    }
    const pending = rows.filter((r) => r.state === 'PENDING');
    if (pending.length === 0) return { results, receipts };

    const { emails, locked } = await this.lockEmails(client, pending);
    const events = new Map<string, StatusEvent>();
    const contradictions = new Map<string, string>();
    const firstOfSource = new Map<string, string>();
    for (const receipt of pending) {
      const email = emails.get(receipt.messageId);
      if (!email) continue;
      const contradiction = contradictionOf(receipt.record, email);
      if (contradiction) {
        contradictions.set(receipt.messageId, contradiction);
        continue;
      }
      const event = mapSesEvent(receipt.record, email.id);
      const extra = extraRecipientOf(receipt.record, email);
      if (extra) event.recipient = extra;
      events.set(receipt.messageId, event);
      if (!firstOfSource.has(event.sourceId)) firstOfSource.set(event.sourceId, receipt.messageId);
    }
    const recorded = await this.recorder.recordIn(
      client,
      [...firstOfSource.values()].map((id) => events.get(id) as StatusEvent),
      locked,
    );
    const outcomes = new Map(recorded.map((r) => [r.sourceId, r.outcome]));

    const updates: ReceiptUpdate[] = [];
    for (const receipt of pending) {
      const contradiction = contradictions.get(receipt.messageId);
      if (contradiction) {
        // Never applied, whatever happens to its email later: an operator looks at it (GET /ses/parked).
        updates.push({
          messageId: receipt.messageId,
          state: 'PARKED',
          attempts: receipt.attempts,
          outcome: `${CONTRADICTED}: ${contradiction}`,
          emailId: null,
        });
        results.set(receipt.messageId, { kind: 'parked', cause: CONTRADICTED, reason: contradiction });
        continue;
      }
      const event = events.get(receipt.messageId);
      const outcome = !event
        ? 'unknown-email'
        : firstOfSource.get(event.sourceId) === receipt.messageId
          ? (outcomes.get(event.sourceId) ?? 'unknown-email')
          : 'duplicate';
      if (outcome !== 'unknown-email') {
        updates.push({
          messageId: receipt.messageId,
          state: 'APPLIED',
          attempts: receipt.attempts,
          outcome,
          emailId: event?.emailId ?? null,
        });
        results.set(receipt.messageId, { kind: 'done', outcome });
        continue;
      }
      const attempts = receipt.attempts + 1;
      if (attempts > this.retries) {
        updates.push({ messageId: receipt.messageId, state: 'PARKED', attempts, outcome, emailId: null });
        results.set(receipt.messageId, {
          kind: 'parked',
          cause: 'unknown-email',
          reason: `its email is still unknown after ${attempts} attempts`,
        });
      } else {
        updates.push({ messageId: receipt.messageId, state: 'PENDING', attempts, outcome, emailId: null });
        const delayMs = Math.min(this.retryDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
        results.set(receipt.messageId, { kind: 'retry', delayMs, reason: 'email not known yet' });
      }
    }
    await client.query(
      `UPDATE "SnsReceipt" r SET "state" = v."state"::"SnsReceiptState", "attempts" = v."attempts", "outcome" = v."outcome",
         "emailId" = v."emailId",
         "appliedAt" = CASE WHEN v."state" = 'APPLIED' THEN now() ELSE r."appliedAt" END,
         "parkedAt" = CASE WHEN v."state" = 'PARKED' THEN now() ELSE r."parkedAt" END
       FROM jsonb_to_recordset($1::jsonb) AS v("messageId" text, "state" text, "attempts" int, "outcome" text, "emailId" uuid)
       WHERE r."messageId" = v."messageId"`,
      [JSON.stringify(updates)],
    );
    return { results, receipts };
  }

  /**
   * The email of each event, read and locked (in id order, as every status writer locks) with what the event
   * must agree with: by our `email_id` tag, else as the one email SES gave this MessageId. Without the tag an
   * event can be faster than the sender recording the MessageId; it stays unknown and is retried. `locked`
   * hands the rows to the recorder, which then reads nothing again: proving costs no extra round trip.
   */
  private async lockEmails(
    client: PoolClient,
    receipts: ReceiptRow[],
  ): Promise<{ emails: Map<string, ProvableEmailRow>; locked: LockedEmails<ProvableEmailRow> }> {
    const tagged = new Map<string, string>();
    const untagged: ReceiptRow[] = [];
    for (const receipt of receipts) {
      const emailId = emailIdTagOf(receipt.record);
      if (emailId) tagged.set(receipt.messageId, emailId);
      else untagged.push(receipt);
    }
    const taggedIds = [...new Set(tagged.values())];
    const sesIds = [...new Set(untagged.map((r) => r.record.mail.messageId))];
    const locked = await LockedEmails.lock<ProvableEmailRow>(client, {
      extra: sql`, e."sesMessageId"`,
      filter: sql`WHERE e."id" = ANY(${taggedIds}::uuid[]) OR e."sesMessageId" = ANY(${sesIds}::text[])
       ORDER BY e."id"`,
    });
    const { rows } = locked;
    const bySesId = new Map<string, ProvableEmailRow[]>();
    for (const row of rows) {
      if (row.sesMessageId !== null) bySesId.set(row.sesMessageId, [...(bySesId.get(row.sesMessageId) ?? []), row]);
    }
    const emails = new Map<string, ProvableEmailRow>();
    for (const [messageId, emailId] of tagged) {
      const row = locked.byId.get(emailId);
      if (row) emails.set(messageId, row);
    }
    for (const receipt of untagged) {
      const matches = bySesId.get(receipt.record.mail.messageId);
      // Two emails with one SES MessageId only happens with the local SES emulator; without a tag it is ambiguous.
      if (matches?.length === 1) emails.set(receipt.messageId, matches[0]);
    }
    return { emails, locked };
  }
}
