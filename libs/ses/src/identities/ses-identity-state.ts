import type {
  CreateEmailIdentityResponse,
  DkimStatus,
  GetEmailIdentityResponse,
  IdentityType,
  MailFromDomainStatus,
  VerificationError,
  VerificationStatus,
} from '@aws-sdk/client-sesv2';

/** What Postline keeps of an SES identity, read from CreateEmailIdentity or GetEmailIdentity. */
export interface SesIdentityState {
  identityType?: IdentityType;
  /** Absent in a CreateEmailIdentity answer (SES reports it only through GetEmailIdentity). */
  verificationStatus?: VerificationStatus;
  /** SES's own "may send from it" flag; true also for an address whose domain is verified. */
  verifiedForSending: boolean;
  /** The three Easy DKIM tokens of a domain (empty for an address). */
  dkimTokens: string[];
  dkimStatus?: DkimStatus;
  /** Zone the DKIM CNAMEs point into; SES omits it in some answers. */
  dkimSigningZone?: string;
  mailFromDomain?: string;
  mailFromStatus?: MailFromDomainStatus;
  /** Why the last verification attempt failed (DNS_SERVER_ERROR, HOST_NOT_FOUND, TYPE_NOT_FOUND, …). */
  errorType?: VerificationError;
  lastCheckedAt?: Date;
}

/** Reads a CreateEmailIdentity answer. */
export function stateFromCreate(response: CreateEmailIdentityResponse): SesIdentityState {
  return {
    identityType: response.IdentityType,
    verifiedForSending: response.VerifiedForSendingStatus === true,
    dkimTokens: response.DkimAttributes?.Tokens ?? [],
    dkimStatus: response.DkimAttributes?.Status,
    dkimSigningZone: response.DkimAttributes?.SigningHostedZone,
  };
}

/** Reads a GetEmailIdentity answer. */
export function stateFromGet(response: GetEmailIdentityResponse): SesIdentityState {
  return {
    identityType: response.IdentityType,
    verificationStatus: response.VerificationStatus,
    verifiedForSending: response.VerifiedForSendingStatus === true,
    dkimTokens: response.DkimAttributes?.Tokens ?? [],
    dkimStatus: response.DkimAttributes?.Status,
    dkimSigningZone: response.DkimAttributes?.SigningHostedZone,
    mailFromDomain: response.MailFromAttributes?.MailFromDomain || undefined,
    mailFromStatus: response.MailFromAttributes?.MailFromDomainStatus,
    errorType: response.VerificationInfo?.ErrorType,
    lastCheckedAt: response.VerificationInfo?.LastCheckedTimestamp,
  };
}
