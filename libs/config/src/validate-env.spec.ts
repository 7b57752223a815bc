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
});
