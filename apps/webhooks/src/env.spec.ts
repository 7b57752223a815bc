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

  it('refuses a share outside 0…0.8 and a circuit that could wait less at most than at first', () => {
    expect(() => loadEnv(Env, { WEBHOOK_TARGET_SHARE: '0.9' })).toThrow(/WEBHOOK_TARGET_SHARE=0.9/);
    expect(() => loadEnv(Env, { WEBHOOK_ACCOUNT_SHARE: '-0.1' })).toThrow(/WEBHOOK_ACCOUNT_SHARE=-0.1/);
    expect(() => loadEnv(Env, { WEBHOOK_CIRCUIT_OPEN_MS: '60000', WEBHOOK_CIRCUIT_MAX_OPEN_MS: '30000' })).toThrow(
      /WEBHOOK_CIRCUIT_MAX_OPEN_MS=30000: must be at least WEBHOOK_CIRCUIT_OPEN_MS/,
    );
    expect(loadEnv(Env, {})).toMatchObject({ WEBHOOK_TARGET_SHARE: 0.75, WEBHOOK_ACCOUNT_SHARE: 0.8 });
  });
});
