import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type ReputationRules, ReputationState, windowStartOf } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { Clock, NO_COUNTS, REPUTATION_RULES, ReputationLedger, windowTotals } from '@postline/account-reputation';
import { ApiError, ErrorCode } from '@postline/http';
import type { Pool, PoolClient } from 'pg';
import { ReputationViewService, type ReputationView } from './reputation-view.service';

interface AccountRow {
  id: string;
  name: string;
  notificationUrl: string | null;
  reputationState: ReputationState;
}

/**
 * The support team's block and unblock (DESIGN §3, §5). A block by hand is for acceptable-use cases; an
 * unblock lifts any block and restarts the account's window at that moment, so the events that caused the
 * block cannot re-block the account at once: it is judged on what it sends from then on.
 */
@Injectable()
export class ReputationAdminService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly clock: Clock,
    private readonly ledger: ReputationLedger,
    private readonly views: ReputationViewService,
  ) {}

  block(accountId: string, note: string, operator?: string): Promise<ReputationView> {
    return this.change(accountId, note, operator, (account) => {
      if (account.reputationState === ReputationState.Blocked) {
        throw new ApiError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'The account is already blocked');
      }
      return { to: ReputationState.Blocked, resetBaseline: false };
    });
  }

  unblock(accountId: string, note: string, operator?: string): Promise<ReputationView> {
    return this.change(accountId, note, operator, (account) => {
      if (account.reputationState !== ReputationState.Blocked) {
        throw new ApiError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'The account is not blocked');
      }
      return { to: ReputationState.Healthy, resetBaseline: true };
    });
  }

  private async change(
    accountId: string,
    note: string,
    operator: string | undefined,
    decide: (account: AccountRow) => { to: ReputationState; resetBaseline: boolean },
  ): Promise<ReputationView> {
    const now = this.clock.now();
    const applied = await withTransaction(this.pool, async (client) => {
      const account = await this.lock(client, accountId);
      const { to, resetBaseline } = decide(account);
      const totals = await windowTotals(client, [accountId], windowStartOf(now, this.rules.windowHours));
      return this.ledger.applyIn(client, [
        {
          accountId,
          userName: account.name,
          notificationUrl: account.notificationUrl,
          from: account.reputationState,
          to,
          actor: operator ? `admin:${operator}` : 'admin',
          reason: note.trim(),
          counts: totals.get(accountId) ?? NO_COUNTS,
          at: now,
          resetBaseline,
        },
      ]);
    });
    await this.ledger.published(applied);
    return this.views.view(accountId);
  }

  private async lock(client: PoolClient, accountId: string): Promise<AccountRow> {
    const { rows } = await client.query<AccountRow>(
      `SELECT "id", "name", "notificationUrl", "reputationState" FROM "Account" WHERE "id" = $1 FOR NO KEY UPDATE`,
      [accountId],
    );
    if (!rows[0]) throw ApiError.notFound('Account');
    return rows[0];
  }
}
