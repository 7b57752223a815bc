export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'EXHAUSTED' | 'GONE';

/** A delivery as the worker claimed it (due, leased to this worker): the row plus the account's signing secrets. */
export interface DeliveryRow {
  id: string;
  accountId: string;
  /** The URL's origin: with the account, the unit of fair sharing and of the circuit breaker. */
  target: string;
  eventId: string;
  url: string;
  /** The envelope as the change that caused it wrote it: POSTed and signed byte for byte. */
  body: string;
  attempts: number;
  /** When the status change that caused it was recorded (epoch ms): the start of the event→callback latency. */
  createdAtMs?: number;
  webhookSecret: string;
  previousWebhookSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** What one attempt changes: written with the attempt log row in one statement. */
export interface AttemptRecord {
  deliveryId: string;
  accountId: string;
  target: string;
  /** The attempt counts against the target's circuit (it failed and may be retried); a 2xx resets it. */
  targetFailed: boolean;
  eventId: string;
  url: string;
  /** `attempts` as read before the attempt; the write only applies if no other worker recorded meanwhile. */
  seenAttempts: number;
  status: Exclude<DeliveryStatus, 'PENDING'>;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
  /** Delay until the next attempt; null when there is none. */
  retryInMs: number | null;
}
