import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { GroupCommit, PG_POOL } from '@postline/database';
import type { Cluster, Redis } from 'ioredis';
import type { Pool } from 'pg';

export interface AccountBlockState {
  blocked: boolean;
  /** Why the account is blocked (an operator's note or the rates that tripped the block). */
  reason: string | null;
}

/** Injection tokens: the Redis connection of the cache, and its key prefix and TTL. */
export const ACCOUNT_BLOCK_REDIS = Symbol('ACCOUNT_BLOCK_REDIS');
export const ACCOUNT_BLOCK_CACHE_OPTIONS = Symbol('ACCOUNT_BLOCK_CACHE_OPTIONS');

export interface AccountBlockCacheOptions {
  /** Key prefix (the queue prefix, so tests and deployments sharing a Redis stay apart). */
  prefix: string;
  ttlSeconds: number;
}

const NOT_BLOCKED: AccountBlockState = Object.freeze({ blocked: false, reason: null });

/**
 * Whether an account is blocked, read on every request (gateway) and every send (sender). Postgres
 * (Account.reputationState) is the truth; Redis holds a copy per account that is:
 * - written through at once by whoever changes the state, after its commit (`publish`), so a block or an
 *   unblock is seen by the next request on every replica;
 * - filled on a miss from Postgres with SET NX, so a fill that read the old state can never overwrite a
 *   newer publish;
 * - given a TTL, which only bounds how long a publish lost to a Redis failure can leave a stale copy.
 * When Redis cannot answer, the flag is read from Postgres directly.
 */
@Injectable()
export class AccountBlockCache implements OnModuleDestroy {
  private readonly logger = new Logger(AccountBlockCache.name);
  private readonly loading = new Map<string, Promise<AccountBlockState>>();
  // Reads asked for at the same moment (concurrent requests) share one MGET. Each is still sent after its
  // caller asked, never answered from an earlier read, so a publish is seen by the next request as before.
  private readonly reads = new GroupCommit<string, AccountBlockState>(
    async (ids) => {
      const states = await this.states(ids);
      return ids.map((id) => states.get(id) ?? NOT_BLOCKED);
    },
    1000,
    4,
  );

  constructor(
    @Inject(ACCOUNT_BLOCK_REDIS) private readonly redis: Redis | Cluster,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(ACCOUNT_BLOCK_CACHE_OPTIONS) private readonly options: AccountBlockCacheOptions,
  ) {}

  /** True while the account is BLOCKED (by its rates or by an operator). */
  async isAccountBlocked(accountId: string): Promise<boolean> {
    return (await this.state(accountId)).blocked;
  }

  state(accountId: string): Promise<AccountBlockState> {
    return this.reads.submit(accountId);
  }

  /** Several accounts in one Redis round trip (a sender batch); an unknown account is not blocked. */
  async states(accountIds: readonly string[]): Promise<Map<string, AccountBlockState>> {
    const ids = [...new Set(accountIds)];
    const result = new Map<string, AccountBlockState>();
    if (ids.length === 0) return result;
    let cached: (string | null)[];
    try {
      cached = await this.redis.mget(ids.map((id) => this.key(id)));
    } catch {
      await Promise.all(ids.map(async (id) => result.set(id, await this.fromDatabase(id))));
      return result;
    }
    const misses: string[] = [];
    ids.forEach((id, i) => {
      const value = cached[i];
      if (value === null) misses.push(id);
      else result.set(id, parse(value));
    });
    await Promise.all(
      misses.map(async (id) => {
        const state = await this.fromDatabase(id);
        result.set(id, state);
        await this.redis
          .set(this.key(id), serialise(state), 'EX', this.options.ttlSeconds, 'NX')
          .catch(() => undefined);
      }),
    );
    return result;
  }

  /** Call after the commit that changed the account's state. */
  async publish(accountId: string, state: AccountBlockState): Promise<void> {
    try {
      await this.redis.set(this.key(accountId), serialise(state), 'EX', this.options.ttlSeconds);
    } catch (error) {
      // Dropping the copy makes the next reader rebuild it from Postgres; if even that fails, the TTL ends it.
      await this.redis.del(this.key(accountId)).catch(() => undefined);
      this.logger.error(`could not publish the blocked flag of account ${accountId}: ${(error as Error).message}`);
    }
  }

  /** Drops the cached copy; the next read rebuilds it from Postgres. */
  async forget(accountId: string): Promise<void> {
    await this.redis.del(this.key(accountId));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private key(accountId: string): string {
    return `${this.options.prefix}:account-block:${accountId}`;
  }

  /** Concurrent misses for one account share one query. */
  private fromDatabase(accountId: string): Promise<AccountBlockState> {
    let pending = this.loading.get(accountId);
    if (!pending) {
      pending = this.pool
        .query<{ reputationState: string; reputationReason: string | null }>(
          `SELECT "reputationState", "reputationReason" FROM "Account" WHERE "id" = $1`,
          [accountId],
        )
        .then(({ rows }) =>
          rows[0]?.reputationState === 'BLOCKED' ? { blocked: true, reason: rows[0].reputationReason } : NOT_BLOCKED,
        )
        .finally(() => this.loading.delete(accountId));
      this.loading.set(accountId, pending);
    }
    return pending;
  }
}

function serialise(state: AccountBlockState): string {
  return JSON.stringify({ blocked: state.blocked, reason: state.reason });
}

function parse(value: string): AccountBlockState {
  const parsed = JSON.parse(value) as Partial<AccountBlockState>;
  return { blocked: parsed.blocked === true, reason: typeof parsed.reason === 'string' ? parsed.reason : null };
}
