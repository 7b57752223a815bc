import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';

/** Reads "true"/"1"/"yes" as true; implicit conversion would read the string "false" as true. */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? /^(1|true|yes|on)$/i.test(value) : value));
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
