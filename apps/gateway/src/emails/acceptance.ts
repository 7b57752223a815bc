import { type EmailStatus, isRoleAddress, type Mailbox } from '@postline/contracts';
import { type AccountPolicy, isVerifiedSender } from '../senders/account-policy.service';

export interface AcceptanceDecision {
  status: EmailStatus;
  statusReason: string | null;
}

/**
 * The checks made when an email is accepted, in order of precedence. The suppression list is checked
 * afterwards, in the batch that stores the email (one query for many emails).
 */
export function decideAcceptance(policy: AccountPolicy, from: Mailbox, to: Mailbox): AcceptanceDecision {
  if (policy.blocked) {
    return {
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      statusReason: `account is blocked${policy.blockReason ? `: ${policy.blockReason}` : ''}`,
    };
  }
  if (!isVerifiedSender(policy, from.address)) {
    return { status: 'BAD_FROM', statusReason: `${from.address} is not a verified sender identity of this account` };
  }
  if (!policy.allowRoleAddresses && isRoleAddress(to.local)) {
    return {
      status: 'BAD_TO',
      statusReason: `${to.address} is a reserved role address; the account setting allowRoleAddresses permits it`,
    };
  }
  return { status: 'QUEUED', statusReason: null };
}
