import type { EmailStatus } from './email-status';

/** Types of the events Postline POSTs to customers (the webhook envelope's `type`). */
export const WebhookEventType = {
  EmailStatus: 'email.status',
  ReputationWarning: 'account.reputation.warning',
  ReputationBlocked: 'account.reputation.blocked',
  ReputationUnblocked: 'account.reputation.unblocked',
  ReputationRecovered: 'account.reputation.recovered',
  /** One of the account's callback targets keeps failing: its deliveries wait (circuit open). */
  WebhookTargetFailing: 'account.webhook-target.failing',
} as const;
export type WebhookEventType = (typeof WebhookEventType)[keyof typeof WebhookEventType];

/** The body of every callback (Standard Webhooks envelope). */
export interface WebhookEnvelope<T = unknown> {
  id: string;
  type: WebhookEventType;
  timestamp: number;
  data: T;
}

export interface EmailStatusWebhookData {
  id: string;
  status: EmailStatus;
  previousStatus: EmailStatus | null;
  to: string;
  from: string;
  subject: string;
  externalId: string | null;
  clientId: string | null;
  alias: string | null;
  userName: string;
  operator: string;
  sequence: number;
  occurredAt: string;
  details: Record<string, unknown>;
  /** The email's tags, present when it has any. */
  tags?: { name: string; value: string }[];
}

/** `data` of `account.webhook-target.failing`. */
export interface WebhookTargetFailingData {
  /** The origin (scheme://host:port) whose callbacks fail. */
  target: string;
  /** Consecutive failed attempts. */
  failures: number;
  lastError: string | null;
  /** Until when its deliveries wait; then one is tried, and the rest follow if it succeeds. */
  retryAt: string;
}
