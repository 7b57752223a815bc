import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOUR_MS, type ReputationRules, windowStartOf } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import { Clock, REPUTATION_RULES } from '@postline/account-reputation';
import type { Pool } from 'pg';
import { ReputationEvaluator } from '../evaluation/reputation-evaluator.service';

export interface SweepSummary {
  evaluated: number;
  changes: number;
  bucketsPruned: number;
  outcomesPruned: number;
}

const ACCOUNTS_PER_TRANSACTION = 200;
const OUTCOMES_PER_DELETE = 20_000;
const MAX_DELETES_PER_SWEEP = 50;
/** Outcomes are kept a day past the window, so workers whose clocks differ a little still see every duplicate. */
const OUTCOME_MARGIN_MS = 24 * HOUR_MS;

/**
 * What time alone changes: as the window slides, buckets leave it and an account's rates move with no new
 * event (a warning clears, or good volume leaving makes the bad share rise). The sweep re-evaluates every
 * account that has buckets about to leave the window, and every account in WARNING, then prunes what the
 * window no longer needs. Run by a BullMQ job scheduler, so once per interval whatever the number of workers.
 */
@Injectable()
export class ReputationSweep {
  private readonly logger = new Logger(ReputationSweep.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly clock: Clock,
    private readonly evaluator: ReputationEvaluator,
  ) {}

  async sweep(): Promise<SweepSummary> {
    const now = this.clock.now();
    const windowStart = windowStartOf(now, this.rules.windowHours).toISOString();
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT DISTINCT "accountId" AS "id" FROM "ReputationBucket" WHERE "bucketStart" < $1::timestamp
       UNION SELECT "id" FROM "Account" WHERE "reputationState" = 'WARNING'`,
      [windowStart],
    );
    let changes = 0;
    for (let i = 0; i < rows.length; i += ACCOUNTS_PER_TRANSACTION) {
      const chunk = rows.slice(i, i + ACCOUNTS_PER_TRANSACTION).map((r) => r.id);
      changes += (await this.evaluator.evaluate(chunk, now)).length;
    }
    const buckets = await this.pool.query(`DELETE FROM "ReputationBucket" WHERE "bucketStart" < $1::timestamp`, [
      windowStart,
    ]);
    const outcomesPruned = await this.pruneOutcomes(new Date(Date.parse(windowStart) - OUTCOME_MARGIN_MS));
    const summary = { evaluated: rows.length, changes, bucketsPruned: buckets.rowCount ?? 0, outcomesPruned };
    if (changes > 0 || summary.bucketsPruned > 0) this.logger.log(summary, 'reputation sweep');
    return summary;
  }

  /** In slices, so no single statement holds a long transaction over a large table. */
  private async pruneOutcomes(before: Date): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_DELETES_PER_SWEEP; i++) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM "ReputationOutcome" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "ReputationOutcome" WHERE "occurredAt" < $1::timestamp LIMIT ${OUTCOMES_PER_DELETE}))`,
        [before.toISOString()],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < OUTCOMES_PER_DELETE) break;
    }
    return total;
  }
}
