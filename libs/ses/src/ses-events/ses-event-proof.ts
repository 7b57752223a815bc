import { assertUnreachable } from '@postline/contracts';
import { ACCOUNT_ID_TAG, EMAIL_ID_TAG, type SesEventRecord } from './ses-event-record';

/** What Postline stored about an email, as far as an SES event can agree or disagree with it. */
export interface StoredEmailFacts {
  id: string;
  accountId: string;
  /** The email's main recipient (bare address). */
  to: string;
  /** Its cc and bcc recipients: SES reports on each of them too. */
  extraRecipients?: readonly string[] | null;
  /** Null until the sender (or the Send event) recorded what SendEmail returned. */
  sesMessageId: string | null;
}

/** Bare, lower-cased address of `Name <a@b>` or `a@b`: SES may echo the mailbox as it was sent. */
function bareAddress(address: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  return (angle ? angle[1] : address).trim().toLowerCase();
}

/** Every recipient an event names: the message's destination and the recipients of its outcome. */
export function recipientsNamed(record: SesEventRecord): string[] {
  const named = [...record.mail.destination];
  switch (record.eventType) {
    case 'Delivery':
      named.push(...record.delivery.recipients);
      break;
    case 'Bounce':
      named.push(...record.bounce.bouncedRecipients.map((r) => r.emailAddress));
      break;
    case 'Complaint':
      named.push(...record.complaint.complainedRecipients.map((r) => r.emailAddress));
      break;
    case 'DeliveryDelay':
      named.push(...record.deliveryDelay.delayedRecipients.map((r) => r.emailAddress));
      break;
    case 'Send':
    case 'Reject':
    case 'Rendering Failure':
    case 'Open':
    case 'Click':
    case 'Subscription':
      break;
    default:
      assertUnreachable(record);
  }
  return named;
}

/**
 * Why an SES event cannot belong to `email`, or undefined when everything it says agrees with what we stored:
 * its SES MessageId (once the email has one), its `email_id` and `account_id` tags, and every recipient it
 * names. What an event does not say (no tag, MessageId not known yet) is not a contradiction: SES sends the
 * Send event before SendEmail has answered, and identity notifications carry no tags.
 */
export function contradictionOf(record: SesEventRecord, email: StoredEmailFacts): string | undefined {
  if (email.sesMessageId !== null && record.mail.messageId !== email.sesMessageId)
    return "its SES MessageId is not the email's";
  const tags = record.mail.tags ?? {};
  if ((tags[EMAIL_ID_TAG] ?? []).some((id) => id.toLowerCase() !== email.id))
    return `its ${EMAIL_ID_TAG} tag is not the email's id`;
  if ((tags[ACCOUNT_ID_TAG] ?? []).some((id) => id.toLowerCase() !== email.accountId))
    return `its ${ACCOUNT_ID_TAG} tag is not the email's account`;
  const known = new Set([email.to, ...(email.extraRecipients ?? [])].map(bareAddress));
  const stranger = recipientsNamed(record).find((r) => !known.has(bareAddress(r)));
  if (stranger !== undefined) return `it names a recipient other than the email's: ${stranger}`;
  return undefined;
}

/** The recipients an event reports an outcome for (delivery, bounce, complaint, delay), bare; else none. */
function outcomeRecipients(record: SesEventRecord): string[] {
  switch (record.eventType) {
    case 'Delivery':
      return record.delivery.recipients.map(bareAddress);
    case 'Bounce':
      return record.bounce.bouncedRecipients.map((r) => bareAddress(r.emailAddress));
    case 'Complaint':
      return record.complaint.complainedRecipients.map((r) => bareAddress(r.emailAddress));
    case 'DeliveryDelay':
      return record.deliveryDelay.delayedRecipients.map((r) => bareAddress(r.emailAddress));
    case 'Send':
    case 'Reject':
    case 'Rendering Failure':
    case 'Open':
    case 'Click':
    case 'Subscription':
      return [];
    default:
      return assertUnreachable(record);
  }
}

/**
 * The cc or bcc recipient an event is about, when it reports on one of them and not on `to`: such an event
 * is the email's history, suppression and reputation, but not its status (which follows `to`).
 */
export function extraRecipientOf(record: SesEventRecord, email: StoredEmailFacts): string | undefined {
  const named = outcomeRecipients(record);
  if (named.length === 0 || named.includes(bareAddress(email.to))) return undefined;
  const extras = new Set((email.extraRecipients ?? []).map(bareAddress));
  return named.find((r) => extras.has(r));
}
