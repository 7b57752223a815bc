import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseEnv, EnvBoolean } from './base-env';
import { loadEnv } from './validate-env';

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
