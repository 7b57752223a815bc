import { assertUnreachable, type EmailStatus, type StatusEvent, type SuppressionReason } from '@postline/contracts';
import { EMAIL_ID_TAG, type SesEventRecord } from './ses-event-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Postline email id SES echoes from our `email_id` EmailTag, when present and well-formed. */
export function emailIdTagOf(record: SesEventRecord): string | undefined {
  const value = record.mail.tags?.[EMAIL_ID_TAG]?.[0];
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

interface Mapping {
  status: EmailStatus;
  /** Unique per bounce / complaint (SES feedbackId); part of the event's natural key. */
  feedbackId?: string;
  occurredAt: string;
  recipients: string[];
  details: Record<string, unknown>;
  statusReason?: string;
  suppress?: SuppressionReason;
  patch?: StatusEvent['patch'];
}

const defined = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));

/** DESIGN §4: the status, details and suppression of each SES event type. */
function mapping(record: SesEventRecord): Mapping {
  const mail = record.mail;
  switch (record.eventType) {
    case 'Send':
      return {
        status: 'SENT',
        occurredAt: mail.timestamp,
        recipients: mail.destination,
        details: {},
        // The Send event settles a dispatch the sender could not confirm (DESIGN §6).
        patch: { sesMessageId: mail.messageId, dispatchState: 'CONFIRMED' },
      };
    case 'Delivery': {
      const d = record.delivery;
      return {
        status: 'DELIVERED',
        occurredAt: d.timestamp,
        recipients: d.recipients,
        details: defined({
          recipients: d.recipients,
          smtpResponse: d.smtpResponse,
          reportingMTA: d.reportingMTA,
          remoteMtaIp: d.remoteMtaIp,
          processingTimeMillis: d.processingTimeMillis,
        }),
      };
    }
    case 'Bounce': {
      const b = record.bounce;
      const first = b.bouncedRecipients[0];
      const details = defined({
        bounceType: b.bounceType,
        bounceSubType: b.bounceSubType,
        bouncedRecipient: first?.emailAddress,
        bouncedRecipients: b.bouncedRecipients.length > 1 ? b.bouncedRecipients : undefined,
        action: first?.action,
        dsnStatus: first?.status,
        diagnosticCode: first?.diagnosticCode,
        feedbackId: b.feedbackId,
        reportingMTA: b.reportingMTA,
        remoteMtaIp: b.remoteMtaIp,
      });
      const reason = `${b.bounceType}/${b.bounceSubType}${first?.diagnosticCode ? `: ${first.diagnosticCode}` : ''}`;
      const recipients = b.bouncedRecipients.map((r) => r.emailAddress);
      const common = { occurredAt: b.timestamp, recipients, details, statusReason: reason, feedbackId: b.feedbackId };
      if (b.bounceType !== 'Permanent') return { status: 'BOUNCED', ...common };
      // SES never sent it: the address is on the SES account-level suppression list. Kept on ours too, so
      // later emails to it stop at the gateway instead of costing another SES call.
      if (b.bounceSubType === 'OnAccountSuppressionList') {
        return { status: 'BLACKLISTED', ...common, suppress: 'HARD_BOUNCE' };
      }
      return { status: 'BOUNCED_PERMANENT', ...common, suppress: 'HARD_BOUNCE' };
    }
    case 'Complaint': {
      const c = record.complaint;
      return {
        status: 'COMPLAINED',
        occurredAt: c.timestamp,
        feedbackId: c.feedbackId,
        recipients: c.complainedRecipients.map((r) => r.emailAddress),
        details: defined({
          complaintFeedbackType: c.complaintFeedbackType,
          complaintSubType: c.complaintSubType,
          complainedRecipients: c.complainedRecipients.map((r) => r.emailAddress),
          userAgent: c.userAgent,
          arrivalDate: c.arrivalDate,
          feedbackId: c.feedbackId,
        }),
        statusReason: `complaint${c.complaintFeedbackType ? ` (${c.complaintFeedbackType})` : ''}`,
        suppress: 'COMPLAINT',
      };
    }
    case 'Reject':
      return {
        status: 'NOT_SENT',
        occurredAt: mail.timestamp,
        recipients: mail.destination,
        details: defined({ reason: record.reject.reason }),
        statusReason: `rejected by SES: ${record.reject.reason}`,
      };
    case 'Rendering Failure':
      return {
        status: 'NOT_SENT',
        occurredAt: mail.timestamp,
        recipients: mail.destination,
        details: defined({ errorMessage: record.failure.errorMessage, templateName: record.failure.templateName }),
        statusReason: `rendering failure: ${record.failure.errorMessage}`,
      };
    case 'DeliveryDelay': {
      const d = record.deliveryDelay;
      const first = d.delayedRecipients[0];
      return {
        status: 'DELAYED',
        occurredAt: d.timestamp,
        recipients: d.delayedRecipients.map((r) => r.emailAddress),
        details: defined({
          delayType: d.delayType,
          expirationTime: d.expirationTime,
          delayedRecipient: first?.emailAddress,
          dsnStatus: first?.status,
          diagnosticCode: first?.diagnosticCode,
          reportingMTA: d.reportingMTA,
        }),
        statusReason: `delivery delayed: ${d.delayType}`,
      };
    }
    case 'Open':
      return {
        status: 'OPEN',
        occurredAt: record.open.timestamp,
        recipients: mail.destination,
        details: defined({ ipAddress: record.open.ipAddress, userAgent: record.open.userAgent }),
      };
    case 'Click':
      return {
        status: 'CLICK',
        occurredAt: record.click.timestamp,
        recipients: mail.destination,
        details: defined({
          link: record.click.link,
          linkTags: record.click.linkTags,
          ipAddress: record.click.ipAddress,
          userAgent: record.click.userAgent,
        }),
      };
    case 'Subscription': {
      const s = record.subscription;
      return {
        status: 'UNSUBSCRIBED',
        occurredAt: s.timestamp,
        recipients: mail.destination,
        details: defined({
          contactList: s.contactList,
          source: s.source,
          newTopicPreferences: s.newTopicPreferences,
          oldTopicPreferences: s.oldTopicPreferences,
        }),
        statusReason: 'unsubscribed',
        suppress: 'UNSUBSCRIBE',
      };
    }
    default:
      return assertUnreachable(record);
  }
}

/**
 * The status event of one SES event record for the email it belongs to. The source id is the SES event's
 * natural key, so the same event delivered twice (by SNS, or published twice by SES) is recorded once.
 */
export function mapSesEvent(record: SesEventRecord, emailId: string): StatusEvent {
  const m = mapping(record);
  const occurredAt = new Date(m.occurredAt);
  const at = Number.isNaN(occurredAt.getTime()) ? new Date(record.mail.timestamp) : occurredAt;
  return {
    emailId,
    status: m.status,
    source: 'SES',
    sourceId: [
      'ses',
      emailId,
      record.mail.messageId,
      record.eventType,
      at.toISOString(),
      ...(m.feedbackId ? [m.feedbackId] : []),
      m.recipients.join(',').toLowerCase(),
    ].join(':'),
    type: record.eventType,
    occurredAt: at,
    details: {
      ...m.details,
      sesMessageId: record.mail.messageId,
      sentAt: record.mail.timestamp,
      eventTimestamp: m.occurredAt,
    },
    ...(m.statusReason ? { statusReason: m.statusReason } : {}),
    ...(m.suppress ? { suppress: m.suppress } : {}),
    ...(m.patch ? { patch: m.patch } : {}),
  };
}
