import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PG_POOL, withTransaction } from '@postline/database';
import { EmailIntake, type NewEmail, type NewEmailOptions } from '@postline/email-ledger';
import { OutboxRelay } from '@postline/queue';
import type { Pool, PoolClient } from 'pg';
import { type IdempotentResponse, IdempotencyService } from '../idempotency/idempotency.service';
import type { NewAttachment } from './message-options';

/** The emails of one request, and for a request with an Idempotency-Key its response, built from them. */
export interface AcceptanceRequest {
  emails: NewEmail[];
  respond?: (stored: NewEmail[]) => IdempotentResponse;
  attachments?: NewAttachment[];
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
  submit(
    emails: NewEmail[],
    respond?: AcceptanceRequest['respond'],
    attachments?: NewAttachment[],
  ): Promise<NewEmail[]> {
    return this.batches.submit({ emails, respond, attachments });
  }

  private async store(requests: AcceptanceRequest[]): Promise<NewEmail[][]> {
    const emails = requests.flatMap((r) => r.emails);
    await withTransaction(this.pool, async (client) => {
      await this.applySuppressions(client, emails);
      await client.query(this.intake.statement(emails));
      await this.storeAttachments(client, requests, emails);
      await this.idempotency.recordIn(
        client,
        requests.flatMap((r) => (r.respond ? [r.respond(r.emails)] : [])),
      );
    });
    this.relay.nudge();
    return requests.map((r) => r.emails);
  }

  /** Only for emails that will be sent: a refused email's files would never be read. */
  private async storeAttachments(client: PoolClient, requests: AcceptanceRequest[], emails: NewEmail[]): Promise<void> {
    const queued = new Set(emails.filter((e) => e.status === 'QUEUED').map((e) => e.id));
    const files = requests.flatMap((r) => r.attachments ?? []).filter((a) => queued.has(a.emailId));
    if (files.length === 0) return;
    await client.query(
      `INSERT INTO "EmailAttachment" ("emailId", "position", "filename", "contentType", "content")
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::bytea[])`,
      [
        files.map((f) => f.emailId),
        files.map((f) => f.position),
        files.map((f) => f.filename),
        files.map((f) => f.contentType),
        files.map((f) => f.content),
      ],
    );
  }

  /**
   * A suppressed `to` makes the email BLACKLISTED, as before. A suppressed cc or bcc is dropped from the
   * message and listed in `droppedRecipients`: the other recipients still get it, as SES's own suppression
   * list treats each recipient on its own.
   */
  private async applySuppressions(client: PoolClient, emails: NewEmail[]): Promise<void> {
    const queued = emails.filter((e) => e.status === 'QUEUED' || e.status === 'SCHEDULED');
    if (queued.length === 0) return;
    const accounts: string[] = [];
    const addresses: string[] = [];
    for (const email of queued) {
      for (const address of [email.to, ...(email.options?.cc ?? []), ...(email.options?.bcc ?? [])]) {
        accounts.push(email.accountId);
        addresses.push(address.toLowerCase());
      }
    }
    const { rows } = await client.query<{ accountId: string; address: string; reason: string }>(
      `SELECT s."accountId", s."address", s."reason" FROM "Suppression" s
       JOIN unnest($1::uuid[], $2::text[]) AS q("accountId", "address") ON s."accountId" = q."accountId" AND s."address" = q."address"`,
      [accounts, addresses],
    );
    if (rows.length === 0) return;
    const reasons = new Map(rows.map((r) => [`${r.accountId} ${r.address}`, r.reason]));
    for (const email of queued) {
      const reason = reasons.get(`${email.accountId} ${email.to.toLowerCase()}`);
      if (reason) {
        email.status = 'BLACKLISTED';
        email.statusReason = `recipient is on the account's suppression list (${reason})`;
        continue;
      }
      const options = email.options;
      if (options) dropSuppressed(options, (address) => reasons.get(`${email.accountId} ${address.toLowerCase()}`));
    }
  }
}

function dropSuppressed(options: NewEmailOptions, reasonOf: (address: string) => string | undefined): void {
  const dropped: NonNullable<NewEmailOptions['droppedRecipients']> = [];
  const keep = (field: 'cc' | 'bcc') =>
    options[field].filter((address) => {
      const reason = reasonOf(address);
      if (reason) dropped.push({ address, field, reason: `on the account's suppression list (${reason})` });
      return !reason;
    });
  options.cc = keep('cc');
  options.bcc = keep('bcc');
  if (dropped.length > 0) options.droppedRecipients = dropped;
}
