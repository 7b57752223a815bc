import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@postline/database';
import { ApiError, ErrorCode } from '@postline/http';
import type { Pool, PoolClient } from 'pg';

const TTL_HOURS = 24;

export type IdempotencyStart = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/** The first response to a keyed request, recorded in the transaction that stores its emails. */
export interface IdempotentResponse {
  accountId: string;
  key: string;
  requestHash: string;
  status: number;
  body: unknown;
}

/** The key this request held is no longer its own (expired and taken over): nothing of it may commit. */
export class IdempotencyKeyLostError extends ApiError {
  constructor() {
    super(HttpStatus.CONFLICT, ErrorCode.IdempotencyKeyInProgress, 'The Idempotency-Key was taken over; retry');
  }
}

/**
 * `Idempotency-Key` (24 h, per account): the first request with a key runs; the same key with the same body
 * gets the first response again; with another body 422; while the first is still running 409.
 */
@Injectable()
export class IdempotencyService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static validateKey(key: string): void {
    if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw ApiError.validation([
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 printable ASCII characters' },
      ]);
    }
  }

  static hashRequest(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  async begin(accountId: string, key: string, requestHash: string): Promise<IdempotencyStart> {
    // Inserts the key, or takes over an expired one; returns nothing when a live key already exists.
    const { rowCount } = await this.pool.query(
      `INSERT INTO "IdempotencyKey" ("accountId", "key", "requestHash", "expiresAt")
       VALUES ($1, $2, $3, now() + interval '${TTL_HOURS} hours')
       ON CONFLICT ("accountId", "key") DO UPDATE SET "requestHash" = EXCLUDED."requestHash", "responseStatus" = NULL,
         "responseBody" = NULL, "createdAt" = now(), "expiresAt" = EXCLUDED."expiresAt"
       WHERE "IdempotencyKey"."expiresAt" < now()`,
      [accountId, key, requestHash],
    );
    if (rowCount === 1) return { kind: 'new' };

    const { rows } = await this.pool.query<{
      requestHash: string;
      responseStatus: number | null;
      responseBody: unknown;
    }>(
      `SELECT "requestHash", "responseStatus", "responseBody" FROM "IdempotencyKey" WHERE "accountId" = $1 AND "key" = $2`,
      [accountId, key],
    );
    const existing = rows[0];
    if (!existing) return this.begin(accountId, key, requestHash); // expired and removed in between
    if (existing.requestHash !== requestHash) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (existing.responseStatus === null) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCode.IdempotencyKeyInProgress,
        'A request with this Idempotency-Key is still being processed',
      );
    }
    return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
  }

  /** Records the response of a request that stored nothing (its emails would have recorded it with them). */
  async complete(accountId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query(
      `UPDATE "IdempotencyKey" SET "responseStatus" = $3, "responseBody" = $4::jsonb
       WHERE "accountId" = $1 AND "key" = $2 AND "responseStatus" IS NULL`,
      [accountId, key, status, JSON.stringify(body)],
    );
  }

  /**
   * Records responses inside the transaction that stores their requests' emails: the emails and the response
   * commit together or not at all. Throws when a key is no longer held by its request (taken over after
   * expiring), which rolls its emails back.
   */
  async recordIn(client: PoolClient, responses: IdempotentResponse[]): Promise<void> {
    if (responses.length === 0) return;
    const { rowCount } = await client.query(
      `UPDATE "IdempotencyKey" k SET "responseStatus" = v."status", "responseBody" = v."body"
       FROM jsonb_to_recordset($1::jsonb) AS v("accountId" uuid, "key" text, "requestHash" text, "status" int, "body" jsonb)
       WHERE k."accountId" = v."accountId" AND k."key" = v."key" AND k."requestHash" = v."requestHash"
         AND k."responseStatus" IS NULL`,
      [JSON.stringify(responses)],
    );
    if (rowCount !== responses.length) throw new IdempotencyKeyLostError();
  }

  /** The first request failed without a response worth replaying: let a retry run again. */
  async abandon(accountId: string, key: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM "IdempotencyKey" WHERE "accountId" = $1 AND "key" = $2 AND "responseStatus" IS NULL`,
      [accountId, key],
    );
  }
}
