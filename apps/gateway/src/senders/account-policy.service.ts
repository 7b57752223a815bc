import { Injectable } from '@nestjs/common';
import { PrismaService } from '@postline/database';
import { AccountBlockCache } from '@postline/account-reputation';

export interface AccountPolicy {
  blocked: boolean;
  blockReason: string | null;
  /** Lower-cased verified identities: addresses and whole domains (matched by isVerifiedSender of contracts). */
  verifiedIdentities: ReadonlySet<string>;
  allowRoleAddresses: boolean;
}

const TTL_MS = 2_000;

type CachedPolicy = Omit<AccountPolicy, 'blocked' | 'blockReason'>;

/**
 * What acceptance needs to know about an account. Identities and settings are cached for 2 s per process:
 * a change made on another replica (an identity verified) is seen within that time, one made through this
 * process at once (`forget`). The blocked flag is read on every call from the shared cache
 * (AccountBlockCache: Redis, rebuilt from Postgres), so a block or an unblock applies to the next request.
 */
@Injectable()
export class AccountPolicyService {
  private readonly cache = new Map<string, { policy: Promise<CachedPolicy>; expires: number }>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly blocks: AccountBlockCache,
  ) {}

  async get(accountId: string): Promise<AccountPolicy> {
    const [policy, block] = await Promise.all([this.cached(accountId), this.blocks.state(accountId)]);
    return { ...policy, blocked: block.blocked, blockReason: block.reason };
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }

  private cached(accountId: string): Promise<CachedPolicy> {
    const cached = this.cache.get(accountId);
    if (cached && cached.expires > Date.now()) return cached.policy;
    const policy = this.load(accountId);
    this.cache.set(accountId, { policy, expires: Date.now() + TTL_MS });
    policy.catch(() => this.cache.delete(accountId));
    return policy;
  }

  private async load(accountId: string): Promise<CachedPolicy> {
    const account = await this.prisma.account.findUniqueOrThrow({
      where: { id: accountId },
      select: {
        settings: true,
        senders: { where: { status: 'VERIFIED' }, select: { identity: true } },
      },
    });
    const settings = (account.settings ?? {}) as { allowRoleAddresses?: boolean };
    return {
      verifiedIdentities: new Set(account.senders.map((s) => s.identity)),
      allowRoleAddresses: settings.allowRoleAddresses === true,
    };
  }
}
