import { loadEnv } from '@postline/config';
import { workerConnection } from '@postline/queue';
import type { WorkerOptions } from 'bullmq';
import { Env } from '../env';

/**
 * Options of the email-send worker, read from the environment when the processor class is declared
 * (decorators are static). It starts only once the rate limit is known (autorun off).
 */
export function sendWorkerOptions(
  env: Env = loadEnv(Env),
): Omit<WorkerOptions, 'connection'> & Partial<Pick<WorkerOptions, 'connection'>> {
  return {
    autorun: false,
    concurrency: env.SEND_CONCURRENCY,
    lockDuration: env.SEND_LOCK_DURATION_MS,
    stalledInterval: env.SEND_STALLED_INTERVAL_MS,
    // A job whose sender died is taken over; only a job that kills its sender again and again fails.
    maxStalledCount: 5,
    // Waits after a rate limit or pause are capped so a lifted pause is noticed soon.
    maximumRateLimitDelay: Math.min(30_000, env.SES_PAUSE_PROBE_MS),
    connection: workerConnection(env.REDIS_URL),
  };
}
