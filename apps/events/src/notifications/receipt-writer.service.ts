import { Inject, Injectable } from '@nestjs/common';
import { JobName } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { insertOutbox, jobIdOf, outboxEntry, OutboxRelay } from '@postline/queue';
import type { SesEventRecord } from '@postline/ses';
import type { Pool } from 'pg';

export interface NewReceipt {
  messageId: string;
  topicArn: string;
  record: SesEventRecord;
}

export type ReceiptOutcome = 'stored' | 'duplicate';

interface Pending {
  receipt: NewReceipt;
  resolve: (outcome: ReceiptOutcome) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;
const MAX_CONCURRENT_FLUSHES = 4;

/** BullMQ refuses ':' in custom job ids; SNS MessageIds are UUIDs, this only guards the job id. */
export const applyJobIdOf = (messageId: string): string => jobIdOf(messageId.replace(/:/g, '-'));

/**
 * Makes notifications durable: the receipt (keyed by the SNS MessageId, so a redelivery is dropped) and its
 * apply-ses-event outbox row commit together, and only then does SNS get its 200. Concurrent requests share
 * one transaction (group commit), which is what lets one process take thousands of notifications a second.
 */
@Injectable()
export class ReceiptWriter {
  private pending: Pending[] = [];
  private flushing = 0;
  private scheduled = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  store(receipt: NewReceipt): Promise<ReceiptOutcome> {
    const outcome = new Promise<ReceiptOutcome>((resolve, reject) => this.pending.push({ receipt, resolve, reject }));
    this.schedule();
    return outcome;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing >= MAX_CONCURRENT_FLUSHES || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.flushing += 1;
    try {
      const stored = await withTransaction(this.pool, async (client) => {
        const rows = batch.map(({ receipt }) => ({
          messageId: receipt.messageId,
          topicArn: receipt.topicArn,
          eventType: receipt.record.eventType,
          sesMessageId: receipt.record.mail.messageId,
          record: receipt.record,
        }));
        const { rows: inserted } = await client.query<{ messageId: string }>(
          `INSERT INTO "SnsReceipt" ("messageId", "topicArn", "eventType", "sesMessageId", "record")
           SELECT v."messageId", v."topicArn", v."eventType", v."sesMessageId", v."record"
           FROM jsonb_to_recordset($1::jsonb) AS v("messageId" text, "topicArn" text, "eventType" text, "sesMessageId" text, "record" jsonb)
           ON CONFLICT ("messageId") DO NOTHING
           RETURNING "messageId"`,
          [JSON.stringify(rows)],
        );
        await insertOutbox(
          client,
          inserted.map((r) => outboxEntry(JobName.ApplySesEvent, { snsMessageId: r.messageId }, applyJobIdOf(r.messageId))),
        );
        return new Set(inserted.map((r) => r.messageId));
      });
      // The same MessageId twice in one batch: the first one stored it, the rest are duplicates.
      for (const p of batch) {
        const first = stored.delete(p.receipt.messageId);
        p.resolve(first ? 'stored' : 'duplicate');
      }
      this.relay.nudge();
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    } finally {
      this.flushing -= 1;
      this.schedule();
    }
  }
}
