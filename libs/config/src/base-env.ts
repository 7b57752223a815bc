import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, registerDecorator, ValidateIf } from 'class-validator';
import { parseRedisUrl } from './redis-url';

/**
 * An environment boolean: "true"/"1"/"yes"/"on" or "false"/"0"/"no"/"off" (any case); empty is false.
 * Anything else is undefined, left for `@IsBoolean()` to refuse, so a typo does not quietly read as false.
 */
export function parseEnvBoolean(raw: string): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
  if (/^(0|false|no|off|)$/i.test(raw.trim())) return false;
  return undefined;
}

/**
 * Reads a boolean with parseEnvBoolean. It reads the raw source value: implicit conversion has already turned
 * the string "false" into `true` by the time `value` arrives.
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ obj, key, value }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return typeof raw === 'string' ? (parseEnvBoolean(raw) ?? raw) : value;
  });
}

/** A REDIS_URL that parseRedisUrl reads (one server, or `redis+cluster://` seed nodes); the message says why not. */
function IsRedisUrl(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRedisUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && redisUrlError(value) === undefined,
        defaultMessage: (args) => `REDIS_URL ${redisUrlError(String(args?.value)) ?? 'is not a Redis URL'}`,
      },
    });
}

function redisUrlError(value: string): string | undefined {
  try {
    parseRedisUrl(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function isClusterUrl(env: { REDIS_URL?: unknown }): boolean {
  return typeof env.REDIS_URL === 'string' && /^rediss?\+cluster:/i.test(env.REDIS_URL);
}

/** Settings every app reads. Each app extends it in its own `env.ts`. */
export class BaseEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postline';

  /** One server (`redis://host:port/db`) or a Redis Cluster (`redis+cluster://host:port,host:port`). */
  @IsRedisUrl()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Key prefix of every queue and every other Redis key; keep the braces: on a Redis Cluster the hash tag puts
   * all of Postline's keys in one slot, which BullMQ's scripts and multi-key commands (MGET) need.
   */
  @IsString()
  @ValidateIf(isClusterUrl)
  @Matches(/\{[^{}]+\}/, { message: 'QUEUE_PREFIX must hold a {hash tag} when REDIS_URL is a Redis Cluster' })
  QUEUE_PREFIX = '{postline}';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /**
   * Which proxies' X-Forwarded-For to believe (libs/http trust-proxy.ts): empty (none, the default), a number
   * of hops, addresses or CIDR ranges separated by commas, or "true" (any).
   */
  @Matches(/^(true|false|\d+|[0-9a-f.:/]+(\s*,\s*[0-9a-f.:/]+)*)?$/i, {
    message: 'TRUST_PROXY must be empty, true, false, a number of hops, or addresses/CIDR ranges separated by commas',
  })
  TRUST_PROXY = '';
}
