import { Inject, Injectable } from '@nestjs/common';
import { JobName } from '@postline/contracts';
import { GroupCommit, PG_POOL, withTransaction } from '@postline/database';
import { jobIdOf, outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { SesEventRecord } from '@postline/ses';
import type { Pool } from 'pg';

export interface NewReceipt {
  messageId: string;
  topicArn: string;
  record: SesEventRecord;
}

export type ReceiptOutcome = 'stored' | 'duplicate';

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
  private readonly batches = new GroupCommit<NewReceipt, ReceiptOutcome>(
    (receipts) => this.storeBatch(receipts),
    MAX_BATCH,
    MAX_CONCURRENT_FLUSHES,
  );

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
  ) {}

  store(receipt: NewReceipt): Promise<ReceiptOutcome> {
    return this.batches.submit(receipt);
  }

  private async storeBatch(batch: NewReceipt[]): Promise<ReceiptOutcome[]> {
    const stored = await withTransaction(this.pool, async (client) => {
      const rows = batch.map((receipt) => ({
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
      const outbox = outboxStatement(
        inserted.map((r) =>
          outboxEntry(JobName.ApplySesEvent, { snsMessageId: r.messageId }, applyJobIdOf(r.messageId)),
        ),
      );
      if (outbox) await client.query(outbox);
      return new Set(inserted.map((r) => r.messageId));
    });
    this.relay.nudge();
    // The same MessageId twice in one batch: the first one stored it, the rest are duplicates.
    return batch.map((receipt) => (stored.delete(receipt.messageId) ? 'stored' : 'duplicate'));
  }
}
