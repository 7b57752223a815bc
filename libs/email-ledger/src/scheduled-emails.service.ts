import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EmailStatus, JobName } from '@postline/contracts';
import { PG_POOL, sql, withTransaction } from '@postline/database';
import { outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { type EmailRow, LockedEmails } from './email-row';
import { rescheduleEmail } from './email-table';
import { StatusRecorder } from './status-recorder.service';

/** What a cancel or a reschedule found: done, no such email of the account, or an email no longer SCHEDULED. */
export type ScheduleChange = { kind: 'done' } | { kind: 'not-found' } | { kind: 'not-scheduled'; status: EmailStatus };

/** Emails released per transaction by the due pass. */
const RELEASE_PAGE = 500;

/**
 * Owns the scheduling of emails after acceptance: the `sendAt` column and the moves out of SCHEDULED.
 * Every move takes the email's row lock first, so the due pass, a cancel and a reschedule of one email are
 * decided one after the other: the due pass skips rows a cancel holds (SKIP LOCKED) and a cancel waits for a
 * release in progress, then finds QUEUED and refuses. An email is therefore either sent or CANCELED, never both.
 * Statuses are written through the StatusRecorder, like every other status change.
 */
@Injectable()
export class ScheduledEmails {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly recorder: StatusRecorder,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Moves every SCHEDULED email whose `sendAt` has come to QUEUED and queues its send job (through the outbox,
   * in the same transaction). Safe with any number of replicas at once; returns how many it released.
   */
  async releaseDue(now = new Date()): Promise<number> {
    let released = 0;
    for (;;) {
      const count = await withTransaction(this.pool, (client) => this.releasePage(client, now));
      released += count;
      if (count > 0) this.relay.nudge();
      if (count < RELEASE_PAGE) return released;
    }
  }

  /** When the next SCHEDULED email is due (null: none waits). Read through the partial index on `sendAt`. */
  async nextDueAt(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      `SELECT min("sendAt") AS "at" FROM "Email" WHERE "status" = 'SCHEDULED'`,
    );
    return rows[0]?.at ?? null;
  }

  private async releasePage(client: PoolClient, now: Date): Promise<number> {
    const locked = await LockedEmails.lock<EmailRow & { sendAt: Date }>(
      client,
      {
        extra: sql`, e."sendAt"`,
        filter: sql`WHERE e."status" = 'SCHEDULED' AND e."sendAt" <= ${now}
       ORDER BY e."sendAt", e."id" LIMIT ${RELEASE_PAGE}`,
      },
      true,
    );
    const { rows } = locked;
    if (rows.length === 0) return 0;
    const releasedAt = new Date();
    await this.recorder.recordIn(
      client,
      rows.map((row) => ({
        emailId: row.id,
        status: 'QUEUED' as const,
        source: 'SENDER' as const,
        // One release per email: a second pass over the same row is a duplicate, not a second change.
        sourceId: `${row.id}:released`,
        type: 'Released',
        occurredAt: releasedAt,
        details: { sendAt: row.sendAt.toISOString() },
      })),
      locked,
    );
    const outbox = outboxStatement(rows.map((row) => outboxEntry(JobName.SendEmail, { emailId: row.id }, row.id)));
    if (outbox) await client.query(outbox);
    return rows.length;
  }

  /** SCHEDULED → CANCELED (terminal): the email is never sent. */
  async cancel(accountId: string, emailId: string): Promise<ScheduleChange> {
    const change = await withTransaction(this.pool, async (client) => {
      const found = await this.lockScheduled(client, accountId, emailId);
      if (found.kind !== 'done') return found;
      await this.recorder.recordIn(
        client,
        [
          {
            emailId,
            status: 'CANCELED',
            source: 'GATEWAY',
            sourceId: `${emailId}:canceled`,
            type: 'Canceled',
            occurredAt: new Date(),
            statusReason: 'cancelled before its scheduled time',
          },
        ],
        found.locked,
      );
      return { kind: 'done' as const };
    });
    this.relay.nudge();
    return change;
  }

  /** Moves the `sendAt` of an email that is still SCHEDULED; kept in its history as a Rescheduled event. */
  async reschedule(accountId: string, emailId: string, sendAt: Date): Promise<ScheduleChange> {
    return withTransaction(this.pool, async (client) => {
      const found = await this.lockScheduled(client, accountId, emailId);
      if (found.kind !== 'done') return found;
      await client.query(rescheduleEmail(emailId, sendAt));
      // SCHEDULED again changes no status: the recorder keeps the event in the history only.
      await this.recorder.recordIn(
        client,
        [
          {
            emailId,
            status: 'SCHEDULED',
            source: 'GATEWAY',
            sourceId: `${emailId}:rescheduled:${randomUUID()}`,
            type: 'Rescheduled',
            occurredAt: new Date(),
            details: { sendAt: sendAt.toISOString() },
          },
        ],
        found.locked,
      );
      return { kind: 'done' as const };
    });
  }

  private async lockScheduled(
    client: PoolClient,
    accountId: string,
    emailId: string,
  ): Promise<{ kind: 'done'; locked: LockedEmails } | Exclude<ScheduleChange, { kind: 'done' }>> {
    const locked = await LockedEmails.lock(client, {
      filter: sql`WHERE e."id" = ${emailId} AND e."accountId" = ${accountId}`,
    });
    const row = locked.rows[0];
    if (!row) return { kind: 'not-found' };
    if (row.status !== 'SCHEDULED') return { kind: 'not-scheduled', status: row.status };
    return { kind: 'done', locked };
  }
}
