import { loadEnv } from '@postline/config';
import { Env } from './env';

const REQUIRED = { ADMIN_API_KEY: 'admin-key-0123456789', UNSUBSCRIBE_SECRET: 'unsubscribe-secret-0123' };

describe(Env.name, () => {
  it('reads the body limit and the Swagger switch', () => {
    expect(loadEnv(Env, REQUIRED)).toMatchObject({ MAX_BODY_BYTES: 16 * 1024 * 1024, SWAGGER_ENABLED: true });
    expect(loadEnv(Env, { ...REQUIRED, MAX_BODY_BYTES: '2048', SWAGGER_ENABLED: 'false' })).toMatchObject({
      MAX_BODY_BYTES: 2048,
      SWAGGER_ENABLED: false,
    });
    expect(loadEnv(Env, { ...REQUIRED, SWAGGER_ENABLED: 'OFF' }).SWAGGER_ENABLED).toBe(false);
  });

  it.each([
    ['MAX_BODY_BYTES', '16MB'],
    ['MAX_BODY_BYTES', '100'],
    ['MAX_BODY_BYTES', '1.5'],
    ['SWAGGER_ENABLED', 'ture'],
    ['SWAGGER_ENABLED', 'enabled'],
  ])('refuses to boot with %s=%s, naming it', (name, value) => {
    expect(() => loadEnv(Env, { ...REQUIRED, [name]: value })).toThrow(
      new RegExp(`Invalid environment:[\\s\\S]*${name}=`),
    );
  });
});
