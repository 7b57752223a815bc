import { identityVerdict } from './identity-status';
import type { SesIdentityState } from './ses-identity-state';

const state = (over: Partial<SesIdentityState>): SesIdentityState => ({
  verifiedForSending: false,
  dkimTokens: [],
  ...over,
});

describe(identityVerdict.name, () => {
  it.each([
    ['SUCCESS', true, 'VERIFIED'],
    ['PENDING', false, 'PENDING'],
    ['FAILED', false, 'FAILED'],
    ['TEMPORARY_FAILURE', false, 'TEMPORARY_FAILURE'],
    ['NOT_STARTED', false, 'NOT_STARTED'],
  ] as const)('maps SES %s (sending %s) to %s', (sesStatus, verifiedForSending, expected) => {
    expect(identityVerdict('DOMAIN', state({ verificationStatus: sesStatus, verifiedForSending })).status).toBe(
      expected,
    );
    expect(identityVerdict('EMAIL_ADDRESS', state({ verificationStatus: sesStatus, verifiedForSending })).status).toBe(
      expected,
    );
  });

  it('keeps a verified domain sending through a temporary DNS failure, as SES does', () => {
    const verdict = identityVerdict(
      'DOMAIN',
      state({ verificationStatus: 'TEMPORARY_FAILURE', verifiedForSending: true, errorType: 'DNS_SERVER_ERROR' }),
    );
    expect(verdict).toEqual({
      status: 'VERIFIED',
      reason: expect.stringContaining('TEMPORARY_FAILURE (DNS_SERVER_ERROR)'),
    });
  });

  it('lets an address send when SES allows it although its own verification is pending (its domain is verified)', () => {
    expect(
      identityVerdict('EMAIL_ADDRESS', state({ verificationStatus: 'PENDING', verifiedForSending: true })).status,
    ).toBe('VERIFIED');
  });

  it('treats a create answer (no status yet) as pending, or verified when SES already allows sending', () => {
    expect(identityVerdict('DOMAIN', state({})).status).toBe('PENDING');
    expect(identityVerdict('DOMAIN', state({ verifiedForSending: true })).status).toBe('VERIFIED');
  });

  it('says what to do next', () => {
    expect(identityVerdict('EMAIL_ADDRESS', state({ verificationStatus: 'PENDING' })).reason).toContain(
      'confirmation link',
    );
    expect(identityVerdict('DOMAIN', state({ verificationStatus: 'PENDING' })).reason).toContain('DKIM CNAME');
    expect(
      identityVerdict('DOMAIN', state({ verificationStatus: 'FAILED', errorType: 'HOST_NOT_FOUND' })).reason,
    ).toMatch(/failed \(HOST_NOT_FOUND\).*publish them and add the sender again/);
    expect(identityVerdict('EMAIL_ADDRESS', state({ verificationStatus: 'FAILED' })).reason).toContain('resend');
  });
});
