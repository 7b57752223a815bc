import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

type EnvClass<T> = new () => T;

/** Builds and checks an app's settings; one error lists every bad `NAME=value`. */
export function loadEnv<T extends object>(envClass: EnvClass<T>, source: Record<string, unknown> = process.env): T {
  const env = plainToInstance(envClass, source, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return env;
}

/** For `ConfigModule.forRoot({ validate })`. */
export function validateEnv<T extends object>(envClass: EnvClass<T>): (config: Record<string, unknown>) => T {
  return (config) => loadEnv(envClass, config);
}
