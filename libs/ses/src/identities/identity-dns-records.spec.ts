import { identityDnsRecords, mailFromDomainOf } from './identity-dns-records';

describe(identityDnsRecords.name, () => {
  const tokens = ['tok1abc', 'tok2def', 'tok3ghi'];

  it('lists the three DKIM CNAMEs, the MAIL FROM MX and SPF, and a DMARC suggestion', () => {
    const records = identityDnsRecords({
      domain: 'EliPackage.test',
      dkimTokens: tokens,
      mailFromDomain: 'mail.elipackage.test',
      region: 'eu-west-1',
    });
    expect(records).toEqual([
      {
        purpose: 'DKIM',
        type: 'CNAME',
        name: 'tok1abc._domainkey.elipackage.test',
        value: 'tok1abc.dkim.amazonses.com',
        required: true,
      },
      {
        purpose: 'DKIM',
        type: 'CNAME',
        name: 'tok2def._domainkey.elipackage.test',
        value: 'tok2def.dkim.amazonses.com',
        required: true,
      },
      {
        purpose: 'DKIM',
        type: 'CNAME',
        name: 'tok3ghi._domainkey.elipackage.test',
        value: 'tok3ghi.dkim.amazonses.com',
        required: true,
      },
      expect.objectContaining({
        purpose: 'MAIL_FROM_MX',
        type: 'MX',
        name: 'mail.elipackage.test',
        value: 'feedback-smtp.eu-west-1.amazonses.com',
        priority: 10,
        required: true,
      }),
      {
        purpose: 'MAIL_FROM_SPF',
        type: 'TXT',
        name: 'mail.elipackage.test',
        value: 'v=spf1 include:amazonses.com ~all',
        required: true,
      },
      expect.objectContaining({
        purpose: 'DMARC',
        type: 'TXT',
        name: '_dmarc.elipackage.test',
        value: 'v=DMARC1; p=none;',
        required: false,
      }),
    ]);
  });

  it('points the DKIM CNAMEs into the signing zone SES names', () => {
    const [first] = identityDnsRecords({
      domain: 'elipackage.test',
      dkimTokens: tokens,
      dkimSigningZone: 'dkim.il-central-1.amazonses.com',
      region: 'il-central-1',
    });
    expect(first.value).toBe('tok1abc.dkim.il-central-1.amazonses.com');
  });

  it('leaves out the MAIL FROM records when no MAIL FROM domain is configured', () => {
    const records = identityDnsRecords({
      domain: 'elipackage.test',
      dkimTokens: tokens,
      mailFromDomain: null,
      region: 'us-east-1',
    });
    expect(records.map((r) => r.purpose)).toEqual(['DKIM', 'DKIM', 'DKIM', 'DMARC']);
  });

  it('builds the MAIL FROM domain from the configured subdomain', () => {
    expect(mailFromDomainOf('elipackage.test', 'Mail')).toBe('mail.elipackage.test');
    expect(mailFromDomainOf('elipackage.test', undefined)).toBeNull();
    expect(mailFromDomainOf('elipackage.test', '')).toBeNull();
  });
});
