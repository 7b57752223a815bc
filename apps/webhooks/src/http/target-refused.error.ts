import type { RefusedReason } from './address-policy';

/** A callback target that must not be reached (SSRF guard): raised before any packet is sent to it. */
export class TargetRefusedError extends Error {
  readonly code = 'ETARGETREFUSED';

  constructor(
    readonly address: string,
    readonly reason: RefusedReason,
    readonly host?: string,
  ) {
    super(`refused to connect to ${host && host !== address ? `${host} (${address})` : address}: ${reason} address`);
    this.name = 'TargetRefusedError';
  }
}
