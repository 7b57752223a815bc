/** Every status an email can have (DESIGN §4). */
export const EmailStatus = {
  SCHEDULED: 'SCHEDULED',
  QUEUED: 'QUEUED',
  DEQUEUED: 'DEQUEUED',
  BAD_TO: 'BAD_TO',
  BAD_FROM: 'BAD_FROM',
  BLACKLISTED: 'BLACKLISTED',
  BLOCKED_DUE_BAD_BEHAVIOUR: 'BLOCKED_DUE_BAD_BEHAVIOUR',
  NOT_SENT: 'NOT_SENT',
  EXHAUSTED: 'EXHAUSTED',
  INCOMPLETE: 'INCOMPLETE',
  SENT: 'SENT',
  DELAYED: 'DELAYED',
  BOUNCED: 'BOUNCED',
  DELIVERED: 'DELIVERED',
  OPEN: 'OPEN',
  CLICK: 'CLICK',
  UNSUBSCRIBED: 'UNSUBSCRIBED',
  BOUNCED_PERMANENT: 'BOUNCED_PERMANENT',
  COMPLAINED: 'COMPLAINED',
  CANCELED: 'CANCELED',
} as const;
export type EmailStatus = (typeof EmailStatus)[keyof typeof EmailStatus];
export const EMAIL_STATUSES = Object.values(EmailStatus);

/**
 * One total order over every status; an email's status only moves up it (DESIGN §4). Because the order is
 * total, the final status is the highest one seen, whatever order events arrive in.
 * - The progress rank of the design: QUEUED < DEQUEUED < SENT < DELAYED < BOUNCED < DELIVERED < OPEN < CLICK
 *   < UNSUBSCRIBED < BOUNCED_PERMANENT < COMPLAINED.
 * - Refusals decided before SES (BLOCKED…, BAD_FROM, BAD_TO, EXHAUSTED, INCOMPLETE) sit between DEQUEUED and SENT:
 *   they end a queued email, and SES evidence that the message did go out (a Send event) still wins over them.
 *   INCOMPLETE (its placeholders could not be filled) is decided by the sender before any SES call, so no SES
 *   event can follow it; it sits above EXHAUSTED only to keep the order total.
 * - NOT_SENT and BLACKLISTED also mean "SES accepted the call but never sent it" (Reject, Rendering Failure,
 *   OnAccountSuppressionList), so they sit between DELAYED and BOUNCED: they replace SENT or DELAYED, never a
 *   status that implies the message went out.
 * - SCHEDULED (held until `sendAt`) sits below QUEUED: the due pass moves it up to QUEUED, and it can be ended by
 *   any refusal. CANCELED (cancelled while SCHEDULED) sits among the refusals before SES, above QUEUED and
 *   DEQUEUED: a release that lost the race to a cancel can never reopen it. Cancel itself is allowed only from
 *   SCHEDULED (checked under the email's row lock); the rank only guarantees nothing before SES undoes it.
 */
const RANK: Record<EmailStatus, number> = {
  SCHEDULED: -10,
  QUEUED: 0,
  DEQUEUED: 10,
  BLOCKED_DUE_BAD_BEHAVIOUR: 11,
  BAD_FROM: 12,
  BAD_TO: 13,
  EXHAUSTED: 14,
  INCOMPLETE: 15,
  CANCELED: 16,
  SENT: 20,
  DELAYED: 30,
  NOT_SENT: 34,
  BLACKLISTED: 36,
  BOUNCED: 40,
  DELIVERED: 50,
  OPEN: 60,
  CLICK: 70,
  UNSUBSCRIBED: 80,
  BOUNCED_PERMANENT: 90,
  COMPLAINED: 100,
};

/** Statuses that end the life of an email that never reached (or was never sent by) SES. */
export const PRE_SEND_TERMINAL: ReadonlySet<EmailStatus> = new Set<EmailStatus>([
  'BAD_TO',
  'BAD_FROM',
  'BLACKLISTED',
  'BLOCKED_DUE_BAD_BEHAVIOUR',
  'NOT_SENT',
  'EXHAUSTED',
  'INCOMPLETE',
]);

export function isTerminalBeforeSend(status: EmailStatus): boolean {
  return PRE_SEND_TERMINAL.has(status);
}

export function statusRank(status: EmailStatus): number {
  return RANK[status];
}

/** True for statuses only SES can report once it has sent the message (SENT and up, refusals aside). */
export function isSesEvidence(status: EmailStatus): boolean {
  return RANK[status] >= RANK.SENT && !PRE_SEND_TERMINAL.has(status);
}

export interface TransitionDecision {
  apply: boolean;
  /** Why a candidate was ignored; useful in logs. */
  reason?: string;
}

/** The one rule for every status write: does `candidate` replace `current`? */
export function decideTransition(current: EmailStatus, candidate: EmailStatus): TransitionDecision {
  if (current === candidate) return { apply: false, reason: 'same status' };
  if (RANK[candidate] > RANK[current]) return { apply: true };
  return { apply: false, reason: `${candidate} does not replace ${current}` };
}
