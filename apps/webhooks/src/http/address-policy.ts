import { isIP } from 'node:net';

/** Why an address may not receive callbacks (SSRF): the class of network it belongs to. */
export type RefusedReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

interface Range {
  bytes: number[];
  bits: number;
  reason: RefusedReason;
}

function v4(cidr: string, reason: RefusedReason): Range {
  const [address, bits] = cidr.split('/');
  return { bytes: address.split('.').map(Number), bits: Number(bits), reason };
}

function v6(cidr: string, reason: RefusedReason): Range {
  const [address, bits] = cidr.split('/');
  return { bytes: parseIpv6(address) as number[], bits: Number(bits), reason };
}

const IPV4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('64:ff9b:1::/48', 'reserved'),
  v6('100::/64', 'reserved'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'private'),
  v6('ff00::/8', 'multicast'),
];

/** IPv6 prefixes that carry an IPv4 address which is what the packets finally reach. */
const EMBEDDED_IPV4: { range: Range; offset: number }[] = [
  { range: v6('::ffff:0:0/96', 'reserved'), offset: 12 }, // IPv4-mapped
  { range: v6('::/96', 'reserved'), offset: 12 }, // IPv4-compatible (deprecated)
  { range: v6('64:ff9b::/96', 'reserved'), offset: 12 }, // NAT64
  { range: v6('2002::/16', 'reserved'), offset: 2 }, // 6to4
];

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 address (zone id ignored), or undefined when it is not one. */
export function parseIpv6(input: string): number[] | undefined {
  const address = input.replace(/^\[|\]$/g, '').split('%')[0];
  if (isIP(address) !== 6) return undefined;
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1].split('.').map(Number));
    text = text.slice(0, -dotted[1].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const groupCount = 8 - tail.length / 2;
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = rest === undefined ? 0 : groupCount - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...new Array<string>(missing).fill('0'), ...restGroups];
  const bytes: number[] = [];
  for (const group of groups) {
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return [...bytes, ...tail];
}

/**
 * Null when callbacks may connect to `address` (an IP literal), else the kind of network that is refused.
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
export function refusedReason(address: string): RefusedReason | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]);
  if (family === 4) {
    const bytes = bare.split('.').map(Number);
    return IPV4_RANGES.find((r) => inRange(bytes, r))?.reason ?? null;
  }
  if (family !== 6) return 'reserved';
  const bytes = parseIpv6(bare) as number[];
  const direct = IPV6_RANGES.find((r) => inRange(bytes, r));
  if (direct) return direct.reason;
  for (const { range, offset } of EMBEDDED_IPV4) {
    if (inRange(bytes, range)) return refusedReason(bytes.slice(offset, offset + 4).join('.'));
  }
  return null;
}
