import { Inject, Injectable } from '@nestjs/common';
import {
  type ReputationCounts,
  type ReputationRates,
  reputationRates,
  type ReputationRules,
  type ReputationState,
  windowStartOf,
} from '@postline/contracts';
import { PG_POOL, PrismaService } from '@postline/database';
import { Clock, NO_COUNTS, REPUTATION_RULES, windowTotals } from '@postline/account-reputation';
import { ApiError } from '@postline/http';
import type { Pool } from 'pg';

const HISTORY_LIMIT = 100;

export interface ReputationChangeView {
  id: string;
  fromState: ReputationState;
  toState: ReputationState;
  actor: string;
  reason: string;
  rates: ReputationRates | null;
  counts: ReputationCounts | null;
  createdAt: string;
}

export interface ReputationView {
  accountId: string;
  state: ReputationState;
  reason: string | null;
  blockedAt: string | null;
  /** The rolling window; `from` is later than `hours` ago when an operator's unblock restarted it. */
  window: { hours: number; from: string; to: string; restartedAt: string | null };
  minimumVolume: number;
  /** Whether the window holds the minimum volume, so that the rates are evaluated. */
  evaluated: boolean;
  counts: ReputationCounts;
  /** Fractions: 0.025 = 2.5 %. */
  rates: ReputationRates;
  thresholds: { bounce: { warning: number; block: number }; complaint: { warning: number; block: number } };
  simulatorRecipientsCounted: boolean;
  /** State changes, newest first. */
  history: ReputationChangeView[];
}

/** GET /reputation and its admin twin: the window's counts and rates, the rules, the state and its history. */
@Injectable()
export class ReputationViewService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly clock: Clock,
  ) {}

  async view(accountId: string): Promise<ReputationView> {
    const account = await this.prisma.account.findUnique({
      where: { id: accountId },
      select: {
        reputationState: true,
        reputationReason: true,
        blockedAt: true,
        reputationBaselineAt: true,
        reputationChanges: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: HISTORY_LIMIT },
      },
    });
    if (!account) throw ApiError.notFound('Account');
    const now = this.clock.now();
    const windowStart = windowStartOf(now, this.rules.windowHours);
    const counts = (await windowTotals(this.pool, [accountId], windowStart)).get(accountId) ?? NO_COUNTS;
    const baseline = account.reputationBaselineAt;
    const { bounce, complaint } = this.rules.thresholds;
    return {
      accountId,
      state: account.reputationState,
      reason: account.reputationReason,
      blockedAt: account.blockedAt?.toISOString() ?? null,
      window: {
        hours: this.rules.windowHours,
        from: (baseline && baseline > windowStart ? baseline : windowStart).toISOString(),
        to: now.toISOString(),
        restartedAt: baseline?.toISOString() ?? null,
      },
      minimumVolume: this.rules.minVolume,
      evaluated: counts.sent >= this.rules.minVolume,
      counts,
      rates: reputationRates(counts),
      thresholds: {
        bounce: { warning: bounce.warning / 100, block: bounce.block / 100 },
        complaint: { warning: complaint.warning / 100, block: complaint.block / 100 },
      },
      simulatorRecipientsCounted: this.rules.countSimulator,
      history: account.reputationChanges.map((c) => ({
        id: c.id,
        fromState: c.fromState,
        toState: c.toState,
        actor: c.actor,
        reason: c.reason,
        rates:
          c.bounceRate === null || c.complaintRate === null
            ? null
            : { bounce: c.bounceRate, complaint: c.complaintRate },
        counts:
          c.sent === null || c.hardBounces === null || c.complaints === null
            ? null
            : { sent: c.sent, hardBounces: c.hardBounces, complaints: c.complaints },
        createdAt: c.createdAt.toISOString(),
      })),
    };
  }
}
