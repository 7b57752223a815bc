import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import { createRedis } from '@postline/queue';
import {
  ACCOUNT_BLOCK_CACHE_OPTIONS,
  ACCOUNT_BLOCK_REDIS,
  AccountBlockCache,
  type AccountBlockCacheOptions,
} from './account-block-cache.service';
import { Clock } from './clock';
import {
  REPUTATION_ENV,
  REPUTATION_RULES,
  type ReputationEnv,
  reputationEnvFrom,
  reputationRulesFrom,
} from './reputation-env';
import { ReputationLedger } from './reputation-ledger.service';

/**
 * Account reputation for any app: the blocked flag (`AccountBlockCache.isAccountBlocked`), the settings,
 * and the ledger that writes state changes. Needs DatabaseModule, QueueModule and ConfigModule (global),
 * whose validated settings include ReputationEnv.
 */
@Module({
  providers: [
    Clock,
    { provide: REPUTATION_ENV, inject: [ConfigService], useFactory: reputationEnvFrom },
    {
      provide: REPUTATION_RULES,
      inject: [REPUTATION_ENV],
      useFactory: (env: ReputationEnv) => reputationRulesFrom(env),
    },
    {
      provide: ACCOUNT_BLOCK_REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<BaseEnv, true>) => {
        // Fail fast rather than queue: a reader that cannot reach Redis reads Postgres instead.
        const redis = createRedis(config.get('REDIS_URL', { infer: true }), {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: 1000,
        });
        redis.on('error', () => undefined);
        return redis;
      },
    },
    {
      provide: ACCOUNT_BLOCK_CACHE_OPTIONS,
      inject: [ConfigService, REPUTATION_ENV],
      useFactory: (config: ConfigService<BaseEnv, true>, env: ReputationEnv): AccountBlockCacheOptions => ({
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
        ttlSeconds: env.ACCOUNT_BLOCK_CACHE_TTL_SECONDS,
      }),
    },
    AccountBlockCache,
    ReputationLedger,
  ],
  exports: [Clock, REPUTATION_ENV, REPUTATION_RULES, AccountBlockCache, ReputationLedger],
})
export class AccountReputationModule {}
