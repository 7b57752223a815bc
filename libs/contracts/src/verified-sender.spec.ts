import { isVerifiedSender } from './address';

describe(isVerifiedSender.name, () => {
  const identities = new Set(['promo@elipackage.test', 'news.example.com', 'example.org']);

  it('allows a verified address, whatever the case of the from', () => {
    expect(isVerifiedSender(identities, 'promo@elipackage.test')).toBe(true);
    expect(isVerifiedSender(identities, 'Promo@ELIPACKAGE.test')).toBe(true);
  });

  it('does not extend a verified address to its domain or its neighbours', () => {
    expect(isVerifiedSender(identities, 'billing@elipackage.test')).toBe(false);
    expect(isVerifiedSender(identities, 'promo2@elipackage.test')).toBe(false);
  });

  it('allows any address of a verified domain, whatever its case', () => {
    expect(isVerifiedSender(identities, 'anyone@example.org')).toBe(true);
    expect(isVerifiedSender(identities, 'Someone@Example.ORG')).toBe(true);
  });

  it('does not let a verified parent domain cover its subdomains', () => {
    expect(isVerifiedSender(identities, 'a@mail.example.org')).toBe(false);
    expect(isVerifiedSender(identities, 'a@deep.news.example.com')).toBe(false);
  });

  it('does not let a verified subdomain cover its parent', () => {
    expect(isVerifiedSender(identities, 'a@example.com')).toBe(false);
    expect(isVerifiedSender(identities, 'a@news.example.com')).toBe(true);
  });

  it('refuses look-alike domains and anything that is not an address', () => {
    expect(isVerifiedSender(identities, 'a@badexample.org')).toBe(false);
    expect(isVerifiedSender(identities, 'a@example.org.evil.test')).toBe(false);
    expect(isVerifiedSender(identities, 'example.org')).toBe(false);
    expect(isVerifiedSender(identities, '@example.org')).toBe(false);
  });

  it('allows nothing for an account without verified identities', () => {
    expect(isVerifiedSender(new Set(), 'promo@elipackage.test')).toBe(false);
  });
});
