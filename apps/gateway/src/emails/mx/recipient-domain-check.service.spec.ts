import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../env';
import { mxCheckEnabled } from './mx-check-settings';
import { RecipientDomainCheck } from './recipient-domain-check.service';
import { FakeDnsResolver } from './testing/fake-dns-resolver';

function config(values: Partial<Record<keyof Env, unknown>>): ConfigService<Env, true> {
  const all: Partial<Record<keyof Env, unknown>> = {
    MX_CHECK_ENABLED: 'true',
    MX_CHECK_TIMEOUT_MS: 100,
    MX_CHECK_CACHE_TTL_MS: 60_000,
    NODE_ENV: 'production',
    ...values,
  };
  return { get: (key: keyof Env) => all[key] } as unknown as ConfigService<Env, true>;
}

describe(RecipientDomainCheck.name, () => {
  let dns: FakeDnsResolver;

  beforeEach(() => {
    dns = new FakeDnsResolver({
      'ok.test': { mx: [{ exchange: 'mx.ok.test', priority: 10 }] },
      'nullmx.test': { mx: [{ exchange: '', priority: 0 }] },
      'slow.test': { mx: 'hang' },
    });
  });

  it('returns the undeliverable domains among many, each looked up once, in parallel', async () => {
    const sut = new RecipientDomainCheck(dns, config({}));
    const started = Date.now();
    const bad = await sut.undeliverable(['ok.test', 'nullmx.test', 'ok.test', 'gone.test', 'slow.test', 'nullmx.test']);
    expect([...bad.keys()].sort()).toEqual(['gone.test', 'nullmx.test']);
    expect(bad.get('nullmx.test')).toContain('null MX');
    // One hanging domain costs one timeout for the whole request, not one per domain.
    expect(Date.now() - started).toBeLessThan(600);
    expect(dns.lookups.filter((l) => l === 'mx ok.test')).toHaveLength(1);
  });

  it('reuses verdicts from its cache, and shares a lookup in flight', async () => {
    const sut = new RecipientDomainCheck(dns, config({}));
    await Promise.all([sut.undeliverable(['ok.test']), sut.undeliverable(['ok.test'])]);
    await sut.undeliverable(['ok.test', 'nullmx.test']);
    await sut.undeliverable(['nullmx.test']);
    expect(dns.lookups).toEqual(['mx ok.test', 'mx nullmx.test']);
  });

  it('looks a domain up again once its verdict expired', async () => {
    const sut = new RecipientDomainCheck(dns, config({ MX_CHECK_CACHE_TTL_MS: 0 }));
    await sut.undeliverable(['ok.test']);
    await new Promise((r) => setTimeout(r, 5));
    await sut.undeliverable(['ok.test']);
    expect(dns.lookups).toEqual(['mx ok.test', 'mx ok.test']);
  });

  it('accepts a domain whose lookup times out (fail open)', async () => {
    const sut = new RecipientDomainCheck(dns, config({}));
    await expect(sut.undeliverable(['slow.test'])).resolves.toEqual(new Map());
  });

  it('looks nothing up when disabled', async () => {
    const sut = new RecipientDomainCheck(dns, config({ MX_CHECK_ENABLED: 'false' }));
    await expect(sut.undeliverable(['gone.test'])).resolves.toEqual(new Map());
    expect(dns.lookups).toEqual([]);
  });
});

describe(mxCheckEnabled.name, () => {
  it('is on against AWS, off with the local emulator or under tests, unless set explicitly', () => {
    expect(mxCheckEnabled({ NODE_ENV: 'production' })).toBe(true);
    expect(mxCheckEnabled({ NODE_ENV: 'production', SES_ENDPOINT: 'http://127.0.0.1:8005' })).toBe(false);
    expect(mxCheckEnabled({ NODE_ENV: 'test' })).toBe(false);
    expect(mxCheckEnabled({ NODE_ENV: 'test', MX_CHECK_ENABLED: 'true' })).toBe(true);
    expect(mxCheckEnabled({ NODE_ENV: 'production', MX_CHECK_ENABLED: 'false' })).toBe(false);
    expect(mxCheckEnabled({ SES_ENDPOINT: 'http://127.0.0.1:8005', MX_CHECK_ENABLED: '1' })).toBe(true);
  });
});
