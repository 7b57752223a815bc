import { checkMailHost } from './mail-host-check';
import { FakeDnsResolver } from './testing/fake-dns-resolver';

describe(checkMailHost.name, () => {
  const dns = new FakeDnsResolver({
    'gmail.test': {
      mx: [
        { exchange: 'alt1.gmail-smtp-in.l.google.test', priority: 5 },
        { exchange: 'gmail-smtp-in.l.google.test', priority: 10 },
      ],
    },
    'nullmx.test': { mx: [{ exchange: '', priority: 0 }], a: ['192.0.2.1'] },
    'nullmx-dot.test': { mx: [{ exchange: '.', priority: 0 }] },
    'implicit.test': { a: ['192.0.2.10'] },
    'implicit6.test': { aaaa: ['2001:db8::1'] },
    'nohost.test': {},
    'servfail.test': { mx: 'ESERVFAIL' },
    'slow.test': { mx: 'hang' },
    'dnstimeout.test': { mx: 'ETIMEOUT' },
    'flaky-a.test': { a: 'ESERVFAIL' },
  });

  it('finds a domain with MX hosts deliverable', async () => {
    await expect(checkMailHost(dns, 'gmail.test', 500)).resolves.toEqual({ kind: 'deliverable' });
  });

  it('refuses a null MX (RFC 7505), even when the domain has an address', async () => {
    await expect(checkMailHost(dns, 'nullmx.test', 500)).resolves.toEqual({
      kind: 'undeliverable',
      reason: expect.stringContaining('null MX'),
    });
    await expect(checkMailHost(dns, 'nullmx-dot.test', 500)).resolves.toMatchObject({ kind: 'undeliverable' });
  });

  it('refuses a domain that does not exist (NXDOMAIN)', async () => {
    await expect(checkMailHost(dns, 'nowhere.test', 500)).resolves.toEqual({
      kind: 'undeliverable',
      reason: expect.stringContaining('does not exist'),
    });
  });

  it('falls back to the A or AAAA address when there is no MX (implicit MX)', async () => {
    await expect(checkMailHost(dns, 'implicit.test', 500)).resolves.toEqual({ kind: 'deliverable' });
    await expect(checkMailHost(dns, 'implicit6.test', 500)).resolves.toEqual({ kind: 'deliverable' });
  });

  it('refuses a domain with neither MX nor A/AAAA', async () => {
    await expect(checkMailHost(dns, 'nohost.test', 500)).resolves.toEqual({
      kind: 'undeliverable',
      reason: expect.stringContaining('no mail host'),
    });
  });

  it('fails open when the DNS does not answer in time', async () => {
    const started = Date.now();
    await expect(checkMailHost(dns, 'slow.test', 100)).resolves.toEqual({
      kind: 'unknown',
      reason: expect.stringContaining('100 ms'),
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails open on SERVFAIL or a resolver timeout', async () => {
    await expect(checkMailHost(dns, 'servfail.test', 500)).resolves.toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('ESERVFAIL'),
    });
    await expect(checkMailHost(dns, 'dnstimeout.test', 500)).resolves.toMatchObject({ kind: 'unknown' });
  });

  it('fails open when the address fallback fails for a reason other than "no such record"', async () => {
    await expect(checkMailHost(dns, 'flaky-a.test', 500)).resolves.toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('ESERVFAIL'),
    });
  });
});
