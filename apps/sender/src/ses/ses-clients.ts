import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSesClient } from '@postline/ses';
import type { Env } from '../env';

/** SendEmail client: the SDK's retries are off, the sender decides what a failure means. */
export const SES_SEND_CLIENT = Symbol('SES_SEND_CLIENT');
/** GetAccount client (rate and health probes): ordinary SDK retries. */
export const SES_CONTROL_CLIENT = Symbol('SES_CONTROL_CLIENT');

export const sesClientProviders: Provider[] = [
  {
    provide: SES_SEND_CLIENT,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Env, true>) =>
      createSesClient({
        endpoint: config.get('SES_ENDPOINT', { infer: true }),
        region: config.get('SES_REGION', { infer: true }),
        maxAttempts: 1,
        connectTimeoutMs: config.get('SES_CONNECT_TIMEOUT_MS', { infer: true }),
        requestTimeoutMs: config.get('SES_REQUEST_TIMEOUT_MS', { infer: true }),
        maxSockets: config.get('SEND_CONCURRENCY', { infer: true }),
      }),
  },
  {
    provide: SES_CONTROL_CLIENT,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Env, true>) =>
      createSesClient({
        endpoint: config.get('SES_ENDPOINT', { infer: true }),
        region: config.get('SES_REGION', { infer: true }),
        maxSockets: 4,
      }),
  },
];
