import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';

/**
 * Reads "true"/"1"/"yes"/"on" as true. It reads the raw source value: implicit conversion has already turned
 * the string "false" into `true` by the time `value` arrives.
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ obj, key, value }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return typeof raw === 'string' ? /^(1|true|yes|on)$/i.test(raw) : value;
  });
}

/** Settings every app reads. Each app extends it in its own `env.ts`. */
export class BaseEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postline';

  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix of every queue; keep the braces (Redis Cluster hash tag). Tests use one of their own. */
  @IsString()
  QUEUE_PREFIX = '{postline}';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;
}
