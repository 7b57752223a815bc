import { Inject, Injectable } from '@nestjs/common';
import { type EmailStatus, isSesEvidence } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { type DispatchState, type StatusEvent, StatusRecorder } from '@postline/email-status';
import { OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import type { OutgoingEmail } from '../content/message-builder';
import { recheck } from './recheck';

/** What the sender may do with an email it took from the queue. */
export type Preparation =
  | { kind: 'missing' }
  /** Already past sending (refused earlier, sent, or further): nothing to do. */
  | { kind: 'finished'; status: EmailStatus }
  /** A dispatch started and was never confirmed: SES may have the message. Never call SES again for it. */
  | { kind: 'in-doubt'; startedAt: Date }
  /** The re-checks refused it; the status is recorded. */
  | { kind: 'refused'; status: EmailStatus; reason: string }
  /** Dispatch started (committed): call SES now. `attempt` counts SendEmail calls of this email, this one included. */
  | { kind: 'send'; email: OutgoingEmail; attempt: number };

/** The message fields plus what the pickup checks need. */
interface DispatchRow extends OutgoingEmail {
  status: EmailStatus;
  dispatchState: DispatchState;
  dispatchStartedAt: Date | null;
  dispatchAttempts: number;
  accountBlocked: boolean;
  blockReason: string | null;
  allowRoleAddresses: boolean;
  fromVerified: boolean;
  suppressedReason: string | null;
}

export interface SentConfirmation {
  emailId: string;
  sesMessageId: string;
  at: Date;
}

/** SES returned a MessageId: the email is SENT and its dispatch confirmed. */
function sentEvent(c: SentConfirmation): StatusEvent {
  return {
    emailId: c.emailId,
    status: 'SENT',
    source: 'SENDER',
    sourceId: `${c.emailId}:sent:sender`,
    type: 'Send',
    occurredAt: c.at,
    details: { sesMessageId: c.sesMessageId },
    patch: { sesMessageId: c.sesMessageId, dispatchState: 'CONFIRMED' },
  };
}

const DISPATCH_ROW_SQL = `
  SELECT e."id", e."accountId", e."to", e."from", e."alias", e."subject", e."text", e."unsubscribeMsg", e."status",
    e."dispatchState", e."dispatchStartedAt", e."dispatchAttempts",
    a."reputationState" = 'BLOCKED' AS "accountBlocked", a."reputationReason" AS "blockReason",
    COALESCE(a."settings" -> 'allowRoleAddresses' = 'true'::jsonb, false) AS "allowRoleAddresses",
    EXISTS (SELECT 1 FROM "SenderIdentity" si WHERE si."accountId" = e."accountId" AND si."status" = 'VERIFIED'
      AND si."identity" IN (lower(e."from"), split_part(lower(e."from"), '@', 2))) AS "fromVerified",
    (SELECT s."reason"::text FROM "Suppression" s WHERE s."accountId" = e."accountId" AND s."address" = lower(e."to")) AS "suppressedReason"
  FROM "Email" e JOIN "Account" a ON a."id" = e."accountId"
  WHERE e."id" = ANY($1::uuid[])
  ORDER BY e."id"
  FOR UPDATE OF e`;

/**
 * The sender's writes, batched into one journal transaction per round: it takes many emails from QUEUED to
 * DEQUEUED, re-checks them and either records their refusal or marks their dispatch STARTED (committed before
 * SES is called, so a crash can never lead to a blind second SendEmail), and records SENT for the emails SES
 * just accepted. One status write (and one campaign-counter update) per round instead of one per step.
 * Every status goes through the StatusRecorder.
 */
@Injectable()
export class DispatchStore {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly recorder: StatusRecorder,
    private readonly relay: OutboxRelay,
  ) {}

  /** Prepares `emailIds` (one Preparation each, in order) and records SENT for `confirmations`, in one transaction. */
  async journal(emailIds: readonly string[], confirmations: readonly SentConfirmation[]): Promise<Preparation[]> {
    const results = await withTransaction(this.pool, async (client) => {
      const prepared = emailIds.length > 0 ? await this.prepareIn(client, emailIds) : { results: [], events: [] };
      await this.recorder.recordIn(client, [...confirmations.map(sentEvent), ...prepared.events]);
      return prepared.results;
    });
    this.relay.nudge();
    return results;
  }

  /** Decides and writes the dispatch columns; returns the status events for the caller to record. */
  private async prepareIn(
    client: PoolClient,
    emailIds: readonly string[],
  ): Promise<{ results: Preparation[]; events: StatusEvent[] }> {
    const { rows } = await client.query<DispatchRow>(DISPATCH_ROW_SQL, [[...new Set(emailIds)]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const now = new Date();
    const later = new Date(now.getTime() + 1);
    const events: StatusEvent[] = [];
    const dequeued: string[] = [];
    const started = new Set<string>();
    const confirmed: string[] = [];
    const seen = new Set<string>();

    const results = emailIds.map((id): Preparation => {
      const row = byId.get(id);
      if (!row) return { kind: 'missing' };
      // The same email twice in one batch (a job run twice at once): only the first may dispatch.
      if (seen.has(id)) return { kind: 'in-doubt', startedAt: now };
      seen.add(id);
      if (row.status !== 'QUEUED' && row.status !== 'DEQUEUED') {
        if (row.dispatchState === 'STARTED' && isSesEvidence(row.status)) confirmed.push(id);
        return { kind: 'finished', status: row.status };
      }
      if (row.dispatchState === 'STARTED') return { kind: 'in-doubt', startedAt: row.dispatchStartedAt ?? now };
      if (row.dispatchState !== 'NONE') return { kind: 'finished', status: row.status };

      if (row.status === 'QUEUED') {
        events.push({
          emailId: id,
          status: 'DEQUEUED',
          source: 'SENDER',
          sourceId: `${id}:dequeued`,
          type: 'Dequeued',
          occurredAt: now,
        });
      }
      dequeued.push(id);
      const decision = recheck(row);
      if (!decision.pass) {
        events.push({
          emailId: id,
          status: decision.status,
          source: 'SENDER',
          sourceId: `${id}:refused:sender`,
          type: 'Recheck',
          occurredAt: later,
          statusReason: decision.reason,
        });
        return { kind: 'refused', status: decision.status, reason: decision.reason };
      }
      started.add(id);
      return {
        kind: 'send',
        attempt: row.dispatchAttempts + 1,
        email: {
          id,
          accountId: row.accountId,
          to: row.to,
          from: row.from,
          alias: row.alias,
          subject: row.subject,
          text: row.text,
          unsubscribeMsg: row.unsubscribeMsg,
        },
      };
    });

    // Written before the status events: the recorder updates the campaign counters last, so their row lock is held briefly.
    if (dequeued.length > 0) {
      await client.query(
        `UPDATE "Email" e SET
           "dequeuedAt" = COALESCE(e."dequeuedAt", now()),
           "dispatchState" = CASE WHEN v."start" THEN 'STARTED'::"DispatchState" ELSE e."dispatchState" END,
           "dispatchStartedAt" = CASE WHEN v."start" THEN clock_timestamp() ELSE e."dispatchStartedAt" END,
           "dispatchAttempts" = e."dispatchAttempts" + CASE WHEN v."start" THEN 1 ELSE 0 END,
           "updatedAt" = now()
         FROM unnest($1::uuid[], $2::boolean[]) AS v("id", "start")
         WHERE e."id" = v."id"`,
        [dequeued, dequeued.map((id) => started.has(id))],
      );
    }
    if (confirmed.length > 0) await this.confirmIn(client, confirmed);
    return { results, events };
  }

  /** SES refused the message, or every attempt failed: a terminal status, and nothing was dispatched. */
  async recordFailure(
    emailId: string,
    status: EmailStatus,
    reason: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.recorder.record([
      {
        emailId,
        status,
        source: 'SENDER',
        sourceId: `${emailId}:${status.toLowerCase()}:sender`,
        type: 'SendFailed',
        occurredAt: new Date(),
        statusReason: reason,
        details,
        patch: { dispatchState: 'NONE' },
      },
    ]);
  }

  /**
   * The call certainly did not reach SES (or SES refused it before taking it): the email may be dispatched
   * again. `refund` gives the attempt back (a pause is SES's state, not this email's failure).
   */
  async releaseDispatch(emailId: string, refund = false): Promise<void> {
    await this.pool.query(
      `UPDATE "Email" SET "dispatchState" = 'NONE', "dispatchAttempts" = "dispatchAttempts" - $2, "updatedAt" = now()
       WHERE "id" = $1 AND "dispatchState" = 'STARTED'`,
      [emailId, refund ? 1 : 0],
    );
  }

  /**
   * No Send event arrived for a dispatch that may have reached SES: the email ends EXHAUSTED with dispatch
   * AMBIGUOUS for an operator to resolve (a late Send event still moves it to SENT). Returns false when SES
   * evidence arrived meanwhile (then the dispatch is confirmed instead).
   */
  async markAmbiguous(emailId: string, reason: string): Promise<boolean> {
    const marked = await withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ status: EmailStatus; dispatchState: DispatchState }>(
        `SELECT "status", "dispatchState" FROM "Email" WHERE "id" = $1 FOR UPDATE`,
        [emailId],
      );
      const row = rows[0];
      if (!row || row.dispatchState !== 'STARTED') return false;
      if (isSesEvidence(row.status)) {
        await this.confirmIn(client, [emailId]);
        return false;
      }
      await this.recorder.recordIn(client, [
        {
          emailId,
          status: 'EXHAUSTED',
          source: 'SENDER',
          sourceId: `${emailId}:ambiguous:sender`,
          type: 'DispatchAmbiguous',
          occurredAt: new Date(),
          statusReason: reason,
          patch: { dispatchState: 'AMBIGUOUS' },
        },
      ]);
      return true;
    });
    this.relay.nudge();
    return marked;
  }

  private async confirmIn(client: PoolClient, emailIds: string[]): Promise<void> {
    await client.query(
      `UPDATE "Email" SET "dispatchState" = 'CONFIRMED', "updatedAt" = now() WHERE "id" = ANY($1::uuid[]) AND "dispatchState" = 'STARTED'`,
      [emailIds],
    );
  }
}
