import { loadEnv } from '@postline/config';
import { Env } from './env';

describe('webhooks settings', () => {
  it('refuses a lease that an attempt could outlast, naming both settings', () => {
    expect(() => loadEnv(Env, { WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_LEASE_MS: '30000' })).toThrow(
      /WEBHOOK_LEASE_MS=30000: must be greater than twice WEBHOOK_TIMEOUT_MS/,
    );
    expect(loadEnv(Env, { WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_LEASE_MS: '30001' }).WEBHOOK_LEASE_MS).toBe(30_001);
    expect(loadEnv(Env, {}).WEBHOOK_LEASE_MS).toBe(60_000);
  });
});
