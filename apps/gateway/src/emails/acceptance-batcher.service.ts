import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PG_POOL, withTransaction } from '@postline/database';
import { EmailIntake, type NewEmail } from '@postline/email-status';
import { OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { type IdempotentResponse, IdempotencyService } from '../idempotency/idempotency.service';

/** The emails of one request, and for a request with an Idempotency-Key its response, built from them. */
export interface AcceptanceRequest {
  emails: NewEmail[];
  respond?: (stored: NewEmail[]) => IdempotentResponse;
}

/**
 * Acceptance with group commit: emails from concurrent requests are stored together, one transaction and a
 * few multi-row statements per batch instead of several round trips per email. A request's emails and its
 * Idempotency-Key response commit together, so a key never has its emails without its response.
 */
@Injectable()
export class AcceptanceBatcher {
  // Two batches in flight measured best: more only queue on the same campaign counter rows (bench:gateway).
  private readonly batches = new GroupCommit<AcceptanceRequest, NewEmail[]>(
    (requests) => this.store(requests),
    1000,
    2,
  );

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly intake: EmailIntake,
    private readonly relay: OutboxRelay,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Stores a request's emails (checking the suppression list); resolves with each one's final acceptance status. */
  submit(emails: NewEmail[], respond?: AcceptanceRequest['respond']): Promise<NewEmail[]> {
    return this.batches.submit({ emails, respond });
  }

  private async store(requests: AcceptanceRequest[]): Promise<NewEmail[][]> {
    const emails = requests.flatMap((r) => r.emails);
    await withTransaction(this.pool, async (client) => {
      await this.applySuppressions(client, emails);
      await this.intake.storeIn(client, emails);
      await this.idempotency.recordIn(
        client,
        requests.flatMap((r) => (r.respond ? [r.respond(r.emails)] : [])),
      );
    });
    this.relay.nudge();
    return requests.map((r) => r.emails);
  }

  private async applySuppressions(client: PoolClient, emails: NewEmail[]): Promise<void> {
    const queued = emails.filter((e) => e.status === 'QUEUED' || e.status === 'SCHEDULED');
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
