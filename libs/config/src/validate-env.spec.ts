import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseEnv, EnvBoolean, parseEnvBoolean } from './base-env';
import { loadEnv, validateEnv } from './validate-env';

class TestEnv extends BaseEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  REQUIRED_SECRET: string;

  FLAG = false;

  @IsOptional()
  @IsBoolean()
  @EnvBoolean()
  OPTIONAL_FLAG?: boolean;
}

describe(loadEnv.name, () => {
  it('applies defaults and converts numbers and booleans from strings', () => {
    const env = loadEnv(TestEnv, { PORT: '8080', REQUIRED_SECRET: 's', FLAG: 'true' });
    expect(env.PORT).toBe(8080);
    expect(env.FLAG).toBe(true);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('reads an optional boolean without a default from its string', () => {
    expect(loadEnv(TestEnv, { REQUIRED_SECRET: 's', OPTIONAL_FLAG: 'false' }).OPTIONAL_FLAG).toBe(false);
    expect(loadEnv(TestEnv, { REQUIRED_SECRET: 's', OPTIONAL_FLAG: 'yes' }).OPTIONAL_FLAG).toBe(true);
    expect(loadEnv(TestEnv, { REQUIRED_SECRET: 's' }).OPTIONAL_FLAG).toBeUndefined();
  });

  it('lists every bad NAME=value in one error', () => {
    expect(() => loadEnv(TestEnv, { PORT: '70000' })).toThrow(/PORT="?70000"?[\s\S]*REQUIRED_SECRET=undefined/);
  });

  it('takes a Redis Cluster URL and refuses a malformed one with the rule', () => {
    const cluster = 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001';
    expect(loadEnv(TestEnv, { REQUIRED_SECRET: 's', REDIS_URL: cluster }).REDIS_URL).toBe(cluster);
    expect(() => loadEnv(TestEnv, { REQUIRED_SECRET: 's', REDIS_URL: 'redis://a:1,b:2' })).toThrow(
      /REDIS_URL="redis:\/\/a:1,b:2": REDIS_URL names several hosts/,
    );
  });

  it('requires a hash tag in QUEUE_PREFIX on a Redis Cluster only', () => {
    const cluster = 'redis+cluster://127.0.0.1:7000';
    expect(() => loadEnv(TestEnv, { REQUIRED_SECRET: 's', REDIS_URL: cluster, QUEUE_PREFIX: 'postline' })).toThrow(
      /QUEUE_PREFIX="postline": QUEUE_PREFIX must hold a \{hash tag\}/,
    );
    expect(loadEnv(TestEnv, { REQUIRED_SECRET: 's', QUEUE_PREFIX: 'postline' }).QUEUE_PREFIX).toBe('postline');
  });
});

class ExtraSettings {
  @IsInt()
  @Min(0)
  EXTRA_LIMIT = 5;
}

describe(validateEnv.name, () => {
  it('checks several settings classes together and merges them', () => {
    const env = validateEnv(TestEnv, ExtraSettings)({ REQUIRED_SECRET: 's', EXTRA_LIMIT: '7', PORT: '8080' });
    expect(env).toMatchObject({ PORT: 8080, EXTRA_LIMIT: 7, REQUIRED_SECRET: 's' });
    expect(validateEnv(ExtraSettings, TestEnv)({ REQUIRED_SECRET: 's', EXTRA_LIMIT: '7', PORT: '8080' })).toMatchObject(
      {
        PORT: 8080,
        EXTRA_LIMIT: 7,
      },
    );
  });

  it('names every bad variable of every class in one error', () => {
    expect(() => validateEnv(TestEnv, ExtraSettings)({ PORT: '0', EXTRA_LIMIT: '-1' })).toThrow(
      /PORT=0[\s\S]*REQUIRED_SECRET=undefined[\s\S]*EXTRA_LIMIT=-1/,
    );
  });
});

class SwitchEnv {
  @IsBoolean()
  @EnvBoolean()
  ENABLED = true;
}

describe(parseEnvBoolean.name, () => {
  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    [' on ', true],
    ['false', false],
    ['Off', false],
    ['0', false],
    ['', false],
    ['ture', undefined],
    ['enabled', undefined],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseEnvBoolean(raw)).toBe(expected);
  });

  it('makes a boolean setting with a typo a boot error that names it', () => {
    expect(loadEnv(SwitchEnv, { ENABLED: 'no' }).ENABLED).toBe(false);
    expect(() => loadEnv(SwitchEnv, { ENABLED: 'flase' })).toThrow(/ENABLED="flase": ENABLED must be a boolean value/);
  });
});
