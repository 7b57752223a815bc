import type { WebhookEnvelope } from '@postline/contracts';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'EXHAUSTED' | 'GONE';

/** A delivery as the worker needs it: the row plus the account's signing secrets. */
export interface DeliveryRow {
  id: string;
  eventId: string;
  url: string;
  payload: WebhookEnvelope;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  webhookSecret: string;
  previousWebhookSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** What one attempt changes: written with the attempt log row (and the next attempt's job) in one transaction. */
export interface AttemptRecord {
  deliveryId: string;
  eventId: string;
  url: string;
  /** `attempts` as read before the attempt; the write only applies if no other worker recorded meanwhile. */
  seenAttempts: number;
  status: Exclude<DeliveryStatus, 'PENDING'>;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
  /** Delay of the next attempt's job; null when there is none. */
  retryInMs: number | null;
}
