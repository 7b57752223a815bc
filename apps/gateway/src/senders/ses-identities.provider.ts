import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSesClient, SesIdentities } from '@postline/ses';
import type { Env } from '../env';

/** The SES identity API on the configured endpoint (SDK retries on: these calls are idempotent). */
export const sesIdentitiesProvider: Provider = {
  provide: SesIdentities,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) =>
    new SesIdentities(
      createSesClient({
        endpoint: config.get('SES_ENDPOINT', { infer: true }),
        region: config.get('SES_REGION', { infer: true }),
        maxAttempts: 3,
        requestTimeoutMs: 10_000,
        maxSockets: 4,
      }),
    ),
};
