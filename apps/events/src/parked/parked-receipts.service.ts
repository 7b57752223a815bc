import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobName } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { ApiError } from '@postline/http';
import { outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool } from 'pg';
import { applyJobIdOf } from '../notifications/receipt-writer.service';

export interface ParkedReceiptView {
  snsMessageId: string;
  topicArn: string;
  eventType: string;
  sesMessageId: string | null;
  emailIdTag: string | null;
  /** `unknown-email` (never found) or `contradicted: …` (disagrees with the email it names). */
  reason: string | null;
  attempts: number;
  receivedAt: string;
  parkedAt: string;
}

interface ParkedRow {
  messageId: string;
  topicArn: string;
  eventType: string;
  sesMessageId: string | null;
  emailIdTag: string | null;
  reason: string | null;
  attempts: number;
  receivedAt: Date;
  parkedAt: Date;
}

const encodeCursor = (row: ParkedRow) =>
  Buffer.from(JSON.stringify([row.parkedAt.toISOString(), row.messageId])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) return [at, id];
  } catch {
    // fall through
  }
  throw ApiError.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
}

/**
 * Events never applied, because their email never became known or because they contradict it: listed for
 * operators, and replayed once the cause is fixed (a replayed event is checked again like a new one).
 */
@Injectable()
export class ParkedReceiptsService {
  private readonly logger = new Logger(ParkedReceiptsService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  async list(limit: number, cursor?: string): Promise<{ items: ParkedReceiptView[]; nextCursor: string | null }> {
    const after = cursor ? decodeCursor(cursor) : null;
    const { rows } = await this.pool.query<ParkedRow>(
      `SELECT "messageId", "topicArn", "eventType", "sesMessageId", "record" #>> '{mail,tags,email_id,0}' AS "emailIdTag",
         "outcome" AS "reason", "attempts", "receivedAt", "parkedAt"
       FROM "SnsReceipt"
       WHERE "state" = 'PARKED' AND ($1::timestamptz IS NULL OR ("parkedAt", "messageId") < ($1::timestamptz, $2::text))
       ORDER BY "parkedAt" DESC, "messageId" DESC
       LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        snsMessageId: r.messageId,
        topicArn: r.topicArn,
        eventType: r.eventType,
        sesMessageId: r.sesMessageId,
        emailIdTag: r.emailIdTag,
        reason: r.reason,
        attempts: r.attempts,
        receivedAt: r.receivedAt.toISOString(),
        parkedAt: r.parkedAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /** Puts a parked event back on the queue with a fresh retry budget. */
  async replay(messageId: string): Promise<{ snsMessageId: string; state: 'PENDING' }> {
    const replayed = await withTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE "SnsReceipt" SET "state" = 'PENDING', "attempts" = 0, "parkedAt" = NULL WHERE "messageId" = $1 AND "state" = 'PARKED'`,
        [messageId],
      );
      if (!rowCount) return false;
      const outbox = outboxStatement([
        outboxEntry(JobName.ApplySesEvent, { snsMessageId: messageId }, applyJobIdOf(messageId)),
      ]);
      if (outbox) await client.query(outbox);
      return true;
    });
    if (!replayed) throw ApiError.notFound('Parked event');
    this.relay.nudge();
    this.logger.log({ snsMessageId: messageId }, 'parked SES event replayed');
    return { snsMessageId: messageId, state: 'PENDING' };
  }
}
