import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PG_POOL } from '@postline/database';
import { purgeExpiredEmails } from '@postline/email-ledger';
import type { Pool, QueryConfig } from 'pg';
import type { Env } from '../env';

export interface PurgeResult {
  emails: number;
  snsReceipts: number;
  idempotencyKeys: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes data past its retention, in small batches with a pause between them, so a purge of millions of
 * rows never holds a long lock or starves the hot path. An email goes with its callbacks (WebhookDelivery, its
 * attempts by cascade) and its events (EmailEvent, by cascade), through the ledger's `purgeExpiredEmails`; campaign, series and reputation counters are
 * separate tables and stay. Each batch locks its rows with SKIP LOCKED, so replicas running at once share the
 * work instead of waiting on each other.
 */
@Injectable()
export class RetentionPurger {
  private readonly logger = new Logger(RetentionPurger.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async purge(now = new Date()): Promise<PurgeResult> {
    const days = this.config.get('RETENTION_DAYS', { infer: true });
    const result: PurgeResult = { emails: 0, snsReceipts: 0, idempotencyKeys: 0 };
    if (days === 0) return result;
    const before = new Date(now.getTime() - days * DAY_MS);
    const { rows: accounts } = await this.pool.query<{ id: string }>(`SELECT "id" FROM "Account"`);
    // Per account: the (accountId, createdAt) index of the email list finds the oldest rows without a scan.
    // The ledger owns "Email": its statement deletes the emails with their callbacks.
    for (const { id } of accounts)
      result.emails += await this.batches((limit) => purgeExpiredEmails(id, before, limit));
    result.snsReceipts = await this.batches((limit) => ({ text: PURGE_SNS_RECEIPTS, values: [before, limit] }));
    // A key is only consulted until it expires (24 h); the age does not matter past that.
    result.idempotencyKeys = await this.batches((limit) => ({ text: PURGE_IDEMPOTENCY_KEYS, values: [now, limit] }));
    if (result.emails + result.snsReceipts + result.idempotencyKeys > 0) {
      this.logger.log({ ...result, before: before.toISOString() }, 'expired data purged');
    }
    return result;
  }

  /** Runs a delete of at most a batch of rows until it deletes less than a batch; returns how many rows went. */
  private async batches(statement: (limit: number) => QueryConfig): Promise<number> {
    const size = this.config.get('RETENTION_BATCH_SIZE', { infer: true });
    const pause = this.config.get('RETENTION_BATCH_PAUSE_MS', { infer: true });
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(statement(size));
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < size) return total;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

// Timestamps are UTC in timestamp columns: compare with the parameter read as UTC.
const PURGE_SNS_RECEIPTS = `
  DELETE FROM "SnsReceipt" WHERE "messageId" IN (
    SELECT "messageId" FROM "SnsReceipt"
    WHERE "state" IN ('APPLIED', 'PARKED') AND "receivedAt" < ($1::timestamptz AT TIME ZONE 'UTC')
    LIMIT $2 FOR UPDATE SKIP LOCKED)`;

const PURGE_IDEMPOTENCY_KEYS = `
  DELETE FROM "IdempotencyKey" WHERE ("accountId", "key") IN (
    SELECT "accountId", "key" FROM "IdempotencyKey"
    WHERE "expiresAt" < ($1::timestamptz AT TIME ZONE 'UTC')
    LIMIT $2 FOR UPDATE SKIP LOCKED)`;
