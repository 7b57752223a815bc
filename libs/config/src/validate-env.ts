import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

type EnvClass<T> = new () => T;

/**
 * Environment values are strings. Settings declared with a numeric or boolean default are converted here,
 * from the default's type: decorator metadata is not emitted for un-annotated properties by every compiler.
 */
function coerce<T extends object>(envClass: EnvClass<T>, source: Record<string, unknown>): Record<string, unknown> {
  const defaults = new envClass() as Record<string, unknown>;
  const result: Record<string, unknown> = { ...source };
  for (const [key, fallback] of Object.entries(defaults)) {
    const raw = source[key];
    if (typeof raw !== 'string') continue;
    if (typeof fallback === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) result[key] = Number(raw);
    if (typeof fallback === 'boolean') result[key] = /^(1|true|yes|on)$/i.test(raw);
  }
  return result;
}

/** Builds and checks an app's settings; one error lists every bad `NAME=value`. */
export function loadEnv<T extends object>(envClass: EnvClass<T>, source: Record<string, unknown> = process.env): T {
  const env = plainToInstance(envClass, coerce(envClass, source), {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return env;
}

/** For `ConfigModule.forRoot({ validate })`. */
export function validateEnv<T extends object>(envClass: EnvClass<T>): (config: Record<string, unknown>) => T {
  return (config) => loadEnv(envClass, config);
}
