import type { ConfigService } from '@nestjs/config';
import type { WorkerSettings } from '@postline/queue';
import type { Env } from '../env';

/** Options of the email-send worker. It starts only once the rate limit is known (autorun off). */
export function sendWorkerOptions(config: ConfigService<Env, true>): WorkerSettings {
  return {
    autorun: false,
    concurrency: config.get('SEND_CONCURRENCY', { infer: true }),
    lockDuration: config.get('SEND_LOCK_DURATION_MS', { infer: true }),
    stalledInterval: config.get('SEND_STALLED_INTERVAL_MS', { infer: true }),
    // A job whose sender died is taken over; only a job that kills its sender again and again fails.
    maxStalledCount: 5,
    // Waits after a rate limit or pause are capped so a lifted pause is noticed soon.
    maximumRateLimitDelay: Math.min(30_000, config.get('SES_PAUSE_PROBE_MS', { infer: true })),
  };
}
