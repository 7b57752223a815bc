import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { parseEnvBoolean } from './base-env';

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
    if (typeof fallback === 'boolean') result[key] = parseEnvBoolean(raw) ?? raw;
  }
  return result;
}

/** Builds and checks an app's settings; one error lists every bad `NAME=value`. */
export function loadEnv<T extends object>(envClass: EnvClass<T>, source: Record<string, unknown> = process.env): T {
  const [env, problems] = check(envClass, source);
  if (problems.length > 0) throw invalid(problems);
  return env;
}

function check<T extends object>(envClass: EnvClass<T>, source: Record<string, unknown>): [T, string[]] {
  const env = plainToInstance(envClass, coerce(envClass, source), {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.map(
    (e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  return [env, problems];
}

function invalid(problems: string[]): Error {
  return new Error(`Invalid environment:\n${[...new Set(problems)].join('\n')}`);
}

/**
 * For `ConfigModule.forRoot({ validate })`, read once at boot. An app's settings are its `Env`, plus the
 * settings classes of shared modules it imports (e.g. `ReputationEnv`): the classes are checked together and
 * one error lists every bad `NAME=value` of all of them.
 */
export function validateEnv<T extends object>(envClass: EnvClass<T>): (config: Record<string, unknown>) => T;
export function validateEnv<T extends object, U extends object>(
  envClass: EnvClass<T>,
  more: EnvClass<U>,
): (config: Record<string, unknown>) => T & U;
export function validateEnv(...envClasses: EnvClass<object>[]): (config: Record<string, unknown>) => object {
  return (config) => {
    const checked = envClasses.map((envClass) => check(envClass, config));
    const problems = checked.flatMap(([, p]) => p);
    if (problems.length > 0) throw invalid(problems);
    if (checked.length === 1) return checked[0][0];
    // Each class's instance also carries every other variable as its raw string: take only what it declares.
    const merged: Record<string, unknown> = {};
    envClasses.forEach((envClass, i) => {
      const env = checked[i][0] as Record<string, unknown>;
      for (const key of declaredKeys(envClass)) if (env[key] !== undefined) merged[key] = env[key];
    });
    return merged;
  };
}

function declaredKeys(envClass: EnvClass<object>): Set<string> {
  const keys = new Set(Object.keys(new envClass()));
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(envClass, '', true, false)) {
    keys.add(rule.propertyName);
  }
  return keys;
}
