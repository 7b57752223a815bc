import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DispatchState, type EmailStatus, isSesEvidence, type StatusEvent } from '@postline/contracts';
import { param, PG_POOL, type Sql, sql, withTransaction } from '@postline/database';
import {
  confirmDispatches,
  LockedEmails,
  readEmailRows,
  releaseDispatch,
  startDispatches,
  StatusRecorder,
  type VersionedEmailRow,
} from '@postline/email-ledger';
import { OutboxRelay } from '@postline/queue';
import { TemplateRenderError } from '@postline/templates';
import type { Pool } from 'pg';
import type { OutgoingEmail } from '../content/message-builder';
import { type LoadedVersions, type Personalization, Personalizer } from '../content/personalization';
import type { OutgoingAttachment } from '../content/message-options';
import { type MessageOptionColumns, messageOptionColumns, outgoingOptionsOf } from './message-option-columns';
import { recheck, type RecheckFacts } from './recheck';

const dequeuedSourceId = (emailId: string) => `${emailId}:dequeued`;

/** What the sender may do with an email it took from the queue. */
export type Preparation =
  | { kind: 'missing' }
  /** Already past sending (refused earlier, sent, or further): nothing to do. */
  | { kind: 'finished'; status: EmailStatus }
  /** A dispatch started and was never confirmed: SES may have the message. Never call SES again for it. */
  | { kind: 'in-doubt'; startedAt: Date }
  /** The re-checks refused it; the status is recorded. */
  | { kind: 'refused'; status: EmailStatus; reason: string }
  /**
   * Dispatch started (committed): call SES now with `email`, personalized already. `attempt` counts SendEmail
   * calls of this email, this one included.
   */
  | { kind: 'send'; email: OutgoingEmail; attempt: number };

/** The recorder's columns (the row is read once, for both), the message fields and what the pickup checks need. */
interface DispatchRow extends VersionedEmailRow, MessageOptionColumns {
  text: string;
  unsubscribeMsg: string;
  dispatchState: DispatchState;
  dispatchStartedAt: Date | null;
  dispatchAttempts: number;
  html: string | null;
  templateId: string | null;
  templateVersion: number | null;
  variables: Record<string, unknown> | null;
  dispatchToken: string | null;
  /** The re-check facts, read only for emails being prepared (null for confirmations). */
  accountBlocked: boolean | null;
  blockReason: string | null;
  allowRoleAddresses: boolean | null;
  fromVerified: boolean | null;
  suppressedReason: string | null;
}

/** A dispatch attempt: its token, written with STARTED, and the tokens of this job's attempts that never called SES. */
export interface DispatchAttempt {
  token: string;
  neverCalled: readonly string[];
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

/** The sender's columns besides the recorder's: the message, and the re-check facts for the emails being prepared. */
function dispatchColumns(preparing: readonly string[]): Sql {
  const ids = param(preparing);
  return sql`, e."text", e."unsubscribeMsg", e."dispatchState", e."dispatchStartedAt", e."dispatchAttempts",
    e."dispatchToken", e."html", e."templateId", e."templateVersion", e."variables",
    ${messageOptionColumns(ids)},
    CASE WHEN e."id" = ANY(${ids}::uuid[]) THEN a."reputationState" = 'BLOCKED' END AS "accountBlocked",
    CASE WHEN e."id" = ANY(${ids}::uuid[]) THEN a."reputationReason" END AS "blockReason",
    CASE WHEN e."id" = ANY(${ids}::uuid[]) THEN COALESCE(a."settings" -> 'allowRoleAddresses' = 'true'::jsonb, false) END AS "allowRoleAddresses",
    CASE WHEN e."id" = ANY(${ids}::uuid[]) THEN EXISTS (SELECT 1 FROM "SenderIdentity" si WHERE si."accountId" = e."accountId"
      AND si."status" = 'VERIFIED' AND si."identity" IN (lower(e."from"), split_part(lower(e."from"), '@', 2))) END AS "fromVerified",
    CASE WHEN e."id" = ANY(${ids}::uuid[]) THEN (SELECT s."reason"::text FROM "Suppression" s
      WHERE s."accountId" = e."accountId" AND s."address" = lower(e."to")) END AS "suppressedReason"`;
}

/** Emails whose dispatch starts in this round, and whether a DEQUEUED event writes that start with its status. */
interface DispatchStart {
  id: string;
  attempts: number;
  at: Date;
  token: string;
  withEvent: boolean;
}

/**
 * The sender's writes, batched into one journal round: it takes many emails from QUEUED to DEQUEUED,
 * re-checks them and either records their refusal or marks their dispatch STARTED (committed before SES is
 * called, so a crash can never lead to a blind second SendEmail), and records SENT for the emails SES just
 * accepted. DEQUEUED and the dispatch start are one row version. Every status goes through the StatusRecorder.
 *
 * A round is two statements and no transaction: the emails are read without a lock, and everything is
 * written in one statement that applies only if none of them changed since (their `xmin`). Another writer
 * rarely touches an email in between (an SES event, a second run of the same job); the round then runs again
 * in a transaction that locks the emails first. The reputation job a round writes to the outbox waits for the
 * relay's poll (many rounds in one pass): a relay pass after every round cost more than the round itself.
 */
@Injectable()
export class DispatchStore {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly recorder: StatusRecorder,
    private readonly relay: OutboxRelay,
    private readonly personalizer: Personalizer,
  ) {}

  /**
   * Prepares `emailIds` (one Preparation each, in order) and records SENT for `confirmations`, atomically.
   * `attempts` names each preparation's dispatch attempt (a fresh token when missing).
   */
  async journal(
    emailIds: readonly string[],
    confirmations: readonly SentConfirmation[],
    attempts: ReadonlyMap<string, DispatchAttempt> = new Map(),
  ): Promise<Preparation[]> {
    const read = await this.read(emailIds, confirmations);
    const prepared = this.prepare(emailIds, read, attempts, await this.templatesFor(emailIds, read));
    // Dispatch starts and confirmations without a status event of their own take the locked path.
    if (prepared.confirmed.length === 0 && prepared.starts.every((s) => s.withEvent)) {
      const events = [...confirmations.map(sentEvent), ...prepared.events];
      if (await this.recorder.recordIfUnchanged(this.pool, events, read)) return prepared.results;
    }
    return this.journalLocked(emailIds, confirmations, attempts);
  }

  /** The round's emails (every email of the round, in id order) without a lock, with their versions. */
  private async read(
    emailIds: readonly string[],
    confirmations: readonly SentConfirmation[],
  ): Promise<Map<string, DispatchRow>> {
    return readEmailRows<DispatchRow>(this.pool, this.roundQuery(emailIds, confirmations));
  }

  private roundQuery(emailIds: readonly string[], confirmations: readonly SentConfirmation[]) {
    const preparing = [...new Set(emailIds)];
    const all = [...new Set([...preparing, ...confirmations.map((c) => c.emailId)])].sort();
    return {
      extra: dispatchColumns(preparing),
      filter: sql`WHERE e."id" = ANY(${all}::uuid[]) ORDER BY e."id"`,
    };
  }

  /** The round in one transaction that locks the emails (in id order) before deciding. */
  private async journalLocked(
    emailIds: readonly string[],
    confirmations: readonly SentConfirmation[],
    attempts: ReadonlyMap<string, DispatchAttempt>,
  ): Promise<Preparation[]> {
    return withTransaction(this.pool, async (client) => {
      const locked = await LockedEmails.lock<DispatchRow>(client, {
        ...this.roundQuery(emailIds, confirmations),
        versioned: true,
      });
      const prepared = this.prepare(emailIds, locked.byId, attempts, await this.templatesFor(emailIds, locked.byId));
      if (prepared.confirmed.length > 0) await client.query(confirmDispatches(prepared.confirmed));
      const recorded = await this.recorder.recordIn(
        client,
        [...confirmations.map(sentEvent), ...prepared.events],
        locked,
      );
      // A dispatch start no DEQUEUED event carried (a retry: the email is DEQUEUED already) is written on its own.
      const written = new Set(recorded.filter((r) => r.outcome !== 'duplicate').map((r) => r.sourceId));
      const alone = prepared.starts.filter((s) => !s.withEvent || !written.has(dequeuedSourceId(s.id)));
      if (alone.length > 0) await client.query(startDispatches(alone));
      return prepared.results;
    });
  }

  /**
   * The template versions the emails being prepared are rendered with (read once per version, then cached); the
   * round's confirmations are never rendered.
   */
  private templatesFor(emailIds: readonly string[], rows: ReadonlyMap<string, DispatchRow>): Promise<LoadedVersions> {
    const personalizations: Personalization[] = [];
    for (const id of emailIds) {
      const row = rows.get(id);
      const personalization = row && personalizationOf(row);
      if (personalization?.template) personalizations.push(personalization);
    }
    return this.personalizer.load(personalizations);
  }

  /**
   * Decides what to do with each email; returns the status events for the recorder and the dispatch starts.
   * A personalized email is rendered here, before its dispatch start is written: one whose placeholders cannot
   * be filled is refused INCOMPLETE in this round and never starts (never a dispatch in doubt, never half-filled).
   */
  private prepare(
    emailIds: readonly string[],
    byId: ReadonlyMap<string, DispatchRow>,
    attempts: ReadonlyMap<string, DispatchAttempt>,
    templates: LoadedVersions,
  ): { results: Preparation[]; events: StatusEvent[]; starts: DispatchStart[]; confirmed: string[] } {
    const now = new Date();
    const events: StatusEvent[] = [];
    const starts: DispatchStart[] = [];
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
      const dispatch = attempts.get(id) ?? { token: randomUUID(), neverCalled: [] };
      // A STARTED whose commit was in doubt for this job, which therefore never called SES, is no dispatch.
      const uncalled =
        row.dispatchState === 'STARTED' &&
        row.dispatchToken !== null &&
        dispatch.neverCalled.includes(row.dispatchToken);
      if (row.dispatchState === 'STARTED' && !uncalled)
        return { kind: 'in-doubt', startedAt: row.dispatchStartedAt ?? now };
      if (row.dispatchState !== 'NONE' && !uncalled) return { kind: 'finished', status: row.status };

      let decision = recheck(row as DispatchRow & RecheckFacts);
      let email = decision.pass ? this.outgoing(row) : undefined;
      let renderFailure: TemplateRenderError | undefined;
      const personalization = personalizationOf(row);
      if (email && personalization) {
        try {
          email = this.personalizer.renderLoaded(email, personalization, templates);
        } catch (error) {
          if (!(error instanceof TemplateRenderError)) throw error;
          renderFailure = error;
          decision = { pass: false, status: 'INCOMPLETE', reason: error.message };
        }
      }
      const attempt = uncalled ? row.dispatchAttempts : row.dispatchAttempts + 1;
      const queued = row.status === 'QUEUED';
      if (queued) {
        events.push({
          emailId: id,
          status: 'DEQUEUED',
          source: 'SENDER',
          sourceId: dequeuedSourceId(id),
          type: 'Dequeued',
          occurredAt: now,
          patch: decision.pass
            ? {
                dequeuedAt: now,
                dispatchState: 'STARTED',
                dispatchStartedAt: now,
                dispatchAttempts: attempt,
                dispatchToken: dispatch.token,
              }
            : { dequeuedAt: now },
        });
      }
      if (!decision.pass) {
        events.push({
          emailId: id,
          status: decision.status,
          source: 'SENDER',
          sourceId: `${id}:refused:sender`,
          type: renderFailure ? 'RenderFailed' : 'Recheck',
          // The same instant as its DEQUEUED: the history lists events of one instant in the order they were
          // applied (their sequence), so the refusal still follows it.
          occurredAt: now,
          statusReason: decision.reason,
          ...(renderFailure
            ? {
                details: {
                  part: renderFailure.part,
                  ...(renderFailure.variable ? { variable: renderFailure.variable } : {}),
                },
              }
            : {}),
          patch: { dequeuedAt: now },
        });
        return { kind: 'refused', status: decision.status, reason: decision.reason };
      }
      starts.push({ id, attempts: attempt, at: now, token: dispatch.token, withEvent: queued });
      return { kind: 'send', attempt, email: email as OutgoingEmail };
    });
    return { results, events, starts, confirmed };
  }

  /** The message of a row, as stored (before personalization). */
  private outgoing(row: DispatchRow): OutgoingEmail {
    return {
      id: row.id,
      accountId: row.accountId,
      to: row.to,
      from: row.from,
      alias: row.alias,
      subject: row.subject,
      text: row.text,
      html: row.html,
      unsubscribeMsg: row.unsubscribeMsg,
      ...outgoingOptionsOf(row),
    };
  }

  /** The email's attachments, read only when it has some (they stay out of the journal round). */
  async attachments(emailId: string): Promise<OutgoingAttachment[]> {
    const { rows } = await this.pool.query<OutgoingAttachment>(
      `SELECT "filename", "contentType", "content" FROM "EmailAttachment" WHERE "emailId" = $1 ORDER BY "position"`,
      [emailId],
    );
    return rows;
  }

  /** SES refused the message, or every attempt failed: a terminal status, and nothing was dispatched. */
  async recordFailure(
    emailId: string,
    status: EmailStatus,
    reason: string,
    details: Record<string, unknown>,
    type = 'SendFailed',
  ): Promise<void> {
    await this.recorder.record([
      {
        emailId,
        status,
        source: 'SENDER',
        sourceId: `${emailId}:${status.toLowerCase()}:sender`,
        type,
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
    await this.pool.query(releaseDispatch(emailId, refund));
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
        await client.query(confirmDispatches([emailId]));
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
}

/** What a row's placeholders are filled from, when it has any (a template, or variables for inline content). */
function personalizationOf(row: DispatchRow): Personalization | undefined {
  if (row.templateId === null && row.variables === null) return undefined;
  return {
    template: row.templateId === null ? null : { id: row.templateId, version: row.templateVersion ?? 1 },
    variables: row.variables ?? {},
  };
}
