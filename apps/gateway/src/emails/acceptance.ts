import { type EmailStatus, isRoleAddress, isVerifiedSender, type Mailbox } from '@postline/contracts';
import type { AccountPolicy } from '../senders/account-policy.service';

export interface AcceptanceDecision {
  status: EmailStatus;
  statusReason: string | null;
}

/**
 * The checks made when an email is accepted, in order of precedence. `undeliverableDomain` is the reason
 * the recipient's domain cannot receive mail, when the MX check (run beforehand for all the request's
 * domains at once) found one. The suppression list is checked afterwards, in the batch that stores the
 * email (one query for many emails).
 */
export function decideAcceptance(
  policy: AccountPolicy,
  from: Mailbox,
  to: Mailbox,
  undeliverableDomain?: string,
): AcceptanceDecision {
  if (policy.blocked) {
    return {
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      statusReason: `account is blocked${policy.blockReason ? `: ${policy.blockReason}` : ''}`,
    };
  }
  if (!isVerifiedSender(policy.verifiedIdentities, from.address)) {
    return { status: 'BAD_FROM', statusReason: `${from.address} is not a verified sender identity of this account` };
  }
  if (!policy.allowRoleAddresses && isRoleAddress(to.local)) {
    return {
      status: 'BAD_TO',
      statusReason: `${to.address} is a reserved role address; the account setting allowRoleAddresses permits it`,
    };
  }
  if (undeliverableDomain) return { status: 'BAD_TO', statusReason: `${to.address}: ${undeliverableDomain}` };
  return { status: 'QUEUED', statusReason: null };
}
