import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PG_POOL, withTransaction } from '@postline/database';
import { EmailIntake, type NewEmail } from '@postline/email-status';
import { OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';

/**
 * Acceptance with group commit: emails from concurrent requests are stored together, one transaction and a
 * few multi-row statements per batch instead of several round trips per email.
 */
@Injectable()
export class AcceptanceBatcher {
  // Two batches in flight measured best: more only queue on the same campaign counter rows (bench:gateway).
  private readonly batches = new GroupCommit<NewEmail, NewEmail>((emails) => this.store(emails), 1000, 2);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly intake: EmailIntake,
    private readonly relay: OutboxRelay,
  ) {}

  /** Stores emails (checking the suppression list) and resolves with each one's final acceptance status. */
  submit(emails: NewEmail[]): Promise<NewEmail[]> {
    return Promise.all(emails.map((email) => this.batches.submit(email)));
  }

  private async store(emails: NewEmail[]): Promise<NewEmail[]> {
    await withTransaction(this.pool, async (client) => {
      await this.applySuppressions(client, emails);
      await this.intake.storeIn(client, emails);
    });
    this.relay.nudge();
    return emails;
  }

  private async applySuppressions(client: PoolClient, emails: NewEmail[]): Promise<void> {
    const queued = emails.filter((e) => e.status === 'QUEUED');
    if (queued.length === 0) return;
    const { rows } = await client.query<{ accountId: string; address: string; reason: string }>(
      `SELECT s."accountId", s."address", s."reason" FROM "Suppression" s
       JOIN unnest($1::uuid[], $2::text[]) AS q("accountId", "address") ON s."accountId" = q."accountId" AND s."address" = q."address"`,
      [queued.map((e) => e.accountId), queued.map((e) => e.to.toLowerCase())],
    );
    if (rows.length === 0) return;
    const reasons = new Map(rows.map((r) => [`${r.accountId} ${r.address}`, r.reason]));
    for (const email of queued) {
      const reason = reasons.get(`${email.accountId} ${email.to.toLowerCase()}`);
      if (reason) {
        email.status = 'BLACKLISTED';
        email.statusReason = `recipient is on the account's suppression list (${reason})`;
      }
    }
  }
}
