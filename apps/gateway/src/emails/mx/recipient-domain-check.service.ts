import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { metric } from '@postline/http';
import { Counter } from 'prom-client';
import type { Env } from '../../env';
import { DNS_RESOLVER, type DnsResolver } from './dns-resolver';
import { checkMailHost, type MailHostVerdict } from './mail-host-check';
import { mxCheckEnabled } from './mx-check-settings';

/** An unanswered lookup is retried after this long at most, not after the full TTL. */
const UNKNOWN_TTL_MS = 30_000;
/** Domains remembered at most; the oldest entry goes first. */
const MAX_ENTRIES = 50_000;

const lookups = metric(
  'postline_mx_lookups_total',
  () =>
    new Counter({
      name: 'postline_mx_lookups_total',
      help: 'Recipient domain DNS lookups, by verdict',
      labelNames: ['verdict'],
    }),
);

const NONE: ReadonlyMap<string, string> = new Map();

/**
 * The recipient domain check of acceptance: a domain that cannot receive mail makes its emails BAD_TO.
 * Verdicts are cached per process (a lookup in flight is shared), unknown ones only briefly, so a DNS
 * outage costs one timeout per domain per 30 s rather than one per email.
 */
@Injectable()
export class RecipientDomainCheck implements OnModuleInit {
  private readonly logger = new Logger(RecipientDomainCheck.name);
  private readonly cache = new Map<string, { verdict: Promise<MailHostVerdict>; expires: number }>();
  readonly enabled: boolean;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;

  constructor(
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
    config: ConfigService<Env, true>,
  ) {
    this.enabled = mxCheckEnabled({
      MX_CHECK_ENABLED: config.get('MX_CHECK_ENABLED', { infer: true }),
      SES_ENDPOINT: config.get('SES_ENDPOINT', { infer: true }),
      NODE_ENV: config.get('NODE_ENV', { infer: true }),
    });
    this.timeoutMs = config.get('MX_CHECK_TIMEOUT_MS', { infer: true });
    this.ttlMs = config.get('MX_CHECK_CACHE_TTL_MS', { infer: true });
  }

  onModuleInit(): void {
    this.logger.log(
      `recipient domain (MX) check ${this.enabled ? `on, timeout ${this.timeoutMs} ms, fails open` : 'off'}`,
    );
  }

  /** The domains among `domains` that cannot receive mail, each with the reason. All are looked up in parallel. */
  async undeliverable(domains: Iterable<string>): Promise<ReadonlyMap<string, string>> {
    if (!this.enabled) return NONE;
    const distinct = [...new Set(domains)];
    const verdicts = await Promise.all(distinct.map((domain) => this.verdict(domain)));
    const bad = new Map<string, string>();
    verdicts.forEach((verdict, i) => verdict.kind === 'undeliverable' && bad.set(distinct[i], verdict.reason));
    return bad;
  }

  private verdict(domain: string): Promise<MailHostVerdict> {
    const now = Date.now();
    const cached = this.cache.get(domain);
    if (cached && cached.expires > now) return cached.verdict;
    if (cached) this.cache.delete(domain);
    // Until it settles the entry lives for the whole timeout, so concurrent requests share the lookup.
    const entry = {
      verdict: checkMailHost(this.resolver, domain, this.timeoutMs),
      expires: now + this.timeoutMs + this.ttlMs,
    };
    this.cache.set(domain, entry);
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    void entry.verdict.then((verdict) => {
      lookups.inc({ verdict: verdict.kind });
      entry.expires = Date.now() + (verdict.kind === 'unknown' ? Math.min(UNKNOWN_TTL_MS, this.ttlMs) : this.ttlMs);
      if (verdict.kind === 'unknown')
        this.logger.warn(`MX check of ${domain} inconclusive, accepted: ${verdict.reason}`);
    });
    return entry.verdict;
  }
}
