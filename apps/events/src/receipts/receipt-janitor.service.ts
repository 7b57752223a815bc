import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PG_POOL } from '@postline/database';
import type { Pool } from 'pg';
import type { Env } from '../env';

const EVERY_MS = 60 * 60 * 1000;
const CHUNK = 5_000;

/**
 * Deletes receipts past the retention period, in small chunks so no long lock is held. Pending receipts are
 * kept whatever their age. A receipt must outlive SNS_MAX_AGE_SECONDS: until then it is what drops a redelivery.
 */
@Injectable()
export class ReceiptJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReceiptJanitor.name);
  private timer?: NodeJS.Timeout;
  private readonly retentionDays: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    config: ConfigService<Env, true>,
  ) {
    this.retentionDays = config.get('EVENTS_RECEIPT_RETENTION_DAYS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (this.retentionDays === 0) return;
    this.timer = setInterval(
      () => void this.purge().catch((e: Error) => this.logger.warn(`receipt purge failed: ${e.message}`)),
      EVERY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
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
}
