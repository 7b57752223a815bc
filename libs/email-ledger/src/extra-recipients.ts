import { createHash, randomUUID } from 'node:crypto';
import type { RecordReputationEventJob, StatusEvent } from '@postline/contracts';
import type { EmailRow } from './email-row';
import type { SuppressionRow } from './suppression-table';

/**
 * Reputation counts outcomes once per (email id, kind). SES counts each recipient of a message, so each cc
 * or bcc recipient is counted under an id of its own, derived from the email and the address (an RFC 4122
 * name-based layout: the same recipient always gets the same id, so a repeated event is counted once).
 */
export function recipientDeliveryId(emailId: string, address: string): string {
  const hex = createHash('sha256').update(`${emailId}:${address.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The `sent` of each cc and bcc recipient, counted when the email's own `sent` is. */
export function extraRecipientSends(email: EmailRow, at: Date): RecordReputationEventJob[] {
  return (email.extraRecipients ?? []).map((recipient) => ({
    accountId: email.accountId,
    emailId: recipientDeliveryId(email.id, recipient),
    kind: 'sent',
    recipient,
    occurredAt: at.getTime(),
  }));
}

/**
 * What an SES event about a cc or bcc recipient does (StatusEvent.recipient): its hard bounce or complaint
 * counts for reputation and puts that address on the suppression list. Returns the suppression rows.
 */
export function extraRecipientOutcome(
  email: EmailRow,
  event: StatusEvent,
  reputation: RecordReputationEventJob[],
): SuppressionRow[] {
  const recipient = event.recipient as string;
  const kind =
    event.status === 'BOUNCED_PERMANENT' ? 'hard-bounce' : event.status === 'COMPLAINED' ? 'complaint' : undefined;
  if (kind) {
    reputation.push({
      accountId: email.accountId,
      emailId: recipientDeliveryId(email.id, recipient),
      kind,
      recipient,
      occurredAt: event.occurredAt.getTime(),
    });
  }
  if (!event.suppress) return [];
  return [
    {
      id: randomUUID(),
      accountId: email.accountId,
      address: recipient.toLowerCase(),
      reason: event.suppress,
      emailId: email.id,
      detail: event.statusReason ?? null,
    },
  ];
}
