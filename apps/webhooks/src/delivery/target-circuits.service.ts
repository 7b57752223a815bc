import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WebhookEventType, type WebhookTargetFailingData } from '@postline/contracts';
import { PG_POOL, prepared, withTransaction } from '@postline/database';
import { webhooksStatement } from '@postline/email-ledger';
import type { Pool } from 'pg';
import type { Env } from '../env';
import type { AttemptRecord } from './delivery-row';

/** What a batch of attempts says about one target. */
interface TargetNote {
  accountId: string;
  target: string;
  /** A 2xx in the batch: the receiver works, the circuit closes (failures of the same batch are ignored). */
  succeeded: boolean;
  failures: number;
  lastError: string | null;
}

interface OpenedCircuit {
  accountId: string;
  target: string;
  failures: number;
  lastError: string | null;
  openUntil: Date;
  notificationUrl: string | null;
}

/**
 * The circuit breaker of each target, kept in WebhookTarget so that every worker sees it. WEBHOOK_CIRCUIT_FAILURES
 * consecutive failed attempts open it: the claim passes its deliveries over (they wait, attempts unspent)
 * for WEBHOOK_CIRCUIT_OPEN_MS, doubled at each reopening up to WEBHOOK_CIRCUIT_MAX_OPEN_MS. Then one worker
 * probes it with one delivery (DeliveryStore.claimProbes): a 2xx closes it, a failure opens it again. The
 * first opening tells the account (`account.webhook-target.failing` to its notificationUrl), in the same
 * transaction.
 */
@Injectable()
export class TargetCircuits {
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly maxOpenMs: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    config: ConfigService<Env, true>,
  ) {
    this.threshold = config.get('WEBHOOK_CIRCUIT_FAILURES', { infer: true });
    this.openMs = config.get('WEBHOOK_CIRCUIT_OPEN_MS', { infer: true });
    this.maxOpenMs = config.get('WEBHOOK_CIRCUIT_MAX_OPEN_MS', { infer: true });
  }

  /** Notes recorded attempts: successes close their target's circuit, failures count towards opening it. */
  async note(records: readonly AttemptRecord[]): Promise<void> {
    const notes = new Map<string, TargetNote>();
    for (const r of records) {
      if (r.status !== 'SUCCEEDED' && !r.targetFailed) continue;
      const key = `${r.accountId} ${r.target}`;
      let note = notes.get(key);
      if (!note) {
        note = { accountId: r.accountId, target: r.target, succeeded: false, failures: 0, lastError: null };
        notes.set(key, note);
      }
      if (r.status === 'SUCCEEDED') note.succeeded = true;
      else {
        note.failures += 1;
        note.lastError = r.error;
      }
    }
    if (notes.size === 0) return;
    const input = JSON.stringify([...notes.values()]);
    const hasFailures = [...notes.values()].some((n) => !n.succeeded);
    if (!hasFailures) {
      // The common case: only successes, and nothing to do unless a circuit had counted failures.
      await this.pool.query(prepared({ text: CLOSE, values: [input] }));
      return;
    }
    await withTransaction(this.pool, async (client) => {
      await client.query(prepared({ text: CLOSE, values: [input] }));
      const { rows } = await client.query<OpenedCircuit>(
        prepared({ text: FAIL, values: [input, this.threshold, this.openMs, this.maxOpenMs] }),
      );
      const statement = webhooksStatement(
        rows
          .filter((c) => c.notificationUrl !== null)
          .map((c) => {
            const data: WebhookTargetFailingData = {
              target: c.target,
              failures: c.failures,
              lastError: c.lastError,
              retryAt: c.openUntil.toISOString(),
            };
            return {
              accountId: c.accountId,
              emailId: null,
              eventId: randomUUID(),
              type: WebhookEventType.WebhookTargetFailing,
              url: c.notificationUrl as string,
              data,
              occurredAt: new Date(),
            };
          }),
      );
      if (statement) await client.query(statement);
    });
  }
}

const INPUT = `WITH input AS (
  SELECT * FROM json_to_recordset($1::json)
    AS v("accountId" uuid, "target" text, "succeeded" boolean, "failures" int, "lastError" text)
)`;

/** Successes close the circuit; an UPDATE of nothing when the target never failed (no row, or a clean one). */
const CLOSE = `${INPUT}
UPDATE "WebhookTarget" t SET "failures" = 0, "opens" = 0, "openUntil" = NULL, "probeUntil" = NULL, "updatedAt" = now()
FROM input i
WHERE i."succeeded" AND t."accountId" = i."accountId" AND t."target" = i."target"
  AND (t."failures" > 0 OR t."openUntil" IS NOT NULL)`;

/**
 * Failures add up; reaching the threshold while closed or half-open (the wait over: this was the probe or a
 * straggler) opens the circuit for the next wait. Returns the circuits this statement opened (`openedAt` is
 * the transaction's now(), to the microsecond) for the first time since they were last closed (opens = 1),
 * with where to tell their account.
 */
const FAIL = `${INPUT}, upserted AS (
  INSERT INTO "WebhookTarget" AS t ("accountId", "target", "failures", "lastError", "opens", "openUntil", "openedAt")
  SELECT i."accountId", i."target", i."failures", i."lastError",
    CASE WHEN i."failures" >= $2 THEN 1 ELSE 0 END,
    CASE WHEN i."failures" >= $2 THEN now() + $3 * interval '1 millisecond' END,
    CASE WHEN i."failures" >= $2 THEN now() END
  FROM input i WHERE NOT i."succeeded"
  ON CONFLICT ("accountId", "target") DO UPDATE SET
    "failures" = t."failures" + EXCLUDED."failures",
    "lastError" = EXCLUDED."lastError",
    "opens" = CASE WHEN t."failures" + EXCLUDED."failures" >= $2 AND (t."openUntil" IS NULL OR t."openUntil" <= now())
      THEN t."opens" + 1 ELSE t."opens" END,
    "openUntil" = CASE WHEN t."failures" + EXCLUDED."failures" >= $2 AND (t."openUntil" IS NULL OR t."openUntil" <= now())
      THEN now() + LEAST($4::float8, $3 * power(2, t."opens")) * interval '1 millisecond' ELSE t."openUntil" END,
    "probeUntil" = CASE WHEN t."failures" + EXCLUDED."failures" >= $2 AND (t."openUntil" IS NULL OR t."openUntil" <= now())
      THEN NULL ELSE t."probeUntil" END,
    "openedAt" = CASE WHEN t."failures" + EXCLUDED."failures" >= $2 AND (t."openUntil" IS NULL OR t."openUntil" <= now())
      THEN now() ELSE t."openedAt" END,
    "updatedAt" = now()
  RETURNING t."accountId", t."target", t."failures", t."lastError", t."opens", t."openUntil", t."openedAt"
)
SELECT u."accountId", u."target", u."failures", u."lastError", u."openUntil", a."notificationUrl"
FROM upserted u JOIN "Account" a ON a."id" = u."accountId"
WHERE u."opens" = 1 AND u."openedAt" = now()`;
