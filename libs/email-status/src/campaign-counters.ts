import type { EmailStatus, Milestone } from '@postline/contracts';
import type { PoolClient } from 'pg';

interface CampaignDelta {
  accountId: string;
  externalId: string;
  total: number;
  byStatus: Record<string, number>;
  milestones: Partial<Record<Milestone, number>>;
  opens: number;
  clicks: number;
  at: Date;
}

/**
 * Collects counter changes of one transaction per campaign (account + externalId) and writes them with one
 * upsert, so a campaign's row is locked once per batch, not once per email.
 */
export class CampaignCounters {
  private readonly deltas = new Map<string, CampaignDelta>();

  private delta(accountId: string, externalId: string, at: Date): CampaignDelta {
    const key = `${accountId}\u0000${externalId}`;
    let delta = this.deltas.get(key);
    if (!delta) {
      delta = { accountId, externalId, total: 0, byStatus: {}, milestones: {}, opens: 0, clicks: 0, at };
      this.deltas.set(key, delta);
    }
    if (at > delta.at) delta.at = at;
    return delta;
  }

  created(accountId: string, externalId: string | null, status: EmailStatus, at: Date): void {
    if (!externalId) return;
    const d = this.delta(accountId, externalId, at);
    d.total += 1;
    d.byStatus[status] = (d.byStatus[status] ?? 0) + 1;
  }

  moved(accountId: string, externalId: string | null, from: EmailStatus, to: EmailStatus, at: Date): void {
    if (!externalId) return;
    const d = this.delta(accountId, externalId, at);
    d.byStatus[from] = (d.byStatus[from] ?? 0) - 1;
    d.byStatus[to] = (d.byStatus[to] ?? 0) + 1;
  }

  reached(accountId: string, externalId: string | null, milestone: Milestone, at: Date): void {
    if (!externalId) return;
    const d = this.delta(accountId, externalId, at);
    d.milestones[milestone] = (d.milestones[milestone] ?? 0) + 1;
  }

  /** Every Open / Click event, not only the first of an email. */
  engaged(accountId: string, externalId: string | null, kind: 'open' | 'click', at: Date): void {
    if (!externalId) return;
    const d = this.delta(accountId, externalId, at);
    if (kind === 'open') d.opens += 1;
    else d.clicks += 1;
  }

  async flush(client: PoolClient): Promise<void> {
    if (this.deltas.size === 0) return;
    // Sorted so concurrent transactions lock campaign rows in one order (no deadlock).
    const rows = [...this.deltas.values()]
      .sort((a, b) => (a.accountId + a.externalId < b.accountId + b.externalId ? -1 : 1))
      .map((d) => ({
        accountId: d.accountId,
        externalId: d.externalId,
        total: d.total,
        byStatus: d.byStatus,
        sent: d.milestones.sent ?? 0,
        delivered: d.milestones.delivered ?? 0,
        opened: d.milestones.opened ?? 0,
        clicked: d.milestones.clicked ?? 0,
        softBounced: d.milestones.softBounced ?? 0,
        hardBounced: d.milestones.hardBounced ?? 0,
        complained: d.milestones.complained ?? 0,
        unsubscribed: d.milestones.unsubscribed ?? 0,
        rejected: d.milestones.rejected ?? 0,
        opensTotal: d.opens,
        clicksTotal: d.clicks,
        at: d.at.toISOString(),
      }));
    await client.query(
      `INSERT INTO "CampaignStats" AS c ("accountId", "externalId", "total", "byStatus", "sent", "delivered", "opened",
         "clicked", "softBounced", "hardBounced", "complained", "unsubscribed", "rejected", "opensTotal", "clicksTotal",
         "firstActivityAt", "lastActivityAt")
       SELECT v."accountId", v."externalId", v."total", v."byStatus", v."sent", v."delivered", v."opened", v."clicked",
         v."softBounced", v."hardBounced", v."complained", v."unsubscribed", v."rejected", v."opensTotal", v."clicksTotal",
         v."at", v."at"
       FROM jsonb_to_recordset($1::jsonb) AS v("accountId" uuid, "externalId" text, "total" int, "byStatus" jsonb,
         "sent" int, "delivered" int, "opened" int, "clicked" int, "softBounced" int, "hardBounced" int,
         "complained" int, "unsubscribed" int, "rejected" int, "opensTotal" int, "clicksTotal" int, "at" timestamptz)
       ON CONFLICT ("accountId", "externalId") DO UPDATE SET
         "total" = c."total" + EXCLUDED."total",
         "byStatus" = postline_jsonb_add(c."byStatus", EXCLUDED."byStatus"),
         "sent" = c."sent" + EXCLUDED."sent",
         "delivered" = c."delivered" + EXCLUDED."delivered",
         "opened" = c."opened" + EXCLUDED."opened",
         "clicked" = c."clicked" + EXCLUDED."clicked",
         "softBounced" = c."softBounced" + EXCLUDED."softBounced",
         "hardBounced" = c."hardBounced" + EXCLUDED."hardBounced",
         "complained" = c."complained" + EXCLUDED."complained",
         "unsubscribed" = c."unsubscribed" + EXCLUDED."unsubscribed",
         "rejected" = c."rejected" + EXCLUDED."rejected",
         "opensTotal" = c."opensTotal" + EXCLUDED."opensTotal",
         "clicksTotal" = c."clicksTotal" + EXCLUDED."clicksTotal",
         "firstActivityAt" = LEAST(c."firstActivityAt", EXCLUDED."firstActivityAt"),
         "lastActivityAt" = GREATEST(c."lastActivityAt", EXCLUDED."lastActivityAt")`,
      [JSON.stringify(rows)],
    );
  }
}
