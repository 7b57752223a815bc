import type { MxRecord } from 'node:dns';
import type { DnsResolver } from '../dns-resolver';

/** One domain's DNS in the fake: records, or the error code a lookup fails with, or 'hang' (never answers). */
export interface FakeZone {
  mx?: MxRecord[] | string;
  a?: string[] | string;
  aaaa?: string[] | string;
}

/**
 * A DNS for tests. Unknown domains are NXDOMAIN (ENOTFOUND); a record type a known domain lacks is
 * ENODATA, as node:dns reports them. Counts the lookups it answers.
 */
export class FakeDnsResolver implements DnsResolver {
  readonly lookups: string[] = [];

  constructor(private readonly zones: Record<string, FakeZone> = {}) {}

  set(domain: string, zone: FakeZone): void {
    this.zones[domain] = zone;
  }

  resolveMx(hostname: string): Promise<MxRecord[]> {
    return this.answer(hostname, 'mx');
  }

  resolve4(hostname: string): Promise<string[]> {
    return this.answer(hostname, 'a');
  }

  resolve6(hostname: string): Promise<string[]> {
    return this.answer(hostname, 'aaaa');
  }

  private answer<T>(hostname: string, type: keyof FakeZone): Promise<T> {
    this.lookups.push(`${type} ${hostname}`);
    const zone = this.zones[hostname];
    if (!zone) return Promise.reject(dnsError('ENOTFOUND', hostname));
    const value = zone[type];
    if (value === undefined) return Promise.reject(dnsError('ENODATA', hostname));
    if (value === 'hang') return new Promise<T>(() => undefined);
    if (typeof value === 'string') return Promise.reject(dnsError(value, hostname));
    return Promise.resolve(value as T);
  }
}

function dnsError(code: string, hostname: string): Error {
  return Object.assign(new Error(`query ${code} ${hostname}`), { code, hostname });
}
