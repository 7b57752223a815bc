import { Inject, Injectable } from '@nestjs/common';
import { decideReputation, type ReputationRules, SYSTEM_ACTOR, windowStartOf } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import {
  type AppliedTransition,
  NO_COUNTS,
  REPUTATION_RULES,
  ReputationLedger,
  type ReputationTransition,
  windowTotals,
} from '@postline/account-reputation';
import type { Pool, PoolClient } from 'pg';
import { type LockedAccount, lockAccounts } from './locked-account';

/** Decides each account's state from its window (the pure rule in contracts) and records the changes. */
@Injectable()
export class ReputationEvaluator {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly ledger: ReputationLedger,
  ) {}

  /** In the caller's transaction, with the accounts already locked; the caller publishes after commit. */
  async evaluateIn(client: PoolClient, accounts: readonly LockedAccount[], now: Date): Promise<AppliedTransition[]> {
    if (accounts.length === 0) return [];
    const totals = await windowTotals(
      client,
      accounts.map((a) => a.id),
      windowStartOf(now, this.rules.windowHours),
    );
    const transitions: ReputationTransition[] = [];
    for (const account of accounts) {
      const counts = totals.get(account.id) ?? NO_COUNTS;
      const decision = decideReputation(account.reputationState, counts, this.rules);
      if (decision.state === account.reputationState) continue;
      transitions.push({
        accountId: account.id,
        userName: account.name,
        notificationUrl: account.notificationUrl,
        from: account.reputationState,
        to: decision.state,
        actor: SYSTEM_ACTOR,
        reason: decision.reason ?? '',
        counts,
        at: now,
      });
      account.reputationState = decision.state;
    }
    return this.ledger.applyIn(client, transitions);
  }

  /** Its own transaction: for the sweep, where no event arrived to trigger an evaluation. */
  async evaluate(accountIds: readonly string[], now: Date): Promise<AppliedTransition[]> {
    const applied = await withTransaction(this.pool, async (client) => {
      const accounts = await lockAccounts(client, accountIds);
      return this.evaluateIn(client, [...accounts.values()], now);
    });
    await this.ledger.published(applied);
    return applied;
  }
}
