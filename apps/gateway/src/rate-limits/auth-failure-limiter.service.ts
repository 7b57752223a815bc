import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Env } from '../env';
import { GatewayRedis } from '../redis/gateway-redis.service';

const MAX_BLOCKED = 10_000;

/**
 * Failed authentications per source address, counted in Redis for every replica. Once an address is over
 * the limit, this replica refuses every request from it until the window ends, before looking at its key:
 * answering a correct guess would make guessing worth it. Only failures reach Redis, so requests with a good
 * key cost nothing here.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly limiter: RateLimiterRedis;
  private readonly blockedUntil = new Map<string, number>();

  constructor(redis: GatewayRedis, config: ConfigService<Env, true>) {
    const points = config.get('AUTH_FAILURE_LIMIT', { infer: true });
    const duration = config.get('AUTH_FAILURE_WINDOW_SECONDS', { infer: true });
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.prefix}:rl:auth-failure`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      // Redis down: count in this process (fail open, but still limited).
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  }

  /** Milliseconds this address must still wait, or 0. */
  blockedFor(address: string): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) this.blockedUntil.delete(address);
    return Math.max(left, 0);
  }

  /** Counts a failure; returns how long the address is now blocked for (0: not blocked). */
  async failed(address: string): Promise<number> {
    try {
      await this.limiter.consume(address);
      return 0;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return 0;
      if (this.blockedUntil.size >= MAX_BLOCKED) this.blockedUntil.clear();
      this.blockedUntil.set(address, Date.now() + rejection.msBeforeNext);
      return rejection.msBeforeNext;
    }
  }
}
