/**
 * SES event records as SES publishes them to SNS (configuration-set event publishing), field names exactly as
 * AWS documents them: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html.
 * Only the fields Postline reads are typed; records are stored whole.
 */
export const SesEventType = {
  Send: 'Send',
  Delivery: 'Delivery',
  Bounce: 'Bounce',
  Complaint: 'Complaint',
  Reject: 'Reject',
  RenderingFailure: 'Rendering Failure',
  DeliveryDelay: 'DeliveryDelay',
  Open: 'Open',
  Click: 'Click',
  Subscription: 'Subscription',
} as const;
export type SesEventType = (typeof SesEventType)[keyof typeof SesEventType];
export const SES_EVENT_TYPES: readonly string[] = Object.values(SesEventType);

export interface SesMail {
  timestamp: string;
  messageId: string;
  source?: string;
  sourceArn?: string;
  sendingAccountId?: string;
  destination: string[];
  headersTruncated?: boolean;
  headers?: { name: string; value: string }[];
  commonHeaders?: Record<string, unknown>;
  /** Every value is an array; our own EmailTags (email_id) appear here. */
  tags?: Record<string, string[]>;
}

export interface SesBouncedRecipient {
  emailAddress: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
}

export interface SesBounce {
  bounceType: 'Permanent' | 'Transient' | 'Undetermined';
  bounceSubType: string;
  bouncedRecipients: SesBouncedRecipient[];
  timestamp: string;
  feedbackId?: string;
  reportingMTA?: string;
  remoteMtaIp?: string;
}

export interface SesComplaint {
  complainedRecipients: { emailAddress: string }[];
  timestamp: string;
  feedbackId?: string;
  complaintSubType?: string | null;
  complaintFeedbackType?: string;
  userAgent?: string;
  arrivalDate?: string;
}

export interface SesDelivery {
  timestamp: string;
  processingTimeMillis?: number;
  recipients: string[];
  smtpResponse?: string;
  reportingMTA?: string;
  remoteMtaIp?: string;
}

export interface SesDeliveryDelay {
  timestamp: string;
  delayType: string;
  expirationTime?: string;
  delayedRecipients: { emailAddress: string; status?: string; diagnosticCode?: string }[];
  reportingMTA?: string;
}

export interface SesReject {
  reason: string;
}

export interface SesRenderingFailure {
  errorMessage: string;
  templateName?: string;
}

export interface SesOpen {
  timestamp: string;
  ipAddress?: string;
  userAgent?: string;
}

export interface SesClick extends SesOpen {
  link: string;
  linkTags?: Record<string, string[]>;
}

export interface SesSubscription {
  contactList?: string;
  timestamp: string;
  source?: string;
  newTopicPreferences?: unknown;
  oldTopicPreferences?: unknown;
}

interface SesRecordBase {
  mail: SesMail;
}

export type SesEventRecord =
  | (SesRecordBase & { eventType: 'Send'; send?: Record<string, unknown> })
  | (SesRecordBase & { eventType: 'Delivery'; delivery: SesDelivery })
  | (SesRecordBase & { eventType: 'Bounce'; bounce: SesBounce })
  | (SesRecordBase & { eventType: 'Complaint'; complaint: SesComplaint })
  | (SesRecordBase & { eventType: 'Reject'; reject: SesReject })
  | (SesRecordBase & { eventType: 'Rendering Failure'; failure: SesRenderingFailure })
  | (SesRecordBase & { eventType: 'DeliveryDelay'; deliveryDelay: SesDeliveryDelay })
  | (SesRecordBase & { eventType: 'Open'; open: SesOpen })
  | (SesRecordBase & { eventType: 'Click'; click: SesClick })
  | (SesRecordBase & { eventType: 'Subscription'; subscription: SesSubscription });

/** The EmailTags Postline adds to every SendEmail; SES echoes them in `mail.tags`. */
export const EMAIL_ID_TAG = 'email_id';
export const ACCOUNT_ID_TAG = 'account_id';
