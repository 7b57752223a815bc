import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { refusedReason } from './address-policy';
import { TargetRefusedError } from './target-refused.error';

/** Resolves a host name to every address (as `dns.lookup(host, { all: true })`). */
export type Resolver = (hostname: string, family: number) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname, family) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, family } as LookupAllOptions, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * The `lookup` that net/tls use for host names: it resolves once, refuses the whole answer when any address
 * is refused, and hands net exactly the addresses it checked, so the address connected to is a checked one
 * (a DNS answer that changes between check and connect — rebinding — cannot slip through).
 */
export function guardedLookup(resolver: Resolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (...args: never[]) => void) => {
    const done = callback as unknown as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    resolver(hostname, typeof options.family === 'number' ? options.family : 0).then(
      (addresses) => {
        const refused = addresses.map((a) => ({ a, reason: refusedReason(a.address) })).find((r) => r.reason);
        if (refused?.reason) return done(new TargetRefusedError(refused.a.address, refused.reason, hostname), '');
        if (addresses.length === 0) {
          return done(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        }
        if (options.all) return done(null, addresses);
        return done(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => done(error, ''),
    );
  };
}

export interface GuardedConnectorOptions {
  allowPrivate: boolean;
  connectTimeoutMs: number;
  resolver?: Resolver;
  /** The connector that opens sockets; replaced in unit tests to prove nothing was opened. */
  base?: buildConnector.connector;
}

/**
 * An undici connector that refuses loopback, private, link-local, unique-local, … targets unless allowed.
 * IP literals are judged here, before any socket exists; host names by `guardedLookup` inside net.connect,
 * before it dials. Connections are pooled per origin, so each socket is checked once when it is opened.
 */
export function guardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  if (options.allowPrivate) {
    return options.base ?? buildConnector({ timeout: options.connectTimeoutMs });
  }
  const base =
    options.base ??
    buildConnector({
      timeout: options.connectTimeoutMs,
      lookup: guardedLookup(options.resolver ?? systemResolver),
    } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = refusedReason(host);
      if (reason) {
        callback(new TargetRefusedError(host, reason), null);
        return;
      }
    }
    base(connectOptions, callback);
  };
}
