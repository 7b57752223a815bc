import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { JobSchedules, jobIdOf, outboxEntry, OutboxRelay, outboxStatement } from '@postline/queue';
import type { Pool } from 'pg';
import type { Env } from '../env';

const CHUNK = 5_000;
/** Longer than the whole unknown-email retry span: a receipt still PENDING then has lost its job. */
const STALLED_AFTER_MS = 6 * 60 * 60 * 1000;

export const RECEIPT_JANITOR_SCHEDULER_ID = 'tidy-sns-receipts';

/**
 * Schedules, and runs, the hourly tidy of SNS receipts. Deletes receipts past the retention period, in small chunks so no long lock is held. Pending receipts are
 * kept whatever their age. A receipt must outlive SNS_MAX_AGE_SECONDS: until then it is what drops a redelivery.
 * It also re-queues receipts still PENDING long after they arrived: their job failed for good (an unexpected
 * error on every attempt), and applying a receipt twice is harmless (the applier skips settled receipts).
 */
@Injectable()
export class ReceiptJanitor implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReceiptJanitor.name);
  private readonly retentionDays: number;
  private readonly everyMs: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relay: OutboxRelay,
    private readonly schedules: JobSchedules,
    config: ConfigService<Env, true>,
  ) {
    this.retentionDays = config.get('EVENTS_RECEIPT_RETENTION_DAYS', { infer: true });
    this.everyMs = config.get('EVENTS_RECEIPT_JANITOR_EVERY_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    void this.schedules.keep(
      RECEIPT_JANITOR_SCHEDULER_ID,
      JobName.TidySnsReceipts,
      {},
      this.everyMs > 0 ? this.everyMs : null,
    );
  }

  /** One scheduled pass; a failed half is logged and does not stop the other. */
  async run(): Promise<void> {
    if (this.retentionDays > 0) {
      await this.purge().catch((e: Error) => this.logger.warn(`receipt purge failed: ${e.message}`));
    }
    await this.rescueStalled().catch((e: Error) => this.logger.warn(`receipt rescue failed: ${e.message}`));
  }

  /** Returns the number of receipts deleted. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.retentionDays * 24 * 60 * 60 * 1000);
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM "SnsReceipt" WHERE "messageId" IN (
           SELECT "messageId" FROM "SnsReceipt" WHERE "state" IN ('APPLIED', 'PARKED') AND "receivedAt" < $1 LIMIT ${CHUNK})`,
        [before],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < CHUNK) break;
    }
    if (total > 0) this.logger.log({ deleted: total }, 'old SNS receipts deleted');
    return total;
  }

  /** Queues a new apply job for each receipt PENDING since before `now - 6 h`; returns how many. */
  async rescueStalled(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - STALLED_AFTER_MS);
    const rescued = await withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ messageId: string }>(
        `SELECT "messageId" FROM "SnsReceipt" WHERE "state" = 'PENDING' AND "receivedAt" < $1
         ORDER BY "receivedAt" LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED`,
        [before],
      );
      // A job id of its own per rescue: the failed job keeps the original id in BullMQ.
      const stamp = String(now.getTime());
      const outbox = outboxStatement(
        rows.map((r) =>
          outboxEntry(
            JobName.ApplySesEvent,
            { snsMessageId: r.messageId },
            jobIdOf(r.messageId.replace(/:/g, '-'), 'rescue', stamp),
          ),
        ),
      );
      if (outbox) await client.query(outbox);
      return rows.length;
    });
    if (rescued > 0) {
      this.relay.nudge();
      this.logger.warn({ rescued }, 'SNS receipts still pending after 6 h re-queued');
    }
    return rescued;
  }
}
