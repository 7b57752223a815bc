import { Injectable } from '@nestjs/common';
import { PrismaService } from '@postline/database';

export interface AccountPolicy {
  blocked: boolean;
  blockReason: string | null;
  /** Lower-cased verified identities: addresses and whole domains. */
  verifiedIdentities: ReadonlySet<string>;
  allowRoleAddresses: boolean;
}

const TTL_MS = 2_000;

/**
 * What acceptance needs to know about an account, cached for 2 s per process: every request reads it, and
 * a change made on another replica (an identity verified, an account blocked) is seen within that time.
 * Changes made through this process are seen at once (`forget`).
 */
@Injectable()
export class AccountPolicyService {
  private readonly cache = new Map<string, { policy: Promise<AccountPolicy>; expires: number }>();

  constructor(private readonly prisma: PrismaService) {}

  get(accountId: string): Promise<AccountPolicy> {
    const cached = this.cache.get(accountId);
    if (cached && cached.expires > Date.now()) return cached.policy;
    const policy = this.load(accountId);
    this.cache.set(accountId, { policy, expires: Date.now() + TTL_MS });
    policy.catch(() => this.cache.delete(accountId));
    return policy;
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }

  private async load(accountId: string): Promise<AccountPolicy> {
    const account = await this.prisma.account.findUniqueOrThrow({
      where: { id: accountId },
      select: {
        reputationState: true,
        reputationReason: true,
        settings: true,
        senders: { where: { status: 'VERIFIED' }, select: { identity: true } },
      },
    });
    const settings = (account.settings ?? {}) as { allowRoleAddresses?: boolean };
    return {
      blocked: account.reputationState === 'BLOCKED',
      blockReason: account.reputationReason,
      verifiedIdentities: new Set(account.senders.map((s) => s.identity)),
      allowRoleAddresses: settings.allowRoleAddresses === true,
    };
  }
}

/** A `from` may send when its address, or its exact domain, is a verified identity (a parent domain does not cover subdomains). */
export function isVerifiedSender(policy: AccountPolicy, fromAddress: string): boolean {
  const address = fromAddress.toLowerCase();
  return policy.verifiedIdentities.has(address) || policy.verifiedIdentities.has(address.slice(address.lastIndexOf('@') + 1));
}
