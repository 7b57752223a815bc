import { Resolver } from 'node:dns/promises';
import type { MxRecord } from 'node:dns';

/** The DNS lookups the recipient domain check makes; node's Resolver fits, tests inject a fake. */
export interface DnsResolver {
  resolveMx(hostname: string): Promise<MxRecord[]>;
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
}

export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

/**
 * node's resolver, one try per server with the given timeout (the check adds its own overall deadline), on
 * the given servers (`ip[:port]`) or the system's.
 */
export function systemDnsResolver(timeoutMs: number, servers: readonly string[] = []): DnsResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers.length > 0) resolver.setServers(servers);
  return resolver;
}
