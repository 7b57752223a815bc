import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL, withTransaction } from '@postline/database';
import { EmailIntake, type NewEmail } from '@postline/email-status';
import { OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';

interface Pending {
  email: NewEmail;
  resolve: (email: NewEmail) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 1000;
const MAX_CONCURRENT_FLUSHES = 4;

/**
 * Group commit for acceptance: emails from concurrent requests are stored together, one transaction and a
 * few multi-row statements per batch instead of several round trips per email. Under light load a batch
 * holds one email and is written at once; under heavy load batches grow while earlier ones commit.
 */
@Injectable()
export class AcceptanceBatcher {
  private pending: Pending[] = [];
  private flushing = 0;
  private scheduled = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly intake: EmailIntake,
    private readonly relay: OutboxRelay,
  ) {}

  /** Stores emails (checking the suppression list) and resolves with each one's final acceptance status. */
  submit(emails: NewEmail[]): Promise<NewEmail[]> {
    const accepted = emails.map(
      (email) => new Promise<NewEmail>((resolve, reject) => this.pending.push({ email, resolve, reject })),
    );
    this.schedule();
    return Promise.all(accepted);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing >= MAX_CONCURRENT_FLUSHES || this.pending.length === 0) return;
    this.scheduled = true;
    // setImmediate collects the emails of requests parsed in the same event-loop turn.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.flushing += 1;
    try {
      const emails = batch.map((p) => p.email);
      await withTransaction(this.pool, async (client) => {
        await this.applySuppressions(client, emails);
        await this.intake.storeIn(client, emails);
      });
      batch.forEach((p) => p.resolve(p.email));
      this.relay.nudge();
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    } finally {
      this.flushing -= 1;
      this.schedule();
    }
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
