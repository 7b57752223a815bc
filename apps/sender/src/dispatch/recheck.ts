import { type EmailStatus, isRoleAddress, parseMailbox } from '@postline/contracts';

/** What the re-checks at pickup read about an email, its account and its recipient. */
export interface RecheckFacts {
  to: string;
  from: string;
  accountBlocked: boolean;
  blockReason: string | null;
  allowRoleAddresses: boolean;
  /** `from`, or its domain, is a VERIFIED identity of the account now. */
  fromVerified: boolean;
  /** Reason of the recipient's suppression entry, if any. */
  suppressedReason: string | null;
}

export type RecheckDecision = { pass: true } | { pass: false; status: EmailStatus; reason: string };

/**
 * The gateway's acceptance checks, made again when the email is taken from the queue: the account may have
 * been blocked, the identity unverified or the recipient suppressed since. Same order and statuses.
 */
export function recheck(facts: RecheckFacts): RecheckDecision {
  if (facts.accountBlocked) {
    return {
      pass: false,
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      reason: `account is blocked${facts.blockReason ? `: ${facts.blockReason}` : ''}`,
    };
  }
  const from = parseMailbox(facts.from);
  if ('error' in from || !facts.fromVerified) {
    return {
      pass: false,
      status: 'BAD_FROM',
      reason: `${facts.from} is not a verified sender identity of this account`,
    };
  }
  const to = parseMailbox(facts.to);
  if ('error' in to) return { pass: false, status: 'BAD_TO', reason: `${facts.to}: ${to.error}` };
  if (!facts.allowRoleAddresses && isRoleAddress(to.local)) {
    return {
      pass: false,
      status: 'BAD_TO',
      reason: `${to.address} is a reserved role address; the account setting allowRoleAddresses permits it`,
    };
  }
  if (facts.suppressedReason) {
    return {
      pass: false,
      status: 'BLACKLISTED',
      reason: `recipient is on the account's suppression list (${facts.suppressedReason})`,
    };
  }
  return { pass: true };
}
