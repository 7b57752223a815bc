import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Caller } from '../auth/caller';
import type { Env } from '../env';
import { GatewayRedis } from '../redis/gateway-redis.service';

type Scope = 'key' | 'account';

interface Count {
  scope: Scope;
  limit: number;
  res: RateLimiterRes;
  allowed: boolean;
}

/** The answer for one request: the headers to send, and whether it may go on. */
export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  /** Why it was refused (only when not allowed). */
  message?: string;
}

const seconds = (ms: number) => Math.max(Math.ceil(ms / 1000), 0);

/**
 * Rate limits per API key and per account, in fixed windows counted in Redis (rate-limiter-flexible) and so
 * shared by every replica. Both counts of a request are sent in the same tick and travel as one pipeline.
 * When Redis is down each replica counts alone in memory (fail open: limits still apply, per process).
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger(RateLimits.name);
  // One limiter per scope and limit: accounts with limits of their own share the same counters.
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private readonly window: number;
  private readonly defaults: Record<Scope, number>;
  readonly enabled: boolean;

  constructor(
    private readonly redis: GatewayRedis,
    config: ConfigService<Env, true>,
  ) {
    this.enabled = config.get('RATE_LIMIT_ENABLED', { infer: true });
    this.window = config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true });
    this.defaults = {
      key: config.get('RATE_LIMIT_PER_KEY', { infer: true }),
      account: config.get('RATE_LIMIT_PER_ACCOUNT', { infer: true }),
    };
  }

  /** Counts `cost` requests (a batch: its messages) against the caller's key and account. */
  async consume(caller: Caller, cost: number): Promise<RateLimitVerdict | undefined> {
    if (!this.enabled) return undefined;
    const keyLimit = caller.rateLimitPerKey ?? this.defaults.key;
    const accountLimit = caller.rateLimitPerAccount ?? this.defaults.account;
    const tighter = Math.min(keyLimit, accountLimit);
    if (cost > tighter) {
      // It could never pass: refuse it without counting, so it does not use up the window of smaller requests.
      return {
        allowed: false,
        headers: { 'ratelimit-limit': String(tighter), 'retry-after': String(this.window) },
        message: `This request counts ${cost} messages, more than the limit of ${tighter} per ${this.window} s: send smaller batches`,
      };
    }
    const counts = await Promise.all([
      this.count('key', keyLimit, caller.apiKeyId, cost),
      this.count('account', accountLimit, caller.accountId, cost),
    ]);
    const refused = counts.filter((c) => !c.allowed);
    // The headers describe the limit closest to refusing (IETF draft-ietf-httpapi-ratelimit-headers).
    const binding =
      refused[0] ?? counts.reduce((a, b) => (b.limit - b.res.consumedPoints < a.limit - a.res.consumedPoints ? b : a));
    const headers: Record<string, string> = {
      'ratelimit-limit': String(binding.limit),
      'ratelimit-remaining': String(Math.max(binding.limit - binding.res.consumedPoints, 0)),
      'ratelimit-reset': String(seconds(binding.res.msBeforeNext)),
      'ratelimit-policy': counts.map((c) => `${c.limit};w=${this.window}`).join(', '),
    };
    if (refused.length === 0) return { allowed: true, headers };
    const wait = Math.max(...refused.map((c) => c.res.msBeforeNext));
    headers['retry-after'] = String(Math.max(seconds(wait), 1));
    const who = binding.scope === 'key' ? 'this API key' : 'this account';
    const message = `Rate limit of ${binding.limit} requests per ${this.window} s for ${who} reached; retry after ${headers['retry-after']} s`;
    return { allowed: false, headers, message };
  }

  private async count(scope: Scope, limit: number, id: string, cost: number): Promise<Count> {
    try {
      return { scope, limit, res: await this.limiter(scope, limit).consume(id, cost), allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { scope, limit, res: rejection, allowed: false };
      // Neither Redis nor the insurance answered: let the request through rather than fail it.
      this.logger.warn(`rate limit not counted: ${(rejection as Error).message}`);
      return { scope, limit, res: new RateLimiterRes(limit, 0, 0), allowed: true };
    }
  }

  private limiter(scope: Scope, points: number): RateLimiterRedis {
    const name = `${scope}:${points}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis.client,
        keyPrefix: `${this.redis.prefix}:rl:${scope}`,
        points,
        duration: this.window,
        rejectIfRedisNotReady: true,
        // A key over its limit is refused from memory until its window ends, sparing Redis a flood.
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: new RateLimiterMemory({ points, duration: this.window }),
      });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}
