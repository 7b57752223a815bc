import type { EmailStatus } from './email-status';

/** Types of the events Postline POSTs to customers (the webhook envelope's `type`). */
export const WebhookEventType = {
  EmailStatus: 'email.status',
  ReputationWarning: 'account.reputation.warning',
  ReputationBlocked: 'account.reputation.blocked',
  ReputationUnblocked: 'account.reputation.unblocked',
  ReputationRecovered: 'account.reputation.recovered',
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
}
