import type { SesEventRecord, SesMail } from '@postline/ses';
import { bareAddress, type SimulatedOutcome } from './mailbox-simulator';
import { EMAIL_ID_HEADER, headerOf, type LocalSesMessage, recipientsOf } from './local-ses-store';

export interface SesAccountContext {
  region: string;
  accountId: string;
  configurationSet: string;
}

// Offsets from the moment the emulator accepted the message, like SES's own timing, and fixed so that
// replaying the same message produces the very same events.
const DELIVERY_AFTER_MS = 1_200;
const BOUNCE_AFTER_MS = 1_500;
const SUPPRESSED_AFTER_MS = 300;
const COMPLAINT_AFTER_MS = 4_000;

function mailOf(message: LocalSesMessage, ctx: SesAccountContext): SesMail {
  const from = message.from;
  const fromAddress = bareAddress(from);
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
  const emailId = headerOf(message, EMAIL_ID_HEADER);
  const destination = recipientsOf(message);
  return {
    timestamp: sentAt(message).toISOString(),
    source: from,
    sourceArn: `arn:aws:ses:${ctx.region}:${ctx.accountId}:identity/${domain}`,
    sendingAccountId: ctx.accountId,
    messageId: message.messageId,
    destination,
    headersTruncated: false,
    headers: [
      { name: 'From', value: from },
      { name: 'To', value: (message.destination.to ?? []).join(', ') },
      { name: 'Subject', value: message.subject },
      ...(message.headers ?? []),
    ],
    commonHeaders: {
      from: [from],
      to: message.destination.to ?? [],
      messageId: message.messageId,
      subject: message.subject,
    },
    tags: {
      'ses:configuration-set': [ctx.configurationSet],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': [domain],
      'ses:caller-identity': ['postline-local'],
      ...(emailId ? { email_id: [emailId] } : {}),
    },
  };
}

/**
 * The emulator keeps whole seconds only. The message left within that second, after the email was accepted:
 * the second's last millisecond keeps every event after the email's acceptance in its history.
 */
const sentAt = (message: LocalSesMessage) => new Date(message.at * 1000 + 999);
const at = (message: LocalSesMessage, offsetMs: number) => new Date(sentAt(message).getTime() + offsetMs).toISOString();
/** One feedback id per bounce or complaint, as SES gives: a message to several recipients has one per recipient. */
const feedbackId = (message: LocalSesMessage, n: number, recipient: string) =>
  `0100${message.messageId.replace(/\W/g, '')}-local-${String(n).padStart(6, '0')}-${recipientIndex(message, recipient)}`;
const recipientIndex = (message: LocalSesMessage, recipient: string) =>
  Math.max(0, recipientsOf(message).map(bareAddress).indexOf(bareAddress(recipient)));

/** The Send event SES publishes once it accepted the message. */
export function sendEvent(message: LocalSesMessage, ctx: SesAccountContext): SesEventRecord {
  return { eventType: 'Send', mail: mailOf(message, ctx), send: {} };
}

/** The events that follow Send for one recipient, in the order SES publishes them. */
export function outcomeEvents(
  message: LocalSesMessage,
  recipient: string,
  outcome: SimulatedOutcome,
  ctx: SesAccountContext,
): SesEventRecord[] {
  const mail = mailOf(message, ctx);
  const delivery: SesEventRecord = {
    eventType: 'Delivery',
    mail,
    delivery: {
      timestamp: at(message, DELIVERY_AFTER_MS),
      processingTimeMillis: DELIVERY_AFTER_MS,
      recipients: [recipient],
      smtpResponse: '250 2.6.0 Message received',
      reportingMTA: 'a8-50.smtp-out.amazonses.com',
      remoteMtaIp: '127.0.0.1',
    },
  };
  switch (outcome) {
    case 'delivered':
      return [delivery];
    case 'complaint':
      return [
        delivery,
        {
          eventType: 'Complaint',
          mail,
          complaint: {
            feedbackId: feedbackId(message, 2, recipient),
            complaintSubType: null,
            complainedRecipients: [{ emailAddress: recipient }],
            timestamp: at(message, COMPLAINT_AFTER_MS),
            userAgent: 'Amazon SES Mailbox Simulator',
            complaintFeedbackType: 'abuse',
            arrivalDate: at(message, COMPLAINT_AFTER_MS - 500),
          },
        },
      ];
    case 'bounce':
      return [
        {
          eventType: 'Bounce',
          mail,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [
              {
                emailAddress: recipient,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: at(message, BOUNCE_AFTER_MS),
            feedbackId: feedbackId(message, 1, recipient),
            reportingMTA: 'dsn; a8-50.smtp-out.amazonses.com',
          },
        },
      ];
    case 'suppressed':
      return [
        {
          eventType: 'Bounce',
          mail,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'OnAccountSuppressionList',
            bouncedRecipients: [
              {
                emailAddress: recipient,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode:
                  'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
              },
            ],
            timestamp: at(message, SUPPRESSED_AFTER_MS),
            feedbackId: feedbackId(message, 3, recipient),
            reportingMTA: 'dns; amazonses.com',
          },
        },
      ];
  }
}
