import type { ConfigService } from '@nestjs/config';
import { BaseEnv, EnvBoolean } from '@postline/config';
import type { ReputationRules } from '@postline/contracts';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';

/**
 * Reputation settings (DESIGN §9). The reputation service evaluates with them, the gateway shows them in
 * GET /reputation, so both read the same names with the same defaults. Thresholds are percentages. An app
 * that imports AccountReputationModule validates these with its own Env: `validateEnv(Env, ReputationEnv)`
 * (or its Env extends this class).
 */
export class ReputationEnv extends BaseEnv {
  /** Rolling window, in hourly buckets (168 = 7 days). */
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  REPUTATION_WINDOW_HOURS = 168;

  /** Sent emails the window must hold before rates are evaluated. */
  @IsInt()
  @Min(1)
  REPUTATION_MIN_VOLUME = 100;

  @IsNumber()
  @Min(0)
  @Max(100)
  REPUTATION_BOUNCE_WARNING_PERCENT = 2.5;

  @IsNumber()
  @Min(0)
  @Max(100)
  REPUTATION_BOUNCE_BLOCK_PERCENT = 5;

  @IsNumber()
  @Min(0)
  @Max(100)
  REPUTATION_COMPLAINT_WARNING_PERCENT = 0.05;

  @IsNumber()
  @Min(0)
  @Max(100)
  REPUTATION_COMPLAINT_BLOCK_PERCENT = 0.1;

  /** Count SES mailbox-simulator recipients, which SES itself leaves out (local demos, black-box tests). */
  @IsBoolean()
  @EnvBoolean()
  REPUTATION_COUNT_SIMULATOR = false;

  /** How long a cached blocked flag lives in Redis; writers update it at once, the TTL only bounds a missed write. */
  @IsInt()
  @Min(1)
  ACCOUNT_BLOCK_CACHE_TTL_SECONDS = 60;
}

export function reputationRulesFrom(env: ReputationEnv): ReputationRules {
  if (env.REPUTATION_BOUNCE_WARNING_PERCENT > env.REPUTATION_BOUNCE_BLOCK_PERCENT) {
    throw new Error('Invalid environment: REPUTATION_BOUNCE_WARNING_PERCENT is above REPUTATION_BOUNCE_BLOCK_PERCENT');
  }
  if (env.REPUTATION_COMPLAINT_WARNING_PERCENT > env.REPUTATION_COMPLAINT_BLOCK_PERCENT) {
    throw new Error(
      'Invalid environment: REPUTATION_COMPLAINT_WARNING_PERCENT is above REPUTATION_COMPLAINT_BLOCK_PERCENT',
    );
  }
  return {
    windowHours: env.REPUTATION_WINDOW_HOURS,
    minVolume: env.REPUTATION_MIN_VOLUME,
    countSimulator: env.REPUTATION_COUNT_SIMULATOR,
    thresholds: {
      bounce: { warning: env.REPUTATION_BOUNCE_WARNING_PERCENT, block: env.REPUTATION_BOUNCE_BLOCK_PERCENT },
      complaint: { warning: env.REPUTATION_COMPLAINT_WARNING_PERCENT, block: env.REPUTATION_COMPLAINT_BLOCK_PERCENT },
    },
  };
}

/** Injection tokens: the validated settings, and the ReputationRules derived from them. */
export const REPUTATION_ENV = Symbol('REPUTATION_ENV');
export const REPUTATION_RULES = Symbol('REPUTATION_RULES');

/** The reputation settings the app validated at boot; refuses an app whose validateEnv left them out. */
export function reputationEnvFrom(config: ConfigService): ReputationEnv {
  const env = new ReputationEnv();
  for (const [key, fallback] of Object.entries(env) as [string, unknown][]) {
    const value: unknown = config.get(key);
    if (typeof value !== typeof fallback) {
      throw new Error(`Invalid environment: ${key} was not validated; add ReputationEnv to the app's validateEnv`);
    }
    Object.assign(env, { [key]: value });
  }
  return env;
}
