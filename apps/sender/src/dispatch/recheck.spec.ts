import { recheck, type RecheckFacts } from './recheck';

describe(recheck.name, () => {
  const ok: RecheckFacts = {
    to: 'user@example.com',
    from: 'promo@shop.test',
    accountBlocked: false,
    blockReason: null,
    allowRoleAddresses: false,
    fromVerified: true,
    suppressedReason: null,
  };

  it('passes an email whose account, sender and recipient are still fine', () => {
    expect(recheck(ok)).toEqual({ pass: true });
  });

  it('blocks first when the account was blocked meanwhile', () => {
    expect(
      recheck({
        ...ok,
        accountBlocked: true,
        blockReason: 'bounce rate 6 %',
        fromVerified: false,
        suppressedReason: 'COMPLAINT',
      }),
    ).toEqual({
      pass: false,
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      reason: 'account is blocked: bounce rate 6 %',
    });
  });

  it('refuses a sender identity that is no longer verified', () => {
    expect(recheck({ ...ok, fromVerified: false })).toMatchObject({ pass: false, status: 'BAD_FROM' });
  });

  it('refuses role addresses unless the account allows them', () => {
    expect(recheck({ ...ok, to: 'Postmaster@example.com' })).toMatchObject({ pass: false, status: 'BAD_TO' });
    expect(recheck({ ...ok, to: 'postmaster@example.com', allowRoleAddresses: true })).toEqual({ pass: true });
  });

  it('refuses a recipient malformed or with a header breaker', () => {
    expect(recheck({ ...ok, to: 'a@b.test\r\nBcc: c@d.test' })).toMatchObject({ pass: false, status: 'BAD_TO' });
  });

  it('blacklists a recipient suppressed since acceptance', () => {
    expect(recheck({ ...ok, suppressedReason: 'UNSUBSCRIBE' })).toEqual({
      pass: false,
      status: 'BLACKLISTED',
      reason: "recipient is on the account's suppression list (UNSUBSCRIBE)",
    });
  });
});
