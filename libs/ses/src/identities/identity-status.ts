import type { SesIdentityState } from './ses-identity-state';

/** Postline's verification states (the IdentityStatus enum of the data model). Only VERIFIED may send. */
export type SenderIdentityStatus = 'PENDING' | 'VERIFIED' | 'FAILED' | 'TEMPORARY_FAILURE' | 'NOT_STARTED';

export type SenderIdentityKind = 'EMAIL_ADDRESS' | 'DOMAIN';

export interface IdentityVerdict {
  status: SenderIdentityStatus;
  reason: string;
}

/**
 * Maps SES's view of an identity to Postline's status:
 *
 * | SES VerificationStatus | VerifiedForSendingStatus | Postline          |
 * |------------------------|--------------------------|-------------------|
 * | any                    | true                     | VERIFIED          |
 * | SUCCESS                | false                    | VERIFIED          |
 * | PENDING                | false                    | PENDING           |
 * | TEMPORARY_FAILURE      | false                    | TEMPORARY_FAILURE |
 * | FAILED                 | false                    | FAILED            |
 * | NOT_STARTED            | false                    | NOT_STARTED       |
 * | absent (create answer) | false                    | PENDING           |
 *
 * SES's sending flag wins because it is what SES enforces: an address under a verified domain can send
 * while its own verification is pending, and a verified domain whose DNS check hit a temporary failure
 * keeps sending. PENDING and TEMPORARY_FAILURE are checked again by the periodic sync; FAILED and
 * NOT_STARTED need the identity to be added again (a new verification).
 */
export function identityVerdict(kind: SenderIdentityKind, state: SesIdentityState): IdentityVerdict {
  const sesStatus = state.verificationStatus;
  const error = state.errorType ? ` (${state.errorType})` : '';
  if (state.verifiedForSending || sesStatus === 'SUCCESS') {
    return {
      status: 'VERIFIED',
      reason:
        sesStatus === undefined || sesStatus === 'SUCCESS'
          ? 'verified by SES'
          : `SES allows sending although its verification status is ${sesStatus}${error}`,
    };
  }
  switch (sesStatus) {
    case 'TEMPORARY_FAILURE':
      return {
        status: 'TEMPORARY_FAILURE',
        reason: `SES could not check the identity for now${error}; it will check again`,
      };
    case 'FAILED':
      return {
        status: 'FAILED',
        reason:
          kind === 'EMAIL_ADDRESS'
            ? `SES verification failed${error}: the confirmation link was not clicked in time; add the sender again to resend it`
            : `SES verification failed${error}: the DKIM CNAME records were not found; publish them and add the sender again`,
      };
    case 'NOT_STARTED':
      return { status: 'NOT_STARTED', reason: 'SES has not started verifying this identity; add the sender again' };
    case 'PENDING':
    case undefined:
    default:
      // No status yet means a CreateEmailIdentity answer; an unknown future status is treated as pending.
      return {
        status: 'PENDING',
        reason:
          kind === 'EMAIL_ADDRESS'
            ? 'waiting for the confirmation link that SES emailed to this address to be clicked (valid 24 hours)'
            : `waiting for SES to find the DKIM CNAME records in DNS (it looks for up to 72 hours)${error}`,
      };
  }
}
