import { Resolver } from 'node:dns/promises';
import type { MxRecord } from 'node:dns';

/** The DNS lookups the recipient domain check makes; node's Resolver fits, tests inject a fake. */
export interface DnsResolver {
  resolveMx(hostname: string): Promise<MxRecord[]>;
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
}

export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

/** The system's resolvers, one try each with the given timeout (the check adds its own overall deadline). */
export function systemDnsResolver(timeoutMs: number): DnsResolver {
  return new Resolver({ timeout: timeoutMs, tries: 1 });
}
