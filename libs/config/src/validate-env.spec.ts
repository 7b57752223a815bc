import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseEnv } from './base-env';
import { loadEnv } from './validate-env';

class TestEnv extends BaseEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  REQUIRED_SECRET: string;

  FLAG = false;
}

describe(loadEnv.name, () => {
  it('applies defaults and converts numbers and booleans from strings', () => {
    const env = loadEnv(TestEnv, { PORT: '8080', REQUIRED_SECRET: 's', FLAG: 'true' });
    expect(env.PORT).toBe(8080);
    expect(env.FLAG).toBe(true);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('lists every bad NAME=value in one error', () => {
    expect(() => loadEnv(TestEnv, { PORT: '70000' })).toThrow(/PORT="?70000"?[\s\S]*REQUIRED_SECRET=undefined/);
  });
});
