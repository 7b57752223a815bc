import type { MxRecord } from 'node:dns';
import type { DnsResolver } from './dns-resolver';

/**
 * Whether a domain can receive mail. `undeliverable` is certain (the DNS said so); `unknown` means the DNS
 * did not answer in time or failed, and the email is accepted (fail open: a DNS outage never blocks sending).
 */
export type MailHostVerdict =
  { kind: 'deliverable' } | { kind: 'undeliverable'; reason: string } | { kind: 'unknown'; reason: string };

// node:dns error codes: the name does not exist (NXDOMAIN) / exists without records of that type.
const NOT_FOUND = 'ENOTFOUND';
const NO_DATA = 'ENODATA';

/**
 * RFC 5321 §5.1: mail goes to the domain's MX hosts, or, without any MX record, to the domain's own
 * A/AAAA address (implicit MX). RFC 7505: a single MX `0 .` (null MX) says the domain accepts no mail.
 */
export async function checkMailHost(
  resolver: DnsResolver,
  domain: string,
  timeoutMs: number,
): Promise<MailHostVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<MailHostVerdict>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: 'unknown', reason: `DNS did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([lookup(resolver, domain), deadline]);
  } catch (error) {
    return { kind: 'unknown', reason: `DNS lookup failed: ${codeOf(error) ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

async function lookup(resolver: DnsResolver, domain: string): Promise<MailHostVerdict> {
  let records: MxRecord[] = [];
  try {
    records = await resolver.resolveMx(domain);
  } catch (error) {
    const code = codeOf(error);
    if (code === NOT_FOUND) return { kind: 'undeliverable', reason: `the domain ${domain} does not exist` };
    if (code !== NO_DATA) return { kind: 'unknown', reason: `MX lookup failed: ${code ?? String(error)}` };
  }
  const hosts = records.filter((r) => r.exchange !== '' && r.exchange !== '.');
  if (hosts.length > 0) return { kind: 'deliverable' };
  if (records.length > 0)
    return { kind: 'undeliverable', reason: `the domain ${domain} accepts no mail (null MX, RFC 7505)` };

  const answers = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  if (answers.some((a) => a.status === 'fulfilled' && a.value.length > 0)) return { kind: 'deliverable' };
  const failures = answers.flatMap((a) => (a.status === 'rejected' ? [codeOf(a.reason)] : []));
  if (failures.every((code) => code === NO_DATA || code === NOT_FOUND)) {
    return {
      kind: 'undeliverable',
      reason: `the domain ${domain} has no mail host (no MX record and no A/AAAA address)`,
    };
  }
  return {
    kind: 'unknown',
    reason: `address lookup failed: ${failures
      .filter((c) => c !== NO_DATA && c !== NOT_FOUND)
      .map((c) => c ?? 'error')
      .join(', ')}`,
  };
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
