import type { EmailStatus } from './email-status';

/** Things that happen to an email at least once; counted once per email in reports and reputation. */
export const Milestone = {
  Sent: 'sent',
  Delayed: 'delayed',
  Delivered: 'delivered',
  Opened: 'opened',
  Clicked: 'clicked',
  SoftBounced: 'softBounced',
  HardBounced: 'hardBounced',
  Complained: 'complained',
  Unsubscribed: 'unsubscribed',
  Rejected: 'rejected',
} as const;
export type Milestone = (typeof Milestone)[keyof typeof Milestone];

/** The milestone an event mapped to a status reaches, and the Email column that records when. */
export const MILESTONE_OF_STATUS: Partial<Record<EmailStatus, Milestone>> = {
  SENT: 'sent',
  DELAYED: 'delayed',
  DELIVERED: 'delivered',
  OPEN: 'opened',
  CLICK: 'clicked',
  BOUNCED: 'softBounced',
  BOUNCED_PERMANENT: 'hardBounced',
  COMPLAINED: 'complained',
  UNSUBSCRIBED: 'unsubscribed',
  BAD_TO: 'rejected',
  BAD_FROM: 'rejected',
  BLACKLISTED: 'rejected',
  BLOCKED_DUE_BAD_BEHAVIOUR: 'rejected',
  NOT_SENT: 'rejected',
  EXHAUSTED: 'rejected',
  INCOMPLETE: 'rejected',
};

export const MILESTONE_COLUMN: Record<Milestone, string> = {
  sent: 'sentAt',
  delayed: 'delayedAt',
  delivered: 'deliveredAt',
  opened: 'openedAt',
  clicked: 'clickedAt',
  softBounced: 'softBouncedAt',
  hardBounced: 'hardBouncedAt',
  complained: 'complainedAt',
  unsubscribed: 'unsubscribedAt',
  rejected: 'rejectedAt',
};
