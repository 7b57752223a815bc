import type {
  CreateEmailIdentityCommandOutput,
  GetEmailIdentityCommandOutput,
  VerificationStatus,
} from '@aws-sdk/client-sesv2';

// Answers in the shape SES v2 returns them (API reference, CreateEmailIdentity / GetEmailIdentity), as the
// SDK hands them back after deserialising.

export const DKIM_TOKENS = [
  'hq4tpe2lcfvpnwh3qqkvgzhdf7gcxbbd',
  '4ybsm5tnkwxoubyb4gwwqm4jyaz6h3rb',
  'wsz6szvvvv3ruu7azdddp3rodsseu7qv',
];

const metadata = {
  httpStatusCode: 200,
  requestId: '5a8ba8f4-0ba2-4a4b-8b8a-4f0a5c9e7b21',
  attempts: 1,
  totalRetryDelay: 0,
};

export function createdDomain(): CreateEmailIdentityCommandOutput {
  return {
    $metadata: metadata,
    IdentityType: 'DOMAIN',
    VerifiedForSendingStatus: false,
    DkimAttributes: {
      SigningEnabled: true,
      Status: 'PENDING',
      Tokens: [...DKIM_TOKENS],
      SigningHostedZone: 'dkim.amazonses.com',
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_2048_BIT',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
      LastKeyGenerationTimestamp: new Date('2026-11-26T09:00:00Z'),
    },
  };
}

export function createdAddress(): CreateEmailIdentityCommandOutput {
  return {
    $metadata: metadata,
    IdentityType: 'EMAIL_ADDRESS',
    VerifiedForSendingStatus: false,
    DkimAttributes: { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [], SigningAttributesOrigin: 'AWS_SES' },
  };
}

export function domainIdentity(
  status: VerificationStatus,
  opts: {
    verifiedForSending?: boolean;
    mailFromStatus?: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';
    errorType?: 'HOST_NOT_FOUND' | 'TYPE_NOT_FOUND' | 'DNS_SERVER_ERROR';
  } = {},
): GetEmailIdentityCommandOutput {
  return {
    $metadata: metadata,
    IdentityType: 'DOMAIN',
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: opts.verifiedForSending ?? status === 'SUCCESS',
    DkimAttributes: {
      SigningEnabled: true,
      Status: status,
      Tokens: [...DKIM_TOKENS],
      SigningHostedZone: 'dkim.amazonses.com',
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_2048_BIT',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
      LastKeyGenerationTimestamp: new Date('2026-11-26T09:00:00Z'),
    },
    MailFromAttributes: {
      MailFromDomain: 'mail.elipackage.test',
      MailFromDomainStatus: opts.mailFromStatus ?? 'PENDING',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    },
    Policies: {},
    Tags: [],
    VerificationStatus: status,
    VerificationInfo: {
      LastCheckedTimestamp: new Date('2026-11-26T10:00:00Z'),
      ...(status === 'SUCCESS' ? { LastSuccessTimestamp: new Date('2026-11-26T10:00:00Z') } : {}),
      ...(opts.errorType ? { ErrorType: opts.errorType } : {}),
    },
  };
}

export function addressIdentity(
  status: VerificationStatus,
  opts: { verifiedForSending?: boolean } = {},
): GetEmailIdentityCommandOutput {
  return {
    $metadata: metadata,
    IdentityType: 'EMAIL_ADDRESS',
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: opts.verifiedForSending ?? status === 'SUCCESS',
    DkimAttributes: { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [], SigningAttributesOrigin: 'AWS_SES' },
    Policies: {},
    Tags: [],
    VerificationStatus: status,
    VerificationInfo: { LastCheckedTimestamp: new Date('2026-11-26T10:00:00Z') },
  };
}
