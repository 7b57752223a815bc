import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type ReputationCounts,
  reputationNotificationType,
  reputationRates,
  type ReputationRules,
  ReputationState,
  type ReputationWebhookData,
  SYSTEM_ACTOR,
} from '@postline/contracts';
import { metric } from '@postline/http';
import { OutboxRelay } from '@postline/queue';
import { type WebhookToQueue, webhooksStatement } from '@postline/email-ledger';
import type { PoolClient } from 'pg';
import { Counter } from 'prom-client';
import { AccountBlockCache } from './account-block-cache.service';
import { REPUTATION_RULES } from './reputation-env';

/** A change of an account's reputation state, decided by the reputation service or by an operator. */
export interface ReputationTransition {
  accountId: string;
  userName: string;
  notificationUrl: string | null;
  from: ReputationState;
  to: ReputationState;
  /** SYSTEM, or `admin:<operator>` for the support team. */
  actor: string;
  reason: string;
  /** The window's counts at that moment. */
  counts: ReputationCounts;
  at: Date;
  /** An operator's unblock: the window restarts at `at`, so the events that caused the block cannot re-block it. */
  resetBaseline?: boolean;
}

export interface AppliedTransition extends ReputationTransition {
  changeId: string;
  notified: boolean;
}

const changesTotal = () =>
  metric(
    'postline_reputation_changes_total',
    () =>
      new Counter({
        name: 'postline_reputation_changes_total',
        help: 'Account reputation state changes',
        labelNames: ['from', 'to', 'actor'],
      }),
  );

/**
 * Writes reputation state changes: the account, its ReputationChange audit row and the account
 * notification (WebhookDelivery + outbox) in the caller's transaction; after the commit, the metric and
 * the blocked-flag cache. Used by the reputation service and by the operators' block/unblock.
 */
@Injectable()
export class ReputationLedger {
  constructor(
    @Inject(REPUTATION_RULES) private readonly rules: ReputationRules,
    private readonly blocks: AccountBlockCache,
    private readonly relay: OutboxRelay,
  ) {}

  /** The caller holds the accounts' rows locked and has checked each `from` against them. */
  async applyIn(client: PoolClient, transitions: readonly ReputationTransition[]): Promise<AppliedTransition[]> {
    if (transitions.length === 0) return [];
    const applied = transitions.map((t) => ({ ...t, changeId: randomUUID(), notified: t.notificationUrl !== null }));
    await client.query(
      `UPDATE "Account" a SET
         "reputationState" = v."to"::"ReputationState",
         "reputationReason" = v."reason",
         "blockedAt" = v."blockedAt",
         "reputationBaselineAt" = CASE WHEN v."resetBaseline" THEN v."at" ELSE a."reputationBaselineAt" END,
         "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v("accountId" uuid, "to" text, "reason" text, "blockedAt" timestamp,
         "resetBaseline" boolean, "at" timestamp)
       WHERE a."id" = v."accountId"`,
      [
        JSON.stringify(
          applied.map((t) => ({
            accountId: t.accountId,
            to: t.to,
            reason: t.to === ReputationState.Healthy ? null : t.reason,
            blockedAt: t.to === ReputationState.Blocked ? t.at.toISOString() : null,
            resetBaseline: t.resetBaseline === true,
            at: t.at.toISOString(),
          })),
        ),
      ],
    );
    await client.query(
      `INSERT INTO "ReputationChange" ("id", "accountId", "fromState", "toState", "actor", "reason", "bounceRate",
         "complaintRate", "sent", "hardBounces", "complaints", "createdAt")
       SELECT v."id", v."accountId", v."from"::"ReputationState", v."to"::"ReputationState", v."actor", v."reason",
         v."bounceRate", v."complaintRate", v."sent", v."hardBounces", v."complaints", v."at"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "from" text, "to" text, "actor" text,
         "reason" text, "bounceRate" float8, "complaintRate" float8, "sent" int, "hardBounces" int, "complaints" int,
         "at" timestamp)`,
      [
        JSON.stringify(
          applied.map((t) => {
            const rates = reputationRates(t.counts);
            return {
              id: t.changeId,
              accountId: t.accountId,
              from: t.from,
              to: t.to,
              actor: t.actor,
              reason: t.reason,
              bounceRate: rates.bounce,
              complaintRate: rates.complaint,
              ...t.counts,
              at: t.at.toISOString(),
            };
          }),
        ),
      ],
    );
    const notifications = webhooksStatement(applied.filter((t) => t.notified).map((t) => this.notification(t)));
    if (notifications) await client.query(notifications);
    return applied;
  }

  /** After the commit: count the changes and make a block or an unblock visible to every reader at once. */
  async published(applied: readonly AppliedTransition[]): Promise<void> {
    const counter = changesTotal();
    for (const t of applied) {
      counter.inc({ from: t.from, to: t.to, actor: t.actor === SYSTEM_ACTOR ? 'system' : 'operator' });
    }
    await Promise.all(
      applied
        .filter((t) => t.from === ReputationState.Blocked || t.to === ReputationState.Blocked)
        .map((t) => this.blocks.publish(t.accountId, { blocked: t.to === ReputationState.Blocked, reason: t.reason })),
    );
    if (applied.some((t) => t.notified)) this.relay.nudge();
  }

  private notification(t: AppliedTransition): WebhookToQueue {
    const data: ReputationWebhookData = {
      accountId: t.accountId,
      userName: t.userName,
      state: t.to,
      previousState: t.from,
      actor: t.actor,
      reason: t.reason,
      rates: reputationRates(t.counts),
      counts: t.counts,
      windowHours: this.rules.windowHours,
      occurredAt: t.at.toISOString(),
    };
    return {
      accountId: t.accountId,
      emailId: null,
      eventId: t.changeId,
      type: reputationNotificationType(t.from, t.to),
      url: t.notificationUrl as string,
      data,
      occurredAt: t.at,
    };
  }
}
