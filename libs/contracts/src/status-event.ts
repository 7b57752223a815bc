import type { EmailStatus } from './email-status';

export type EventSource = 'GATEWAY' | 'SENDER' | 'SES' | 'UNSUBSCRIBE' | 'OPERATOR';
export type SuppressionReason = 'HARD_BOUNCE' | 'COMPLAINT' | 'UNSUBSCRIBE' | 'MANUAL';
export type DispatchState = 'NONE' | 'STARTED' | 'CONFIRMED' | 'AMBIGUOUS';

/** Email columns an event sets besides its status. */
export interface EmailPatch {
  sesMessageId?: string;
  dispatchState?: DispatchState;
  /** The sender's dispatch bookkeeping, written with the DEQUEUED status that starts it. */
  dispatchStartedAt?: Date;
  dispatchAttempts?: number;
  /** Names the dispatch attempt that wrote STARTED. */
  dispatchToken?: string;
  /** Kept when already set. */
  dequeuedAt?: Date;
}

/** Something that happened to one email; the recorder decides whether it changes the status. */
export interface StatusEvent {
  emailId: string;
  /** The status this event maps to (DESIGN §4). */
  status: EmailStatus;
  source: EventSource;
  /** Natural key of the source event: a duplicate of it is recorded once. */
  sourceId: string;
  /** SES eventType or internal step name, kept in the history. */
  type: string;
  occurredAt: Date;
  details?: Record<string, unknown>;
  statusReason?: string;
  /** Put the recipient on the account's suppression list. */
  suppress?: SuppressionReason;
  /**
   * The cc or bcc recipient the event is about (absent: the email's `to`). Such an event is kept in the
   * history, suppresses that address and counts for reputation, but leaves the email's status alone.
   */
  recipient?: string;
  /**
   * Facts to store whatever the status decision (a late SENT still brings the SES MessageId), written with
   * the status in the same row version. Not applied when the event is a duplicate.
   */
  patch?: EmailPatch;
}

export type RecordOutcome = 'applied' | 'unchanged' | 'duplicate' | 'unknown-email';

export interface RecordResult {
  sourceId: string;
  emailId: string;
  outcome: RecordOutcome;
  previousStatus?: EmailStatus;
  status?: EmailStatus;
}
