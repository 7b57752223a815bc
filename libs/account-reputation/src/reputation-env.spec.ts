import type { ConfigService } from '@nestjs/config';
import { BaseEnv, loadEnv } from '@postline/config';
import { ReputationEnv, reputationEnvFrom, reputationRulesFrom } from './reputation-env';

/** A ConfigService over a validated settings object, as ConfigModule's validate leaves it. */
const configOf = (validated: object) =>
  ({ get: (key: string) => (validated as Record<string, unknown>)[key] }) as unknown as ConfigService;

describe(reputationEnvFrom.name, () => {
  it("reads the reputation settings the app's validateEnv checked", () => {
    const env = reputationEnvFrom(configOf(loadEnv(ReputationEnv, { REPUTATION_MIN_VOLUME: '20' })));
    expect(env).toBeInstanceOf(ReputationEnv);
    expect(env).toMatchObject({
      REPUTATION_MIN_VOLUME: 20,
      REPUTATION_WINDOW_HOURS: 168,
      REPUTATION_COUNT_SIMULATOR: false,
    });
  });

  it('refuses an app whose validated settings lack them', () => {
    expect(() => reputationEnvFrom(configOf({ ...loadEnv(BaseEnv, {}), REPUTATION_MIN_VOLUME: '20' }))).toThrow(
      /REPUTATION_WINDOW_HOURS was not validated; add ReputationEnv to the app's validateEnv/,
    );
  });

  it('keeps the cross-field rules of the thresholds', () => {
    const env = loadEnv(ReputationEnv, { REPUTATION_BOUNCE_WARNING_PERCENT: '6' });
    expect(() => reputationRulesFrom(env)).toThrow(
      'Invalid environment: REPUTATION_BOUNCE_WARNING_PERCENT is above REPUTATION_BOUNCE_BLOCK_PERCENT',
    );
  });
});
