import { SesEventType, type SesEventRecord } from './ses-event-record';

export type ParsedSesMessage =
  | { kind: 'event'; record: SesEventRecord }
  /** Plain text, e.g. "Successfully validated SNS topic for Amazon SES event publishing." */
  | { kind: 'text' }
  /** JSON but not an SES event Postline handles (another publisher on the topic, a future event type). */
  | { kind: 'unsupported'; reason: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const hasAddresses = (v: unknown): boolean =>
  Array.isArray(v) && v.every((r) => isObject(r) && isString(r.emailAddress));

/** The object each event type carries, and what it must hold for Postline to map it. */
const DETAIL: Record<SesEventType, { key: string; valid: (d: Json) => boolean }> = {
  Send: { key: 'send', valid: () => true },
  Delivery: { key: 'delivery', valid: (d) => isString(d.timestamp) && isStringArray(d.recipients) },
  Bounce: {
    key: 'bounce',
    valid: (d) => isString(d.bounceType) && isString(d.timestamp) && hasAddresses(d.bouncedRecipients),
  },
  Complaint: { key: 'complaint', valid: (d) => isString(d.timestamp) && hasAddresses(d.complainedRecipients) },
  Reject: { key: 'reject', valid: () => true },
  'Rendering Failure': { key: 'failure', valid: () => true },
  DeliveryDelay: {
    key: 'deliveryDelay',
    valid: (d) => isString(d.timestamp) && isString(d.delayType) && hasAddresses(d.delayedRecipients),
  },
  Open: { key: 'open', valid: (d) => isString(d.timestamp) },
  Click: { key: 'click', valid: (d) => isString(d.timestamp) && isString(d.link) },
  Subscription: { key: 'subscription', valid: (d) => isString(d.timestamp) },
};

// Events whose detail object may be absent in real output (`send: {}` is sometimes omitted).
const OPTIONAL_DETAIL = new Set<string>([SesEventType.Send]);

/**
 * Reads the `Message` of an SNS notification from an SES topic: the event record is a JSON string inside the
 * envelope. Identity-level notifications (`notificationType` instead of `eventType`) are read as the same
 * event types.
 */
export function parseSesEventMessage(message: string): ParsedSesMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return { kind: 'text' };
  }
  if (!isObject(raw)) return { kind: 'unsupported', reason: 'not an object' };
  const eventType = raw.eventType ?? raw.notificationType;
  if (!isString(eventType)) return { kind: 'unsupported', reason: 'no eventType' };
  if (!(eventType in DETAIL)) return { kind: 'unsupported', reason: `event type ${eventType}` };
  const mail = raw.mail;
  if (!isObject(mail) || !isString(mail.messageId) || !isString(mail.timestamp) || !isStringArray(mail.destination)) {
    return { kind: 'unsupported', reason: `${eventType} without a valid mail object` };
  }
  if (mail.tags !== undefined && !(isObject(mail.tags) && Object.values(mail.tags).every(isStringArray))) {
    return { kind: 'unsupported', reason: `${eventType} with malformed mail.tags` };
  }
  const rule = DETAIL[eventType as SesEventType];
  const detail = raw[rule.key];
  if (detail === undefined && OPTIONAL_DETAIL.has(eventType))
    return { kind: 'event', record: { ...raw, eventType } as SesEventRecord };
  if (!isObject(detail) || !rule.valid(detail))
    return { kind: 'unsupported', reason: `${eventType} without a valid ${rule.key} object` };
  return { kind: 'event', record: { ...raw, eventType } as SesEventRecord };
}
