import { Inject, Injectable } from '@nestjs/common';
import {
  hourStartOf,
  isSimulatorRecipient,
  type RecordReputationEventJob,
  type ReputationRules,
  windowStartOf,
} from '@postline/contracts';
import { isTransactionConflict, PG_POOL, withTransaction } from '@postline/database';
import { type AppliedTransition, Clock, REPUTATION_RULES, ReputationLedger } from '@postline/account-reputation';
import type { Pool, PoolClient } from 'pg';
import { type LockedAccount, lockAccounts } from '../evaluation/locked-account';
import { ReputationEvaluator } from '../evaluation/reputation-evaluator.service';
import { COUNT_OUTCOMES_SQL } from './count-outcomes.sql';

export interface RecordSummary {
  /** Outcomes counted for the first time. */
  counted: number;
  /** Outcomes already counted (a redelivered or re-queued job). */
  duplicates: number;
  /** Not counted by rule: simulator recipients, events older than the window or the account's last unblock, unknown accounts. */
  ignored: number;
  changes: AppliedTransition[];
}

interface OutcomeRow {
  emailId: string;
  kind: string;
  occurredAt: string;
  accountId: string;
  bucketStart: string;
}

/**
 * Counts a batch of reputation events and evaluates the accounts they touched, in one transaction:
 * accounts locked in id order, each (email, kind) inserted once into ReputationOutcome and, only when new,
 * added to its hourly bucket (one statement for the whole batch), then the window re-evaluated.
 */
@Injectable()
export class ReputationRecorder {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly clock: Clock,
    private readonly evaluator: ReputationEvaluator,
    private readonly ledger: ReputationLedger,
  ) {}

  async record(events: readonly RecordReputationEventJob[]): Promise<RecordSummary> {
    const now = this.clock.now();
    const windowStart = windowStartOf(now, this.rules.windowHours).getTime();
    const eligible = events.filter(
      (e) => (this.rules.countSimulator || !isSimulatorRecipient(e.recipient)) && e.occurredAt >= windowStart,
    );
    if (eligible.length === 0) return { counted: 0, duplicates: 0, ignored: events.length, changes: [] };

    for (let attempt = 1; ; attempt++) {
      try {
        const summary = await withTransaction(this.pool, (client) => this.recordIn(client, eligible, now));
        summary.ignored += events.length - eligible.length;
        await this.ledger.published(summary.changes);
        return summary;
      } catch (error) {
        // Account locks are taken in id order, so deadlocks should not occur; retry one anyway rather than fail a whole batch.
        if (attempt >= 3 || !isTransactionConflict(error)) throw error;
      }
    }
  }

  private async recordIn(
    client: PoolClient,
    events: readonly RecordReputationEventJob[],
    now: Date,
  ): Promise<RecordSummary> {
    const accounts = await lockAccounts(client, [...new Set(events.map((e) => e.accountId))]);
    const rows = new Map<string, OutcomeRow>();
    let ignored = 0;
    for (const e of events) {
      const account = accounts.get(e.accountId);
      if (!account || (account.baselineMs !== null && e.occurredAt < account.baselineMs)) {
        ignored++;
        continue;
      }
      rows.set(`${e.emailId}|${e.kind}`, {
        emailId: e.emailId,
        kind: e.kind,
        occurredAt: new Date(e.occurredAt).toISOString(),
        accountId: e.accountId,
        bucketStart: new Date(bucketStartOf(e.occurredAt, account)).toISOString(),
      });
    }
    const unique = [...rows.values()].sort((a, b) =>
      a.emailId < b.emailId ? -1 : a.emailId > b.emailId ? 1 : a.kind < b.kind ? -1 : 1,
    );
    const touched = await this.count(client, unique);
    let counted = 0;
    for (const n of touched.values()) counted += n;
    const changes = await this.evaluator.evaluateIn(
      client,
      [...touched.keys()].map((id) => accounts.get(id) as LockedAccount),
      now,
    );
    return { counted, duplicates: events.length - ignored - counted, ignored, changes };
  }

  /** Inserts the outcomes and adds the new ones to their buckets; returns how many were new per account. */
  private async count(client: PoolClient, rows: readonly OutcomeRow[]): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const { rows: result } = await client.query<{ accountId: string; counted: number }>(COUNT_OUTCOMES_SQL, [
      rows.map((r) => r.emailId),
      rows.map((r) => r.kind),
      rows.map((r) => r.occurredAt),
      rows.map((r) => r.accountId),
      rows.map((r) => r.bucketStart),
    ]);
    return new Map(result.map((r) => [r.accountId, r.counted]));
  }
}

/**
 * The hour of the event; after an unblock within that hour, the bucket starts at the unblock instead, so
 * the window can include it while leaving out the hour's earlier events.
 */
export function bucketStartOf(occurredAt: number, account: Pick<LockedAccount, 'baselineMs'>): number {
  const hour = hourStartOf(occurredAt);
  return account.baselineMs !== null && hour < account.baselineMs ? account.baselineMs : hour;
}
